/**
 * Which errors thrown while a file is read are the file's fault and which are the platform's.
 * Pure: no I/O. The intake quarantines a file whose reads keep failing for an unknown reason, but
 * an infrastructure failure (database, SFTP, disk) must propagate so the job is retried later:
 * quarantining good files because PostgreSQL restarted would be far worse than a late night.
 */
import { TransportError } from '@dpb/transport';

/** The per-file reader time-out expired. */
export class ReaderTimeout extends Error {
  override readonly name = 'ReaderTimeout';
  constructor(readonly ms: number) {
    super(`the reader did not finish within ${ms} ms`);
  }
}

// SQLSTATE classes that say nothing about the file: connection (08), resources (53), operator
// intervention such as a shutdown (57), system (58), rollbacks and deadlocks (40), locks (55),
// invalid transaction state (25), syntax and undefined objects, i.e. our bug (42), internal (XX),
// configuration (F0), PL/pgSQL (P0) and the server's own (HV).
const INFRA_SQLSTATE_CLASSES = new Set(['08', '25', '40', '42', '53', '55', '57', '58', 'F0', 'HV', 'P0', 'XX']);

// node-postgres and TypeORM failures that carry no SQLSTATE.
const INFRA_MESSAGES = [
  /connection terminated/i,
  /connection (is )?(closed|ended|refused|reset)/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /query runner already released/i,
  /connection .* (not|is not) (established|set)/i,
  /terminating connection/i,
];

const INFRA_ERROR_NAMES = new Set(['QueryRunnerAlreadyReleasedError', 'ConnectionIsNotSetError', 'CannotConnectAlreadyConnectedError', 'ConnectionNotFoundError']);

function codeOf(e: object): string | undefined {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : undefined;
}

/**
 * True when `e` (or its cause, or the driver error TypeORM wraps) comes from the infrastructure:
 * a transport error other than a bad name or size, a PostgreSQL error of an infrastructure
 * SQLSTATE class, a Node system error (ECONNRESET, ENOSPC, EIO...), or a known connection message.
 */
export function isInfrastructureError(e: unknown, depth = 0): boolean {
  if (typeof e !== 'object' || e === null || depth > 4) return false;
  if (e instanceof TransportError) return e.code !== 'INVALID_NAME' && e.code !== 'TOO_LARGE';
  const name = (e as { name?: unknown }).name;
  if (typeof name === 'string' && INFRA_ERROR_NAMES.has(name)) return true;
  const code = codeOf(e);
  if (code !== undefined) {
    if (/^[0-9A-Z]{5}$/.test(code) && INFRA_SQLSTATE_CLASSES.has(code.slice(0, 2))) return true;
    if (/^E(?!RR_)[A-Z0-9_]+$/.test(code)) return true; // a Node system error: ECONNRESET, ENOSPC, EIO (not ERR_*)
  }
  const message = (e as { message?: unknown }).message;
  if (typeof message === 'string' && INFRA_MESSAGES.some((re) => re.test(message))) return true;
  const inner = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  return inner !== undefined && inner !== e && isInfrastructureError(inner, depth + 1);
}

/** The class and code of an error, for ledgers and logs: never its message (it may quote the file). */
export function failureDetail(e: unknown): string {
  if (typeof e !== 'object' || e === null) return typeof e;
  const name = (e as { name?: unknown }).name;
  const code = codeOf(e);
  return [typeof name === 'string' ? name.slice(0, 60) : 'Error', code ? `(${code.slice(0, 40)})` : ''].join(' ').trim();
}
