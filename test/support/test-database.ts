// Drops and recreates the integration-test database, owned by the migration role, with the
// run-time role's data rights (no DDL), as scripts/stack-lib.mjs does for `dpbridge`.
import { Client } from 'pg';

export interface RecreateDatabaseInput {
  /** A role allowed to drop/create the database (superuser of the local stack, else the owner). */
  adminUrl: string;
  /** The migration (owner) role's URL; its user becomes the database owner. */
  ownerUrl: string;
  /** The run-time role's URL; its user gets data rights only. */
  appUrl: string;
  dbName: string;
  grantSql: (db: string, ownerRole: string, appRole: string) => string[];
}

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const userOf = (url: string): string => decodeURIComponent(new URL(url).username);

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function recreateDatabase(input: RecreateDatabaseInput): Promise<void> {
  const owner = userOf(input.ownerUrl);
  const app = userOf(input.appUrl);
  const db = input.dbName;
  if (!/^[a-z_][a-z0-9_]*$/.test(db)) throw new Error('recreateDatabase: unsafe database name');
  const adminUrl = new URL(input.adminUrl);
  if (decodeURIComponent(adminUrl.pathname.slice(1)) === db) adminUrl.pathname = '/postgres';
  await withClient(adminUrl.toString(), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`);
    const self = userOf(input.adminUrl) === owner;
    await c.query(`CREATE DATABASE ${quoteIdent(db)}${self ? '' : ` OWNER ${quoteIdent(owner)}`}`);
  });
  if (owner === app) return;
  const ownerDbUrl = new URL(input.ownerUrl);
  ownerDbUrl.pathname = '/' + encodeURIComponent(db);
  await withClient(ownerDbUrl.toString(), async (c) => {
    for (const sql of input.grantSql(db, owner, app)) await c.query(sql);
  });
}
