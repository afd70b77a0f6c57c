import { parse as parseSync } from 'csv-parse/sync';
import { isCivilDate } from '@dpb/common';
import { parseDecimalMinor } from '../parsers/amounts';
import { decodeText } from '../parsers/encoding';
import { ParseError } from '../parsers/errors';
import { isKnownArucsReason } from './reasons';

/**
 * dpbridge's ARUCS-style returns profile (docs/formats/statements.md "Bacs returns"): a CSV with a
 * header row naming at least `reference`, `amount` and `reason_code`; optional `end_to_end_id`,
 * `return_date` and `original_processing_date`. Other columns (names, sort codes, account
 * numbers the bank includes) are ignored and never stored.
 */
export interface ArucsItem {
  /** 1-based data row. */
  row: number;
  reference: string;
  endToEndId: string | null;
  /** Positive pence returned. */
  amountMinor: bigint;
  reasonCode: string;
  returnDate: string | null;
  originalProcessingDate: string | null;
}

export interface ArucsFile {
  items: ArucsItem[];
  /** Rows with a reason code outside 0, 2, 3, 5, B, C (kept, reported). */
  unknownReasonRows: number[];
}

const REQUIRED = ['reference', 'amount', 'reason_code'] as const;
const OPTIONAL = ['end_to_end_id', 'return_date', 'original_processing_date'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

const norm = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s-]+/g, '_');

/** True when the first line is an ARUCS-style header (checked before the statement formats). */
export function isArucsHead(head: Buffer): boolean {
  const first = head.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const cols = new Set(first.split(',').map((c) => norm(c.replace(/^"|"$/g, ''))));
  return REQUIRED.every((c) => cols.has(c));
}

export function parseArucsCsv(input: Buffer | string): ArucsFile {
  const text = decodeText(input);
  if (text.trim() === '') throw new ParseError('EMPTY_INPUT', 'file is empty');
  let rows: string[][];
  try {
    rows = parseSync(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (e) {
    const lines = (e as { lines?: unknown }).lines;
    throw new ParseError('BAD_RECORD', 'not valid RFC 4180 CSV', typeof lines === 'number' ? { line: lines } : {});
  }
  const header = rows[0].map(norm);
  const at = new Map<Column, number>();
  for (const c of [...REQUIRED, ...OPTIONAL]) {
    const i = header.indexOf(c);
    if (i >= 0) at.set(c, i);
  }
  for (const c of REQUIRED) if (!at.has(c)) throw new ParseError('MISSING_COLUMN', `header has no ${c} column`, { line: 1 });
  const out: ArucsFile = { items: [], unknownReasonRows: [] };
  rows.slice(1).forEach((fields, i) => {
    const row = i + 1;
    const where = { record: `row ${row}`, line: row + 1 };
    const get = (c: Column) => {
      const idx = at.get(c);
      return idx === undefined ? '' : (fields[idx] ?? '').trim();
    };
    const reference = get('reference');
    if (reference === '') throw new ParseError('MISSING_ELEMENT', 'reference is empty', where);
    const amountText = get('amount');
    if (amountText === '') throw new ParseError('MISSING_ELEMENT', 'amount is empty', where);
    const amountMinor = parseDecimalMinor(amountText, 'GBP', { field: 'amount', ...where });
    if (amountMinor <= 0n) throw new ParseError('BAD_AMOUNT', 'amount must be positive', where);
    const reasonCode = get('reason_code').toUpperCase();
    if (!/^[0-9A-Z]$/.test(reasonCode)) throw new ParseError('BAD_CODE', 'reason_code is not one character 0-9/A-Z', where);
    if (!isKnownArucsReason(reasonCode)) out.unknownReasonRows.push(row);
    const date = (c: Column) => {
      const v = get(c);
      if (v === '') return null;
      if (!isCivilDate(v)) throw new ParseError('BAD_DATE', `${c} is not a YYYY-MM-DD date`, where);
      return v;
    };
    out.items.push({
      row,
      reference,
      endToEndId: get('end_to_end_id') || null,
      amountMinor,
      reasonCode,
      returnDate: date('return_date'),
      originalProcessingDate: date('original_processing_date'),
    });
  });
  return out;
}
