// Proves the local test stack that global-setup.ts starts: PostgreSQL roles and rights,
// Redis eviction policy, and the OpenSSH SFTP server with a pinned host key.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { Client } from 'pg';
import Redis from 'ioredis';
import SftpClient from 'ssh2-sftp-client';
import { TEST_DB_NAME } from './stack-paths';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: did global-setup run?`);
  return v;
};

async function withPg<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** OpenSSH's fingerprint of a raw host key blob: SHA256 in unpadded base64. */
const fingerprintOf = (key: Buffer): string =>
  'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');

function pinnedFingerprint(): string {
  const [hostPort, fp] = env('DPB_SFTP_KNOWN_HOSTS').split(' ');
  expect(hostPort).toBe(`${env('DPB_SFTP_HOST')}:${env('DPB_SFTP_PORT')}`);
  return fp;
}

function sftpOptions(expected: string): SftpClient.ConnectOptions {
  return {
    host: env('DPB_SFTP_HOST'),
    port: Number(env('DPB_SFTP_PORT')),
    username: env('DPB_SFTP_USER'),
    privateKey: fs.readFileSync(env('DPB_SFTP_PRIVATE_KEY_FILE')),
    readyTimeout: 5_000,
    hostVerifier: (key: Buffer) => fingerprintOf(key) === expected,
  };
}

describe('local test stack: PostgreSQL', () => {
  const table = `stack_probe_${randomBytes(4).toString('hex')}`;

  it('points both URLs at the fresh test database, as different roles', () => {
    const app = new URL(env('DATABASE_URL'));
    const owner = new URL(env('DATABASE_MIGRATION_URL'));
    expect(app.pathname).toBe(`/${TEST_DB_NAME}`);
    expect(owner.pathname).toBe(`/${TEST_DB_NAME}`);
    expect(app.username).not.toBe(owner.username);
  });

  it('lets the run-time role read and write a table the owner made (including its sequence)', async () => {
    await withPg(env('DATABASE_MIGRATION_URL'), (c) =>
      c.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, amount_pence bigint NOT NULL)`),
    );
    try {
      const rows = await withPg(env('DATABASE_URL'), async (c) => {
        await c.query(`INSERT INTO ${table} (amount_pence) VALUES (1250), (-75)`);
        await c.query(`UPDATE ${table} SET amount_pence = amount_pence * 2 WHERE amount_pence < 0`);
        await c.query(`DELETE FROM ${table} WHERE amount_pence = 1250`);
        return (await c.query(`SELECT id::text, amount_pence::text FROM ${table} ORDER BY id`)).rows;
      });
      // Two inserts took ids 1 and 2 from the sequence; the -75 row (id 2) was doubled, id 1 deleted.
      expect(rows).toEqual([{ id: '2', amount_pence: '-150' }]);
    } finally {
      await withPg(env('DATABASE_MIGRATION_URL'), (c) => c.query(`DROP TABLE ${table}`));
    }
  });

  it('refuses DDL to the run-time role (42501 insufficient_privilege)', async () => {
    await withPg(env('DATABASE_URL'), async (c) => {
      await expect(c.query(`CREATE TABLE ${table}_app (i int)`)).rejects.toMatchObject({ code: '42501' });
      await expect(c.query(`CREATE SCHEMA ${table}_s`)).rejects.toMatchObject({ code: '42501' });
    });
  });

  it('covers tables the owner creates in a new schema through default privileges', async () => {
    const schema = `${table}_schema`;
    await withPg(env('DATABASE_MIGRATION_URL'), (c) =>
      c.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (v int)`),
    );
    try {
      const n = await withPg(env('DATABASE_URL'), async (c) => {
        await c.query(`INSERT INTO ${schema}.t VALUES (7)`);
        return (await c.query(`SELECT sum(v)::int AS n FROM ${schema}.t`)).rows[0].n;
      });
      expect(n).toBe(7);
    } finally {
      await withPg(env('DATABASE_MIGRATION_URL'), (c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    }
  });
});

describe('local test stack: Redis', () => {
  it('uses maxmemory-policy noeviction (BullMQ requirement)', async () => {
    const redis = new Redis(env('REDIS_URL'), { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      redis.disconnect();
    }
  });
});

describe('local test stack: SFTP (OpenSSH internal-sftp)', () => {
  const endpoints = ['DPB_CARE_INBOX', 'DPB_BANK_INBOX', 'DPB_CARD_INBOX', 'DPB_FINANCE_OUTBOX', 'DPB_CARD_OUTBOX'];

  it('connects with the pinned host key and sees every endpoint folder', async () => {
    const sftp = new SftpClient();
    await sftp.connect(sftpOptions(pinnedFingerprint()));
    try {
      for (const name of endpoints) {
        const url = new URL(env(name));
        expect(url.protocol).toBe('sftp:');
        expect(url.hostname).toBe(env('DPB_SFTP_HOST'));
        expect(url.port).toBe(env('DPB_SFTP_PORT'));
        expect(url.pathname.startsWith(env('DPB_SFTP_ROOT') + '/')).toBe(true);
        expect(await sftp.exists(decodeURIComponent(url.pathname))).toBe('d');
      }
      // A round trip through the finance outbox, and OpenSSH's no-clobber rename.
      const dir = decodeURIComponent(new URL(env('DPB_FINANCE_OUTBOX')).pathname);
      const body = Buffer.from('H,probe\n');
      await sftp.put(body, `${dir}/probe.tmp`);
      await sftp.rename(`${dir}/probe.tmp`, `${dir}/probe.csv`);
      expect(Buffer.compare((await sftp.get(`${dir}/probe.csv`)) as Buffer, body)).toBe(0);
      await sftp.put(Buffer.from('other'), `${dir}/probe2.tmp`);
      await expect(sftp.rename(`${dir}/probe2.tmp`, `${dir}/probe.csv`)).rejects.toThrow();
      await sftp.delete(`${dir}/probe.csv`);
      await sftp.delete(`${dir}/probe2.tmp`);
    } finally {
      await sftp.end();
    }
  });

  it('refuses a server whose host key does not match the pinned fingerprint', async () => {
    const right = pinnedFingerprint();
    // Same shape, different digest: flip the first base64 character after "SHA256:".
    const wrong = 'SHA256:' + (right[7] === 'A' ? 'B' : 'A') + right.slice(8);
    expect(wrong).not.toBe(right);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const sftp = new SftpClient();
    try {
      await expect(sftp.connect(sftpOptions(wrong))).rejects.toThrow();
      // ssh2-sftp-client's global listeners may log late after a failed connect.
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await sftp.end().catch(() => undefined);
      log.mockRestore();
    }
  });
});
