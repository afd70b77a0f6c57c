/** Text helpers shared by the writers: Bacs character set, fixed widths, XML escaping. */
import { FinanceFileError } from './errors';

/** Bacs Standard 18 character set: A-Z, 0-9, full stop, ampersand, slash, hyphen, space. */
export const BACS_CHARSET = /^[A-Z0-9.&/\- ]*$/;
const BACS_CLEAN = /^(?:[A-Z0-9.&/-]+(?: [A-Z0-9.&/-]+)*)?$/;

/**
 * Maps free text (e.g. an account name) into the Bacs character set: accents are stripped
 * (NFD, combining marks removed), letters upper-cased, apostrophes removed, every other
 * disallowed character becomes a space, runs of spaces collapse and the ends are trimmed.
 * `bacsText("Zoë O'Neill, & co")` -> `"ZOE ONEILL & CO"`.
 */
export function bacsText(text: string): string {
  // Fast path: already in the set, upper case, single-spaced and trimmed (the mapping is the identity).
  if (BACS_CLEAN.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/['\u2019`]/g, '')
    .replace(/[^A-Z0-9.&/\- ]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Left-justifies and space-pads `text` to exactly `width`, truncating when longer. */
export function padRight(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

/** Zero-fills a non-negative integer to exactly `width` digits; refuses overflow. */
export function zeroFill(value: bigint | number, width: number, field: string): string {
  const s = value.toString();
  if (s.startsWith('-')) throw new FinanceFileError('NEGATIVE_NUMERIC_FIELD', `${field} is negative`);
  if (s.length > width) throw new FinanceFileError('NUMERIC_FIELD_OVERFLOW', `${field} exceeds ${width} digits`);
  return s.padStart(width, '0');
}

const XML_SPECIAL = /[&<>"']/;
const ISO_LATIN_CLEAN = /^(?:[A-Za-z0-9/\-?:().,'+]+(?: [A-Za-z0-9/\-?:().,'+]+)*)?$/;

/** Escapes text for XML element content and attribute values. */
export function xmlEscape(text: string): string {
  if (!XML_SPECIAL.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Maps free text into the restricted Latin set most UK banks accept in ISO 20022 names
 * (letters, digits, space and / - ? : ( ) . , ' +): accents stripped, others become spaces.
 */
export function isoLatinText(text: string, max: number): string {
  // Fast path: already in the set, single-spaced and trimmed, and short enough.
  if (text.length <= max && ISO_LATIN_CLEAN.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
}
