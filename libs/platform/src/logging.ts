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

/**
 * Marks an error class whose `message` is built from counts, ids and rule codes only (never from
 * input values), so the log may keep it: `readonly [SAFE_MESSAGE] = true` on the class.
 */
export const SAFE_MESSAGE: unique symbol = Symbol.for('dpbridge.safeMessage') as never;

/** What a log line keeps of an error: its class, its code and schema names; never values. */
export interface LoggedError {
  /** The error's class (constructor name; the error's `name` when the constructor is plain Error). */
  type: string;
  /** Machine code: SQLSTATE (`23505`), Node's (`ECONNREFUSED`), ours (`HOST_KEY_REJECTED`). */
  code?: string;
  /** PostgreSQL: the schema objects involved (names of tables, columns, constraints). */
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  /** Node system errors: the failed call. */
  syscall?: string;
  /** Only for classes marked with SAFE_MESSAGE. */
  message?: string;
  cause?: LoggedError;
}

const TOKEN = /^[A-Za-z0-9_.:$-]{1,64}$/;
const CLASS = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
const token = (v: unknown): string | undefined =>
  (typeof v === 'string' || typeof v === 'number') && TOKEN.test(String(v)) ? String(v) : undefined;

/**
 * The error serializer (key `err`). Keeps the class, `code`, PostgreSQL's schema-object names and
 * Node's `syscall`, and the cause's (two levels). Drops everything else: messages (a PostgreSQL
 * message can quote a value: `invalid input syntax for type bigint: "..."`), `detail`
 * (`Key (dp_id)=(...) already exists`), `where`, query parameters, stack traces (their first line
 * is the message), paths and file names (untrusted input). Accepts an Error, pino's serialized
 * form of one (pino-http wraps serializers) or a plain object.
 */
export function serializeError(value: unknown, depth = 0): LoggedError | undefined {
  if (value === null || typeof value !== 'object') return value === undefined ? undefined : { type: typeof value };
  const raw = ((value as { raw?: unknown }).raw ?? value) as Record<string | symbol, unknown>;
  const ctor = (raw.constructor as { name?: unknown } | undefined)?.name;
  const named = typeof raw.name === 'string' && CLASS.test(raw.name) ? raw.name : undefined;
  const type =
    typeof ctor === 'string' && CLASS.test(ctor) && ctor !== 'Error' && ctor !== 'Object'
      ? ctor
      : (named ?? (typeof (value as { type?: unknown }).type === 'string' && CLASS.test((value as { type: string }).type)
          ? (value as { type: string }).type
          : 'Error'));
  const out: LoggedError = { type };
  for (const k of ['code', 'schema', 'table', 'column', 'constraint', 'syscall'] as const) {
    const v = token(raw[k]);
    if (v !== undefined) out[k] = v;
  }
  if (raw[SAFE_MESSAGE] === true && typeof raw.message === 'string') out.message = raw.message.slice(0, 500);
  if (depth < 2 && raw.cause !== undefined) out.cause = serializeError(raw.cause, depth + 1);
  return out;
}

export function loggerOptions(opts: { level?: string; pretty?: boolean; name?: string } = {}): LoggerOptions {
  const pretty = opts.pretty ?? (process.env.NODE_ENV !== 'production' && process.stdout.isTTY === true);
  return {
    name: opts.name ?? 'dpbridge',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: redactPaths(), censor: '[redacted]' },
    serializers: { err: serializeError },
    hooks: {
      // pino would take the message of an Error logged alone (`log.error(e)`) as the line's `msg`.
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        if (first instanceof Error && typeof second !== 'string') {
          return method.apply(this, [{ err: first }, serializeError(first)?.type ?? 'Error'] as never);
        }
        return method.apply(this, args);
      },
    },
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
