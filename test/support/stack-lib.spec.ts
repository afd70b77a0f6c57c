// Unit tests for the pure helpers of scripts/stack-lib.mjs. Jest cannot import an .mjs without
// --experimental-vm-modules, so each call runs in a child `node` (no services are started).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { STACK_LIB } from './stack-paths';

/** Calls `lib[fn](...args)` in a child Node process and returns its JSON result (or error message). */
function call(fn: string, ...args: unknown[]): unknown {
  const code = `
    const lib = await import(${JSON.stringify(pathToFileURL(STACK_LIB).href)});
    let out;
    try { out = { ok: await lib[${JSON.stringify(fn)}](...${JSON.stringify(args)}) }; }
    catch (e) { out = { error: e.message }; }
    process.stdout.write(JSON.stringify(out));`;
  const res = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }));
  if ('error' in res) throw new Error(res.error);
  return res.ok;
}

// Key and fingerprint made by hand: `ssh-keygen -t ed25519 -C fixture` then `ssh-keygen -lf k.pub`.
const FIXTURE_PUB =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP0kPnzKEuFsWp7OpdigxO6vsVMojpd9UhFm29ztG0sq fixture';
const FIXTURE_FP = 'SHA256:K88cBiXKRkuYj4leduthIJ2R+t8oZRqwLzgk+gTh+H8';

describe('stack-lib fingerprints', () => {
  it('computes the same SHA256 fingerprint as ssh-keygen -lf', () => {
    expect(call('sshFingerprint', FIXTURE_PUB)).toBe(FIXTURE_FP);
  });

  it('reads the fingerprint out of ssh-keygen -lf output', () => {
    expect(call('parseKeygenFingerprint', `256 ${FIXTURE_FP} fixture (ED25519)\n`)).toBe(FIXTURE_FP);
    expect(() => call('parseKeygenFingerprint', '256 MD5:aa:bb fixture (ED25519)')).toThrow(/no SHA256/);
  });

  it('rejects text that is not a public key line', () => {
    expect(() => call('sshFingerprint', 'garbage')).toThrow(/not an OpenSSH public key/);
  });
});

describe('stack-lib buildEnv', () => {
  const env = call('buildEnv', {
    databaseUrl: 'postgres://dpb_app@127.0.0.1:5433/dpbridge',
    migrationUrl: 'postgres://dpb_owner@127.0.0.1:5433/dpbridge',
    redisUrl: 'redis://127.0.0.1:6380',
    sftp: {
      host: '127.0.0.1',
      port: 2222,
      user: 'root',
      privateKeyFile: '/s/ssh/client_ed25519',
      fingerprint: FIXTURE_FP,
      root: '/s/sftp dir',
    },
  }) as Record<string, string>;

  it('publishes the database, Redis and SFTP settings', () => {
    expect(env.DATABASE_URL).toBe('postgres://dpb_app@127.0.0.1:5433/dpbridge');
    expect(env.DATABASE_MIGRATION_URL).toBe('postgres://dpb_owner@127.0.0.1:5433/dpbridge');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6380');
    expect(env.DPB_SFTP_PORT).toBe('2222');
    expect(env.DPB_SFTP_KNOWN_HOSTS).toBe(`127.0.0.1:2222 ${FIXTURE_FP}`);
    expect(env.DPB_SFTP_ROOT).toBe('/s/sftp dir');
  });

  it('names every inbox and outbox as an sftp:// URL under the SFTP root (path percent-encoded)', () => {
    expect(env.DPB_CARE_INBOX).toBe('sftp://root@127.0.0.1:2222/s/sftp%20dir/care');
    expect(env.DPB_BANK_INBOX).toBe('sftp://root@127.0.0.1:2222/s/sftp%20dir/bank');
    expect(env.DPB_CARD_INBOX).toBe('sftp://root@127.0.0.1:2222/s/sftp%20dir/card');
    expect(env.DPB_FINANCE_OUTBOX).toBe('sftp://root@127.0.0.1:2222/s/sftp%20dir/finance');
    expect(env.DPB_CARD_OUTBOX).toBe('sftp://root@127.0.0.1:2222/s/sftp%20dir/cardout');
    expect(decodeURIComponent(new URL(env.DPB_CARE_INBOX).pathname)).toBe('/s/sftp dir/care');
  });

  it('defaults the migration URL to DATABASE_URL', () => {
    const e = call('buildEnv', {
      databaseUrl: 'postgres://u@h:1/d',
      redisUrl: 'redis://h:2',
      sftp: { host: 'h', port: 3, user: 'u', privateKeyFile: '/k', fingerprint: FIXTURE_FP, root: '/r' },
    }) as Record<string, string>;
    expect(e.DATABASE_MIGRATION_URL).toBe('postgres://u@h:1/d');
  });
});

describe('stack-lib env.sh', () => {
  it('exports values a POSIX shell reads back unchanged, quotes included', () => {
    const env = { A: "it's $HOME `x` \"y\"", B: 'sftp://root@127.0.0.1:2222/a b' };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stack-env-')), 'env.sh');
    fs.writeFileSync(file, call('envToShell', env) as string);
    const out = execFileSync('/bin/sh', ['-c', `. "${file}"; printf '%s\\n%s' "$A" "$B"`], { encoding: 'utf8' });
    expect(out).toBe(`${env.A}\n${env.B}`);
  });
});

describe('stack-lib URLs and SQL', () => {
  it('switches a connection URL to another database, keeping credentials and options', () => {
    expect(call('withDatabase', 'postgres://u:p%40ss@db:5432/dpbridge?sslmode=require', 'dpbridge_test')).toBe(
      'postgres://u:p%40ss@db:5432/dpbridge_test?sslmode=require',
    );
  });

  it('grants data rights, never DDL, and covers future tables through default privileges', () => {
    const sql = (call('grantSql', 'dpbridge_test') as string[]).join(';\n');
    expect(sql).toContain('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dpb_app');
    expect(sql).toContain('ALTER DEFAULT PRIVILEGES FOR ROLE dpb_owner GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dpb_app');
    expect(sql).toContain('ALTER DEFAULT PRIVILEGES FOR ROLE dpb_owner GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO dpb_app');
    expect(sql).toContain('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    expect(sql).not.toMatch(/GRANT[^;]*\bCREATE\b[^;]*TO dpb_app/);
  });

  it('refuses identifiers that would need quoting', () => {
    expect(() => call('grantSql', 'x; DROP DATABASE y')).toThrow(/unsafe SQL identifier/);
  });
});

describe('stack-lib parseArgs', () => {
  it('parses command, --dir (both spellings) and --json', () => {
    expect(call('parseArgs', ['start', '--dir', '.stack/demo', '--json'])).toEqual({
      command: 'start',
      dir: '.stack/demo',
      json: true,
    });
    expect(call('parseArgs', ['status', '--dir=/x'])).toEqual({ command: 'status', dir: '/x', json: false });
    expect(call('parseArgs', ['stop'])).toEqual({ command: 'stop', dir: '.stack', json: false });
  });

  it('refuses unknown commands and flags', () => {
    expect(() => call('parseArgs', ['restart'])).toThrow(/usage/);
    expect(() => call('parseArgs', ['start', '--force'])).toThrow(/unknown argument/);
    expect(() => call('parseArgs', ['start', '--dir'])).toThrow(/needs a value/);
  });
});
