import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * Process configuration: environment variables (validated once at start-up, one readable line per
 * bad or missing value) plus the YAML files in `config/` (or `DPB_CONFIG_DIR`).
 */
const endpointUrl = z
  .string()
  .regex(/^(file:\/\/\/|sftp:\/\/[^/@\s]+@[^/:\s]+(:\d{1,5})?\/)\S*$/, 'must be file:///path or sftp://user@host:port/path');

const boolish = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_MIGRATION_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  DPB_CONFIG_DIR: z.string().optional(),
  DPB_CARE_INBOX: endpointUrl,
  DPB_BANK_INBOX: endpointUrl,
  DPB_CARD_INBOX: endpointUrl,
  DPB_FINANCE_OUTBOX: endpointUrl,
  DPB_CARD_OUTBOX: endpointUrl,
  DPB_SFTP_PRIVATE_KEY_FILE: z.string().optional(),
  DPB_SFTP_KNOWN_HOSTS: z.string().optional(),
  DPB_MAX_FILE_BYTES: z.coerce.number().int().positive().default(2 * 1024 ** 3),
  DPB_STABILITY_MS: z.coerce.number().int().min(0).default(5000),
  DPB_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  DPB_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(1000).default(25000),
  DPB_MIGRATE_AT_BOOT: boolish.default(false),
  DPB_OPS_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DPB_OPS_USER: z.string().min(1).default('ops'),
  DPB_OPS_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  DPB_OPS_READ_ONLY: boolish.default(true),
  DPB_NIGHTLY_CRON: z.string().default('0 2 * * *'),
  /** BullMQ key prefix: separates fleets (or test runs) sharing one Redis. */
  DPB_QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'must be 1-32 characters a-z 0-9 _ -').default('dpb'),
  /** Night recovery (faults): how often each worker looks for unfinished nights with no live job. */
  DPB_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(500).default(30000),
  /** A night untouched for less than this is never recovered (its flow may still be being added). */
  DPB_RECOVERY_GRACE_MS: z.coerce.number().int().min(0).default(60000),
  /** Flows the recovery sweep may start for one night before it marks the night FAILED. */
  DPB_NIGHT_RECOVERIES: z.coerce.number().int().min(0).default(5),
  /** BullMQ stall check period and job lock (ms): a killed worker's job is picked up after about this long. */
  DPB_STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).default(30000),
  /** Stalls a stage job may suffer before BullMQ fails it (the recovery sweep restarts it after that). */
  DPB_MAX_STALLED_COUNT: z.coerce.number().int().min(1).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Formats zod issues as `NAME: message` lines, never echoing the offending value. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string[] {
  return issues.map((i) => {
    const where = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    const missing = i.code === 'invalid_type' && /received undefined/.test(i.message);
    return `${where || '(root)'}: ${missing ? 'is required but missing' : i.message}`;
  });
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) throw new ConfigError(describeIssues(result.error.issues));
  return result.data;
}

export function configDir(env: Pick<Env, 'DPB_CONFIG_DIR'>): string {
  return path.resolve(env.DPB_CONFIG_DIR ?? path.join(process.cwd(), 'config'));
}

/** Reads every `config/councils/<CODE>.yaml` as raw objects keyed by council code. */
export function readCouncilFiles(dir: string): Map<string, unknown> {
  const folder = path.join(dir, 'councils');
  const out = new Map<string, unknown>();
  if (!fs.existsSync(folder)) return out;
  for (const name of fs.readdirSync(folder).sort()) {
    const m = /^([A-Z0-9]{2,10})\.ya?ml$/.exec(name);
    if (!m) continue;
    const raw: unknown = parseYaml(fs.readFileSync(path.join(folder, name), 'utf8'));
    out.set(m[1], raw ?? {});
  }
  return out;
}
