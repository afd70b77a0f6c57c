// Jest globalSetup for the `integration` project: starts (or reuses) the local stack in
// .stack/test, recreates a fresh `dpbridge_test` database, empties the test Redis and SFTP
// area, runs the migrations when libs/persistence/src/migrate.ts exists, and writes
// .stack/test/env.json for load-stack-env.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { installAliasHook } from './alias-hook';
import globalTeardown from './global-teardown';
import { acquireRunLock, releaseRunLock } from './run-lock';
import { loadStackLib, type StackEnv } from './stack-lib';
import { MIGRATE_MODULE, REPO_ROOT, RUN_LOCK_FILE, TEST_DB_NAME, TEST_STACK_DIR } from './stack-paths';
import { recreateDatabase } from './test-database';

export interface TestStackHandle {
  started: string[];
}
const HANDLE = '__DPB_TEST_STACK__';
const log = (line: string): void => {
  process.stderr.write(`stack: ${line}\n`);
};

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  process.stderr.write('\n');
  fs.mkdirSync(TEST_STACK_DIR, { recursive: true });
  await acquireRunLock(RUN_LOCK_FILE, 15 * 60_000, log);
  try {
    await prepare();
  } catch (e) {
    // Jest skips globalTeardown when globalSetup fails: stop what we started, free the lock.
    await globalTeardown().catch(() => releaseRunLock(RUN_LOCK_FILE));
    throw e;
  }
  log(`test stack ready in ${Date.now() - t0} ms (${TEST_DB_NAME} recreated)`);
}

async function prepare(): Promise<void> {
  const lib = await loadStackLib();
  const res = await lib.startStack({ dir: TEST_STACK_DIR, log });
  (globalThis as Record<string, unknown>)[HANDLE] = { started: res.started } satisfies TestStackHandle;

  const env: StackEnv = { ...res.env };
  const ownedPg = !res.external.includes('postgres') && res.state.postgres;
  await recreateDatabase({
    adminUrl: ownedPg ? lib.pgUrl('postgres', res.state.postgres!.port, 'postgres') : env.DATABASE_MIGRATION_URL,
    ownerUrl: env.DATABASE_MIGRATION_URL,
    appUrl: env.DATABASE_URL,
    dbName: TEST_DB_NAME,
    grantSql: lib.grantSql,
  });
  env.DATABASE_URL = lib.withDatabase(env.DATABASE_URL, TEST_DB_NAME);
  env.DATABASE_MIGRATION_URL = lib.withDatabase(env.DATABASE_MIGRATION_URL, TEST_DB_NAME);

  if (!res.external.includes('redis')) await flushRedis(env.REDIS_URL);
  emptySftpArea(env.DPB_SFTP_ROOT, Object.values(lib.SFTP_FOLDERS));
  lib.writeEnvFiles(res.dir, env);

  await migrate(env.DATABASE_MIGRATION_URL);
}

async function flushRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.flushall();
  } finally {
    redis.disconnect();
  }
}

/** Recreates the (test-only) SFTP folders empty so each run starts clean. */
function emptySftpArea(root: string, folders: string[]): void {
  if (!path.resolve(root).startsWith(TEST_STACK_DIR + path.sep)) return; // never outside the test stack
  for (const f of folders) {
    const dir = path.join(root, f);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
}

async function migrate(url: string): Promise<void> {
  if (!fs.existsSync(MIGRATE_MODULE)) {
    log(`no ${path.relative(REPO_ROOT, MIGRATE_MODULE)} yet: migrations skipped`);
    return;
  }
  const restore = installAliasHook(REPO_ROOT);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(MIGRATE_MODULE) as { runMigrations?: (url: string) => Promise<void> };
    if (typeof mod.runMigrations !== 'function') {
      throw new Error(`${path.relative(REPO_ROOT, MIGRATE_MODULE)} does not export runMigrations(url)`);
    }
    const t0 = Date.now();
    await mod.runMigrations(url);
    log(`migrations applied (${Date.now() - t0} ms)`);
  } finally {
    restore();
  }
}
