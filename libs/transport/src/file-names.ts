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
