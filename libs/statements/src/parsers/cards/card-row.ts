import { dayNumberOfParts, daysInMonth, londonDateOfEpochMs } from '@dpb/common';
import { ParseError } from '../errors';

/** Canonical card CSV columns (docs/formats/statements.md, card CSV profile). */
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

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch ms of an ISO 8601 timestamp with an explicit offset, or null when it is not one. */
export function timestampMs(text: string): number | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  const h = +m[4];
  const mi = +m[5];
  const s = m[6] === undefined ? 0 : +m[6];
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = m[7] === undefined ? 0 : +m[7].padEnd(3, '0').slice(0, 3);
  let offsetMin = 0;
  const z = m[8];
  if (z !== 'Z') {
    const colon = z.length === 6 ? 1 : 0;
    const oh = +z.slice(1, 3);
    const om = +z.slice(3 + colon, 5 + colon);
    if (oh > 18 || om > 59) return null;
    offsetMin = (z.charCodeAt(0) === 45 ? -1 : 1) * (oh * 60 + om);
  }
  return dayNumberOfParts(y, mo, d) * 86_400_000 + ((h * 60 + mi - offsetMin) * 60 + s) * 1000 + ms;
}

/** The Europe/London civil date of an instant in epoch ms, cached by UTC hour (common's). */
export const londonDate = londonDateOfEpochMs;

const TYPES: ReadonlySet<string> = new Set(CARD_TYPES);
const STATUSES: ReadonlySet<string> = new Set(CARD_STATUSES);
const INTEGER = /^[+-]?\d{1,19}$/;
const MCC = /^\d{4}$/;

/** Canonical decimal text of a valid integer (what BigInt(text).toString() gives), or null. */
function integerText(t: string): string | null {
  if (!INTEGER.test(t)) return null;
  const c0 = t.charCodeAt(0);
  if (c0 >= 49 && c0 <= 57) return t; // 1-9: already canonical
  if (c0 === 45 && t.length > 1) {
    const c1 = t.charCodeAt(1);
    if (c1 >= 49 && c1 <= 57) return t;
  }
  return BigInt(c0 === 43 ? t.slice(1) : t).toString();
}

/**
 * One validated row with its amounts as canonical integer text (the importer passes them to
 * COPY as text: no bigint on the hot path). Same checks, order and errors as toCardTransaction.
 */
export interface CardRowText extends Omit<CardTransaction, 'amountMinor' | 'balanceMinor'> {
  amountMinor: string;
  balanceMinor: string | null;
}

/** Raw (untrimmed) fields of one row, in CARD_COLUMNS order ('' for a column not in the file). */
export type CardFields = readonly string[];

/**
 * Validates one row given as its fields in CARD_COLUMNS order. Rejections name the row, the
 * line and the field, never the value.
 */
export function validateCardFields(f: CardFields, row: number, line?: number): CardRowText {
  const txnId = f[0].trim();
  const accountRef = f[1].trim();
  const postedAt = f[2].trim();
  const typeText = f[3].trim();
  const statusText = f[4].trim();
  const amount = f[5].trim();
  const currency = f[6].trim();
  const empty =
    txnId === '' ? 'txn_id' : accountRef === '' ? 'account_ref' : postedAt === '' ? 'posted_at' : typeText === '' ? 'type'
      : statusText === '' ? 'status' : amount === '' ? 'amount_minor' : currency === '' ? 'currency' : null;
  if (empty !== null) throw new ParseError('MISSING_ELEMENT', `${empty} is empty`, where(row, line, empty));
  const postedAtMs = timestampMs(postedAt);
  if (postedAtMs === null) throw new ParseError('BAD_DATE', 'posted_at is not an ISO 8601 timestamp with an offset', where(row, line, 'posted_at'));
  const type = typeText.toUpperCase();
  if (!TYPES.has(type)) throw new ParseError('BAD_CODE', 'type is not a card transaction type', where(row, line, 'type'));
  const status = statusText.toUpperCase();
  if (!STATUSES.has(status)) throw new ParseError('BAD_CODE', 'status is not SETTLED, PENDING, REVERSED or DECLINED', where(row, line, 'status'));
  const ccy = currency.toUpperCase();
  if (ccy !== 'GBP' && ccy !== '826') throw new ParseError('BAD_CURRENCY', 'currency is not GBP/826', where(row, line, 'currency'));
  const mcc = f[7].trim();
  if (mcc !== '' && !MCC.test(mcc)) throw new ParseError('BAD_CODE', 'mcc is not 4 digits', where(row, line, 'mcc'));
  const amountMinor = integerText(amount);
  if (amountMinor === null) throw new ParseError('BAD_AMOUNT', 'amount_minor is not an integer amount', where(row, line, 'amount_minor'));
  const balance = f[10].trim();
  const balanceMinor = balance === '' ? null : integerText(balance);
  if (balanceMinor === null && balance !== '') throw new ParseError('BAD_AMOUNT', 'balance_minor is not an integer amount', where(row, line, 'balance_minor'));
  return {
    row,
    txnId,
    accountRef,
    postedAt,
    postedAtMs,
    postingDate: londonDate(postedAtMs),
    type: type as CardTxnType,
    status: status as CardTxnStatus,
    currency: 'GBP',
    amountMinor,
    mcc: mcc || null,
    merchant: f[8].trim() || null,
    reference: f[9].trim() || null,
    balanceMinor,
  };
}

function where(row: number, line: number | undefined, field: string): { record: string; line?: number; field: string } {
  return line !== undefined ? { record: `row ${row}`, line, field } : { record: `row ${row}`, field };
}

/** Validates one canonical record (column -> raw string) into a CardTransaction. */
export function toCardTransaction(rec: Partial<Record<CardColumn, string>>, row: number, line?: number): CardTransaction {
  const t = validateCardFields(CARD_COLUMNS.map((c) => rec[c] ?? ''), row, line);
  return { ...t, amountMinor: BigInt(t.amountMinor), balanceMinor: t.balanceMinor === null ? null : BigInt(t.balanceMinor) };
}

/** For each CARD_COLUMNS entry, its index in the file's records (-1: not in the file). */
export function columnIndexes(cols: readonly (CardColumn | null)[]): number[] {
  return CARD_COLUMNS.map((c) => cols.indexOf(c));
}

/** The fields of one file record in CARD_COLUMNS order. */
export function pickFields(fields: readonly string[], idx: readonly number[]): string[] {
  const out = new Array<string>(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i];
    out[i] = j < 0 ? '' : (fields[j] ?? '');
  }
  return out;
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
