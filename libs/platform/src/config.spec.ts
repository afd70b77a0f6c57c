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
});
