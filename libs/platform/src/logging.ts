import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Personal-data field names that must never reach a log line. Code logs ids, hashes, counts and
 * totals only; this list is the safety net for a mistake (docs/pipeline.md: summaries carry
 * counts, totals, ids and codes only).
 */
export const PERSONAL_FIELDS = [
  'name', 'title', 'first', 'last', 'firstName', 'lastName', 'first_name', 'last_name',
  'nhsNumber', 'nhs_number', 'dateOfBirth', 'date_of_birth', 'dob', 'dateOfDeath', 'date_of_death',
  'address', 'line1', 'address_line1', 'town', 'postcode',
  'sortCode', 'sort_code', 'accountNumber', 'account_number', 'accountName', 'account_name',
  'accountRef', 'account_ref', 'card_account_ref', 'pan', 'iban',
  'merchant', 'counterparty', 'reference', 'password', 'authorization', 'privateKey',
];

/** Top-level keys pino itself uses, never personal: `name` is the logger's name. */
const LOGGER_KEYS = new Set(['name']);

export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const f of PERSONAL_FIELDS) {
    if (!LOGGER_KEYS.has(f)) paths.push(f);
    paths.push(`*.${f}`, `*.*.${f}`);
  }
  paths.push('req.headers.authorization', 'req.headers.cookie');
  return paths;
}

export function loggerOptions(opts: { level?: string; pretty?: boolean; name?: string } = {}): LoggerOptions {
  const pretty = opts.pretty ?? (process.env.NODE_ENV !== 'production' && process.stdout.isTTY === true);
  return {
    name: opts.name ?? 'dpbridge',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths(), censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  };
}

let root: Logger | undefined;

/** The process's root logger (JSON in production, pretty on a terminal in development). */
export function rootLogger(): Logger {
  root ??= pino(loggerOptions({ pretty: process.env.LOG_FORMAT ? process.env.LOG_FORMAT === 'pretty' : undefined }));
  return root;
}

/** Replaces the root logger, e.g. with one writing to a test stream. */
export function setRootLogger(logger: Logger): void {
  root = logger;
}
