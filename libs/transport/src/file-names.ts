import { createHash } from 'node:crypto';
import { TransportError } from './errors';

export const ARCHIVE_DIR = 'archive';
export const QUARANTINE_DIR = 'quarantine';
export const DONE_SUFFIX = '.done';
export const ERROR_REPORT_SUFFIX = '.error.json';

const TEMP_SUFFIXES = ['.tmp', '.part', '.filepart'];

/**
 * A file name as used by the endpoint API: one path segment, no separators, not "." or "..",
 * no control characters. Throws INVALID_NAME otherwise.
 */
export function assertPlainName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\x00-\x1f]/.test(name) || name.length > 255) {
    throw new TransportError('INVALID_NAME', 'file name must be a single path segment without separators');
  }
}

/** The longest name most file systems hold (bytes); names we derive must stay below it. */
export const NAME_MAX_BYTES = 255;
/** Default longest inbound name taken as it is (bytes): room is left for `.<sha8>`, `.error.json`
 * and the temporary name of the report. */
export const DEFAULT_MAX_NAME_BYTES = 200;

/**
 * Structural check for a name that came from a listing of the folder: it addresses exactly one
 * entry of that folder (no separator, not "." or "..", no NUL). Unlike `assertPlainName` it lets
 * through names that are legal but hostile (control characters, newlines, "..", very long):
 * the intake must be able to move those to quarantine.
 */
export function assertSegment(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\x00]/.test(name) || Buffer.byteLength(name) > NAME_MAX_BYTES) {
    throw new TransportError('INVALID_NAME', 'file name must be a single path segment without separators');
  }
}

/** Why an inbound name is not taken as it is. */
export type NameProblem = 'CONTROL_CHARACTER' | 'SEPARATOR' | 'DOT_DOT' | 'TOO_LONG' | 'UNUSUAL_CHARACTER' | 'RESERVED' | 'NOT_UTF8';

// Letters and digits of any script, and the punctuation senders really use. No control or
// format characters (newlines, bidi overrides), no separators, no quotes or shell metacharacters.
const SAFE_NAME = /^[\p{L}\p{N}_][\p{L}\p{N} ._+=@,()#~&\[\]{}-]*$/u;

/**
 * Names are untrusted data. Returns why `name` must not be used as it is (it is then quarantined
 * under `quarantineNameFor(name)`), or null for an ordinary name.
 */
export function nameProblem(name: string, maxBytes = DEFAULT_MAX_NAME_BYTES): NameProblem | null {
  // The listing decodes a name that is not UTF-8 with U+FFFD: such a file cannot be addressed.
  if (name.includes('\ufffd')) return 'NOT_UTF8';
  if (/[\x00-\x1f\x7f-\x9f]/.test(name)) return 'CONTROL_CHARACTER';
  if (/[/\\]/.test(name)) return 'SEPARATOR';
  if (name.includes('..')) return 'DOT_DOT';
  if (Buffer.byteLength(name) > maxBytes) return 'TOO_LONG';
  if (!SAFE_NAME.test(name)) return 'UNUSUAL_CHARACTER';
  if (name === ARCHIVE_DIR || name === QUARANTINE_DIR) return 'RESERVED'; // a file posing as our folder
  return null;
}

/** A short stable reference to a name for logs and generated names (never the name itself). */
export function nameRef(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 16);
}

/** The generated name a file with an unusable name is quarantined under. */
export function quarantineNameFor(name: string): string {
  return `unsafe-name-${nameRef(name)}`;
}

/** Names that a sender uses while a file is still being written. */
export function isTempName(name: string): boolean {
  const lower = name.toLowerCase();
  return name.startsWith('.') || TEMP_SUFFIXES.some((s) => lower.endsWith(s));
}

export function isDoneMarkerName(name: string): boolean {
  return name.toLowerCase().endsWith(DONE_SUFFIX);
}

/** Whether a regular file in the inbox root is a candidate for pick-up. */
export function isCandidateName(name: string): boolean {
  return !isTempName(name) && !isDoneMarkerName(name);
}

export function doneMarkerName(name: string): string {
  return name + DONE_SUFFIX;
}

const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `archive/YYYY/MM/DD` for a civil date `YYYY-MM-DD` (validated, including the day of month). */
export function archiveDir(civilDate: string): string {
  const m = CIVIL_DATE.exec(civilDate);
  if (!m) throw new TransportError('INVALID_NAME', 'archive date must be a civil date YYYY-MM-DD');
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (daysInMonth === undefined || day < 1 || day > daysInMonth) {
    throw new TransportError('INVALID_NAME', 'archive date must be a real calendar date');
  }
  return `${ARCHIVE_DIR}/${y}/${mo}/${d}`;
}

/** `<name>.<first 8 hex of sha256>`: the name used when a different file already holds `name`. */
export function disambiguatedName(name: string, sha256Hex: string): string {
  return `${name}.${sha256Hex.slice(0, 8)}`;
}

/** Temporary name for an outbound file: hidden and `.tmp`, so readers skip it. */
export function tempNameFor(name: string, random: string): string {
  return `.${name}.${random}.tmp`;
}
