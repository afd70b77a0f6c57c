import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadEnv } from './config';

const valid = {
  DATABASE_URL: 'postgres://app@db:5432/dpbridge',
  REDIS_URL: 'redis://redis:6379',
  DPB_CARE_INBOX: 'sftp://dp@sftp.example:22/inbox/care',
  DPB_BANK_INBOX: 'file:///srv/bank',
  DPB_CARD_INBOX: 'file:///srv/card',
  DPB_FINANCE_OUTBOX: 'file:///srv/finance',
  DPB_CARD_OUTBOX: 'file:///srv/cardout',
};

describe('environment configuration', () => {
  it('accepts a complete environment and applies defaults', () => {
    const env = loadEnv(valid);
    expect(env.DPB_STABILITY_MS).toBe(5000);
    expect(env.DPB_MAX_FILE_BYTES).toBe(2 * 1024 ** 3);
    expect(env.DPB_OPS_READ_ONLY).toBe(true);
    expect(env.DPB_QUEUE_PREFIX).toBe('dpb');
  });

  it('lists every bad or missing value, one line each, without echoing values', () => {
    const secret = 'not-a-url-with-S3CRET';
    let error: ConfigError | undefined;
    try {
      loadEnv({ ...valid, DATABASE_URL: undefined, REDIS_URL: secret, DPB_CARE_INBOX: 'ftp://x/y', DPB_STABILITY_MS: '-5' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = error!.problems;
    expect(lines).toHaveLength(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        'DATABASE_URL: is required but missing',
        expect.stringMatching(/^REDIS_URL: must be a redis:\/\/ URL$/),
        expect.stringMatching(/^DPB_CARE_INBOX: must be file:\/\/\/path or sftp:\/\/user@host:port\/path$/),
        expect.stringMatching(/^DPB_STABILITY_MS: /),
      ]),
    );
    expect(error!.message).not.toContain('S3CRET');
  });

  it('refuses a short ops password', () => {
    expect(() => loadEnv({ ...valid, DPB_OPS_PASSWORD: 'short' })).toThrow(/DPB_OPS_PASSWORD: must be at least 12 characters/);
  });

  describe('secrets from files (NAME_FILE)', () => {
    let dir: string;
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text, { mode: 0o600 });
      return file;
    };
    const problemsOf = (source: NodeJS.ProcessEnv): string[] => {
      try {
        loadEnv(source);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).message).not.toContain('S3CRET');
        return (e as ConfigError).problems;
      }
      throw new Error('expected a ConfigError');
    };
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpb-config-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reads DATABASE_URL, DATABASE_MIGRATION_URL, REDIS_URL and DPB_OPS_PASSWORD from files, less a trailing newline', () => {
      const env = loadEnv({
        ...valid,
        DATABASE_URL: undefined,
        REDIS_URL: undefined,
        DATABASE_URL_FILE: write('db', 'postgres://app:S3CRET@db:5432/dpbridge\n'),
        DATABASE_MIGRATION_URL_FILE: write('owner', 'postgres://owner:S3CRET2@db:5432/dpbridge'),
        REDIS_URL_FILE: write('redis', 'redis://:S3CRET3@redis:6379\r\n'),
        DPB_OPS_PASSWORD_FILE: write('ops', 'a-long-S3CRET-password\n'),
      });
      expect(env.DATABASE_URL).toBe('postgres://app:S3CRET@db:5432/dpbridge');
      expect(env.DATABASE_MIGRATION_URL).toBe('postgres://owner:S3CRET2@db:5432/dpbridge');
      expect(env.REDIS_URL).toBe('redis://:S3CRET3@redis:6379');
      expect(env.DPB_OPS_PASSWORD).toBe('a-long-S3CRET-password');
    });

    it('refuses both NAME and NAME_FILE, a missing or empty file, and a bad value read from a file, naming only the variable', () => {
      const lines = problemsOf({
        ...valid,
        DATABASE_URL_FILE: write('db2', 'postgres://app:S3CRET@db/dpbridge'),
        REDIS_URL: undefined,
        REDIS_URL_FILE: path.join(dir, 'no-such-S3CRET-file'),
        DPB_OPS_PASSWORD_FILE: write('empty', '\n'),
        DATABASE_MIGRATION_URL_FILE: write('bad', 'mysql://root:S3CRET@db/x'),
      });
      expect(lines.sort()).toEqual([
        'DATABASE_MIGRATION_URL: must be a postgres:// URL',
        'DATABASE_URL and DATABASE_URL_FILE are both set: set one',
        'DPB_OPS_PASSWORD_FILE: the file is empty',
        'REDIS_URL_FILE: cannot read the file (ENOENT)',
      ]);
    });

    it('never echoes a value that fails validation, from the environment or a file', () => {
      const lines = problemsOf({ ...valid, DPB_OPS_PASSWORD: 'S3CRET', DATABASE_URL: 'S3CRET', DPB_OPS_READ_ONLY: 'S3CRET', DPB_WORKER_CONCURRENCY: 'S3CRET' });
      expect(lines).toHaveLength(4);
      expect(lines.join('\n')).not.toContain('S3CRET');
    });
  });
});
