import { parseIntegerMinor } from '../amounts';
import { dayNumber, isCivilDate } from '../dates';
import { ParseError } from '../errors';

/** Canonical card CSV columns (card-transactions.md). */
export const CARD_COLUMNS = [
  'txn_id', 'account_ref', 'posted_at', 'type', 'status', 'amount_minor', 'currency', 'mcc', 'merchant', 'reference',
  'balance_minor',
] as const;
export type CardColumn = (typeof CARD_COLUMNS)[number];
export const REQUIRED_CARD_COLUMNS: readonly CardColumn[] = [
  'txn_id', 'account_ref', 'posted_at', 'type', 'status', 'amount_minor', 'currency',
];

/** A provider's header names -> canonical columns; headers not named are ignored. */
export type CardCsvMapping = Record<string, CardColumn>;

export const CARD_TYPES = ['LOAD', 'POS', 'ATM', 'TRANSFER_OUT', 'TRANSFER_IN', 'FEE', 'REFUND', 'UNLOAD'] as const;
export type CardTxnType = (typeof CARD_TYPES)[number];
export const CARD_STATUSES = ['SETTLED', 'PENDING', 'REVERSED', 'DECLINED'] as const;
export type CardTxnStatus = (typeof CARD_STATUSES)[number];

/** One validated row of a card file, in canonical form (what the importer COPYs). */
export interface CardTransaction {
  /** 1-based data row number in its file (header excluded). */
  row: number;
  txnId: string;
  accountRef: string;
  /** posted_at exactly as given (ISO 8601 with offset). */
  postedAt: string;
  /** Epoch milliseconds of posted_at (integer arithmetic, no clock). */
  postedAtMs: number;
  /** Europe/London civil date of posted_at. */
  postingDate: string;
  type: CardTxnType;
  status: CardTxnStatus;
  amountMinor: bigint;
  currency: 'GBP';
  mcc: string | null;
  merchant: string | null;
  reference: string | null;
  balanceMinor: bigint | null;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch ms of an ISO 8601 timestamp with an explicit offset, or null when it is not one. */
export function timestampMs(text: string): number | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m || !isCivilDate(m[1])) return null;
  const h = +m[2];
  const mi = +m[3];
  const s = m[4] === undefined ? 0 : +m[4];
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = m[5] === undefined ? 0 : +m[5].padEnd(3, '0').slice(0, 3);
  let offsetMin = 0;
  if (m[6] !== 'Z') {
    const o = m[6].replace(':', '');
    const oh = +o.slice(1, 3);
    const om = +o.slice(3, 5);
    if (oh > 18 || om > 59) return null;
    offsetMin = (o[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return dayNumber(m[1]) * 86_400_000 + ((h * 60 + mi - offsetMin) * 60 + s) * 1000 + ms;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/London civil date of an instant (handles GMT/BST through the tz database). */
export function londonDate(epochMs: number): string {
  const parts = LONDON.formatToParts(epochMs);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function oneOf<T extends string>(list: readonly T[], v: string): T | null {
  return (list as readonly string[]).includes(v) ? (v as T) : null;
}

/** Validates one canonical record (column -> raw string) into a CardTransaction. */
export function toCardTransaction(rec: Partial<Record<CardColumn, string>>, row: number, line?: number): CardTransaction {
  const where = { record: `row ${row}`, ...(line !== undefined ? { line } : {}) };
  const get = (c: CardColumn) => (rec[c] ?? '').trim();
  for (const c of REQUIRED_CARD_COLUMNS) {
    if (get(c) === '') throw new ParseError('MISSING_ELEMENT', `${c} is empty`, where);
  }
  const postedAtMs = timestampMs(get('posted_at'));
  if (postedAtMs === null) throw new ParseError('BAD_DATE', 'posted_at is not an ISO 8601 timestamp with an offset', where);
  const type = oneOf(CARD_TYPES, get('type').toUpperCase());
  if (!type) throw new ParseError('BAD_CODE', 'type is not a card transaction type', where);
  const status = oneOf(CARD_STATUSES, get('status').toUpperCase());
  if (!status) throw new ParseError('BAD_CODE', 'status is not SETTLED, PENDING, REVERSED or DECLINED', where);
  const ccy = get('currency').toUpperCase();
  if (ccy !== 'GBP' && ccy !== '826') throw new ParseError('BAD_CURRENCY', 'currency is not GBP/826', where);
  const mcc = get('mcc');
  if (mcc !== '' && !/^\d{4}$/.test(mcc)) throw new ParseError('BAD_CODE', 'mcc is not 4 digits', where);
  const balance = get('balance_minor');
  return {
    row,
    txnId: get('txn_id'),
    accountRef: get('account_ref'),
    postedAt: get('posted_at'),
    postedAtMs,
    postingDate: londonDate(postedAtMs),
    type,
    status,
    amountMinor: parseIntegerMinor(get('amount_minor'), { field: 'amount_minor', ...where }),
    currency: 'GBP',
    mcc: mcc || null,
    merchant: get('merchant') || null,
    reference: get('reference') || null,
    balanceMinor: balance === '' ? null : parseIntegerMinor(balance, { field: 'balance_minor', ...where }),
  };
}

/** Index of each canonical column in a header row, checked for the required ones. */
export function mapHeader(header: string[], mapping?: CardCsvMapping): (CardColumn | null)[] {
  const canonical = new Set<string>(CARD_COLUMNS);
  const cols = header.map((h) => {
    const name = h.replace(/^\uFEFF/, '').trim();
    if (mapping) return mapping[name] ?? null;
    return canonical.has(name) ? (name as CardColumn) : null;
  });
  for (const c of REQUIRED_CARD_COLUMNS) {
    if (!cols.includes(c)) throw new ParseError('MISSING_COLUMN', `header has no column mapped to ${c}`, { line: 1 });
  }
  const seen = new Set<CardColumn>();
  for (const c of cols) {
    if (c && seen.has(c)) throw new ParseError('MISSING_COLUMN', `two header columns map to ${c}`, { line: 1 });
    if (c) seen.add(c);
  }
  return cols;
}

export function recordFromFields(cols: (CardColumn | null)[], fields: string[]): Partial<Record<CardColumn, string>> {
  const rec: Partial<Record<CardColumn, string>> = {};
  cols.forEach((c, i) => {
    if (c) rec[c] = fields[i] ?? '';
  });
  return rec;
}
