import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SAFE_MESSAGE } from './logging';

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
  // Inbound safety limits (hostile or broken files are quarantined, the night goes on).
  DPB_INBOUND_MAX_NAME_BYTES: z.coerce.number().int().min(16).max(220).default(200),
  DPB_READER_TIMEOUT_MS: z.coerce.number().int().min(1000).default(15 * 60_000),
  DPB_READER_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(2),
  DPB_ZIP_MAX_ENTRIES: z.coerce.number().int().min(1).default(64),
  DPB_ZIP_MAX_INFLATED_BYTES: z.coerce.number().int().positive().default(512 * 1024 ** 2),
  DPB_ZIP_MAX_RATIO: z.coerce.number().int().min(2).default(200),
  DPB_XML_MAX_DEPTH: z.coerce.number().int().min(4).default(32),
  DPB_XML_MAX_FIELD_CHARS: z.coerce.number().int().min(64).default(4096),
  DPB_CSV_MAX_FIELD_CHARS: z.coerce.number().int().min(64).default(4096),
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
  /** Statement/card parser input limits; unset = the defaults in libs/statements/src/parsers/limits.ts. */
  DPB_PARSER_MAX_LINE_CHARS: z.coerce.number().int().min(80).optional(),
  DPB_PARSER_MAX_FIELD_CHARS: z.coerce.number().int().min(35).optional(),
  DPB_PARSER_MAX_XML_DEPTH: z.coerce.number().int().min(8).optional(),
  DPB_PARSER_MAX_XML_ATTRIBUTE_CHARS: z.coerce.number().int().min(64).optional(),
  DPB_PARSER_MAX_XML_ELEMENTS: z.coerce.number().int().min(1000).optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  /** Names and rules only, never values (see describeIssues): logs keep the message. */
  readonly [SAFE_MESSAGE] = true;
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

/**
 * Secrets (a password, or a URL that can carry one) may come from a file instead: `NAME_FILE`
 * holds the path (a Docker or Kubernetes secret, a file readable only by the service account).
 * Setting both is an error. The file's content, less one trailing newline, is the value.
 */
export const SECRET_FILE_VARS = ['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'REDIS_URL', 'DPB_OPS_PASSWORD'] as const;

/**
 * `source` with each `NAME_FILE` read into `NAME`, and one line per problem (names and error
 * codes only: never a path's content).
 */
export function resolveSecretFiles(
  source: NodeJS.ProcessEnv,
  readFile: (file: string) => string = (file) => fs.readFileSync(file, 'utf8'),
): { env: NodeJS.ProcessEnv; problems: Map<string, string> } {
  const env: NodeJS.ProcessEnv = { ...source };
  const problems = new Map<string, string>();
  for (const name of SECRET_FILE_VARS) {
    const file = source[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (source[name] !== undefined && source[name] !== '') {
      problems.set(name, `${name} and ${name}_FILE are both set: set one`);
      continue;
    }
    let value: string;
    try {
      value = readFile(file).replace(/\r?\n$/, '');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      problems.set(name, `${name}_FILE: cannot read the file (${code})`);
      continue;
    }
    if (value === '') problems.set(name, `${name}_FILE: the file is empty`);
    else env[name] = value;
  }
  return { env, problems };
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const { env, problems } = resolveSecretFiles(source);
  const result = EnvSchema.safeParse(env);
  if (result.success && problems.size === 0) return result.data;
  // A variable whose file failed is reported once, by its file problem.
  const issues = result.success ? [] : result.error.issues.filter((i) => !problems.has(String(i.path[0])));
  throw new ConfigError([...problems.values(), ...describeIssues(issues)]);
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
