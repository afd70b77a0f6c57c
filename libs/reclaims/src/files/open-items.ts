/**
 * Finance's AR open-items extract (CSV, RFC 4180, a heading row, then one row per open item). The
 * canonical columns are `invoice_id`, `open_amount` (pounds, two decimals; a leading or SAP-style
 * trailing minus) and `as_of` (`YYYY-MM-DD`, `YYYYMMDD` or `DD.MM.YYYY`); a council maps its own
 * headings onto them (`receivables.openItems.columns`, e.g. `Text: invoice_id`). Other columns
 * are ignored. Problems name the record and the column, never a value.
 */
import { parse } from 'csv-parse/sync';
import { isCivilDate } from '@dpb/common';
import { decimalToPence } from '@dpb/payments/files/amounts';
import type { OpenItem } from '../rules/debt';

export type OpenItemColumn = 'invoice_id' | 'open_amount' | 'as_of';
const COLUMNS: readonly OpenItemColumn[] = ['invoice_id', 'open_amount', 'as_of'];

export interface OpenItemsProblem {
  record?: number;
  field?: string;
  rule: string;
}

export type OpenItemsRead = { ok: true; items: OpenItem[] } | { ok: false; problems: OpenItemsProblem[] };

function civil(text: string): string | undefined {
  const t = text.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? t
    : /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6)}`
    : /^\d{2}\.\d{2}\.\d{4}$/.test(t) ? `${t.slice(6)}-${t.slice(3, 5)}-${t.slice(0, 2)}`
    : undefined;
  return iso && isCivilDate(iso) ? iso : undefined;
}

function pence(text: string): bigint | undefined {
  const t = text.trim().replace(/,/g, '');
  const trailing = /^(\d+(?:\.\d+)?)-$/.exec(t);
  try {
    return decimalToPence(trailing ? `-${trailing[1]}` : t, 'open_amount');
  } catch {
    return undefined;
  }
}

export function readOpenItems(content: Buffer | string, mapping: Readonly<Record<string, OpenItemColumn>> = {}): OpenItemsRead {
  let rows: string[][];
  try {
    rows = parse(content, { bom: true, relax_column_count: false, skip_empty_lines: true, trim: true }) as string[][];
  } catch {
    return { ok: false, problems: [{ rule: 'CSV_NOT_PARSEABLE' }] };
  }
  if (!rows.length) return { ok: false, problems: [{ rule: 'NO_HEADING_ROW' }] };
  const at = new Map<OpenItemColumn, number>();
  rows[0].forEach((h, i) => {
    const c = mapping[h] ?? (COLUMNS.includes(h as OpenItemColumn) ? (h as OpenItemColumn) : undefined);
    if (c && !at.has(c)) at.set(c, i);
  });
  const missing = COLUMNS.filter((c) => !at.has(c));
  if (missing.length) return { ok: false, problems: missing.map((field) => ({ record: 1, field, rule: 'MISSING_COLUMN' })) };
  const problems: OpenItemsProblem[] = [];
  const items: OpenItem[] = [];
  rows.slice(1).forEach((r, k) => {
    const record = k + 2;
    const invoiceId = r[at.get('invoice_id') as number];
    const openPence = pence(r[at.get('open_amount') as number]);
    const asOf = civil(r[at.get('as_of') as number]);
    if (!invoiceId || invoiceId.length > 50) problems.push({ record, field: 'invoice_id', rule: 'REQUIRED' });
    if (openPence === undefined) problems.push({ record, field: 'open_amount', rule: 'DECIMAL_AMOUNT' });
    if (asOf === undefined) problems.push({ record, field: 'as_of', rule: 'DATE' });
    if (invoiceId && openPence !== undefined && asOf) items.push({ invoiceId, openPence, asOf, record });
  });
  return problems.length ? { ok: false, problems } : { ok: true, items };
}
