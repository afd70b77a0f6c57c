/** RFC 4180 CSV: fields quoted only when needed, quotes doubled, CRLF record separators. */
import { parse } from 'csv-parse/sync';
import { FinanceFileError } from './errors';

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRecord(fields: string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

/** Parses RFC 4180 text into rows of strings (no casting: leading zeros survive). */
export function parseCsv(content: Buffer | string, what: string): string[][] {
  try {
    return parse(typeof content === 'string' ? content : content.toString('utf8'), {
      relax_column_count: true,
      bom: true,
      cast: false,
      skip_empty_lines: true,
    }) as string[][];
  } catch {
    throw new FinanceFileError('CSV_NOT_PARSEABLE', `${what} is not RFC 4180 CSV`);
  }
}
