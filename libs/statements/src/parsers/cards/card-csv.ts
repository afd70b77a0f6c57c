import { parse as parseSync } from 'csv-parse/sync';
import type { Readable } from 'stream';
import type { EntryStatus, NormalisedFile, Statement, StatementEntry } from '../../model';
import { countLines, decodeUtf8Strict, InvalidUtf8 } from '../encoding';
import { ParseError } from '../errors';
import { parserLimits, type ParserLimits } from '../limits';
import type { Warning } from '../warnings';
import {
  CARD_COLUMNS, CardCsvMapping, CardRowText, CardTransaction, CardTxnStatus, columnIndexes, mapHeader, pickFields, recordFromFields,
  toCardTransaction, validateCardFields,
} from './card-row';
import { CARD_CSV_OPTIONS, checkFieldLengths, csvError, csvRecordBatches, type CsvLimits } from './csv-records';

/**
 * The canonical prepaid-card CSV profile (card-transactions.md), with a per-provider header
 * mapping. `parseCardCsv` builds the inspect/normalised view of one file (each txn_id once with
 * its latest status, exact duplicates dropped, running balances checked); `streamCardRowBatches`
 * (the importer's path) and `streamCardCsv` stream validated rows, holding one input chunk's rows.
 */
export interface CardCsvOptions {
  /** Provider header -> canonical column. Without it the header must use the canonical names. */
  mapping?: CardCsvMapping;
  /** Input limits (every column's length, line length); the defaults of limits.ts otherwise. */
  limits?: Partial<ParserLimits>;
}

const CANONICAL: ReadonlySet<string> = new Set(CARD_COLUMNS);

/** The card file's limits, a column named by its canonical name when it maps to one (never by value). */
function csvLimits(opts: CardCsvOptions): CsvLimits {
  const l = parserLimits(opts.limits);
  return {
    maxFieldChars: l.maxFieldChars,
    maxLineChars: l.maxLineChars,
    fieldName: (i, header) => {
      const name = header?.[i]?.replace(/^\uFEFF/, '').trim();
      const mapped = name === undefined ? undefined : opts.mapping ? opts.mapping[name] : CANONICAL.has(name) ? name : undefined;
      return mapped ?? `column ${i + 1}`;
    },
  };
}

/** A card file's text: it must be UTF-8 (INVALID_UTF8 names the line otherwise). */
function cardText(input: Buffer | string): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  try {
    return decodeUtf8Strict(input);
  } catch (e) {
    if (!(e instanceof InvalidUtf8)) throw e;
    throw new ParseError('INVALID_UTF8', 'bytes that are not valid UTF-8 (card files are UTF-8)', { line: countLines(e.validText) + 1 });
  }
}

/** Validated rows of a whole card file held in memory, in file order. */
export function readCardRows(input: Buffer | string, opts: CardCsvOptions = {}): CardTransaction[] {
  const text = cardText(input);
  if (text.trim() === '') throw new ParseError('EMPTY_INPUT', 'file is empty');
  const limits = csvLimits(opts);
  let rows: string[][];
  try {
    rows = parseSync(text, CARD_CSV_OPTIONS) as string[][];
  } catch (e) {
    throw csvError(e);
  }
  checkFieldLengths(rows, limits);
  const cols = mapHeader(rows[0], opts.mapping);
  return rows.slice(1).map((fields, i) => toCardTransaction(recordFromFields(cols, fields), i + 1));
}

/**
 * Streams a (possibly 1,000,000-row) card file as batches of validated rows (one batch per input
 * chunk), amounts as canonical integer text: the importer's lean path (no bigint, no per-row
 * promise). File order, no deduplication. Throws ParseError on the first bad row (MISSING_COLUMN
 * for the header, BAD_RECORD for CSV syntax, the row's own code otherwise); errors of the stream
 * itself (I/O) are passed on unchanged, so a read failure is never mistaken for a bad file.
 */
export async function* streamCardRowBatches(readable: Readable, opts: CardCsvOptions = {}): AsyncGenerator<CardRowText[]> {
  let idx: number[] | null = null;
  let row = 0;
  for await (const batch of csvRecordBatches(readable, csvLimits(opts))) {
    const out: CardRowText[] = [];
    const { records, lines } = batch;
    for (let i = 0; i < records.length; i++) {
      if (idx === null) {
        idx = columnIndexes(mapHeader(records[i], opts.mapping));
        continue;
      }
      row++;
      out.push(validateCardFields(pickFields(records[i], idx), row, lines[i]));
    }
    if (out.length) yield out;
  }
  if (idx === null) throw new ParseError('EMPTY_INPUT', 'file is empty');
}

/**
 * Streams a card file row by row: each validated row is yielded in file order, without
 * deduplication (the importer dedupes by txn_id in the database, across files). Throws
 * ParseError on the first bad row.
 */
export async function* streamCardCsv(readable: Readable, opts: CardCsvOptions = {}): AsyncGenerator<CardTransaction> {
  for await (const batch of streamCardRowBatches(readable, opts)) {
    for (const t of batch) {
      yield { ...t, amountMinor: BigInt(t.amountMinor), balanceMinor: t.balanceMinor === null ? null : BigInt(t.balanceMinor) };
    }
  }
}

const STATUS: Record<CardTxnStatus, EntryStatus> = {
  SETTLED: 'BOOKED',
  PENDING: 'PENDING',
  REVERSED: 'REVERSED',
  DECLINED: 'DECLINED',
};
const FINALITY: Record<CardTxnStatus, number> = { PENDING: 0, DECLINED: 1, SETTLED: 1, REVERSED: 2 };

function sameContent(a: CardTransaction, b: CardTransaction): boolean {
  return (
    a.accountRef === b.accountRef && a.postedAt === b.postedAt && a.type === b.type && a.status === b.status &&
    a.amountMinor === b.amountMinor && a.mcc === b.mcc && a.merchant === b.merchant && a.reference === b.reference &&
    a.balanceMinor === b.balanceMinor
  );
}

function toEntry(t: CardTransaction): StatementEntry {
  return {
    amountMinor: t.amountMinor,
    bookingDate: t.postingDate,
    valueDate: t.postingDate,
    status: STATUS[t.status],
    reversal: false,
    reference: t.reference,
    endToEndId: null,
    counterparty: t.merchant,
    mcc: t.mcc,
    extra: { txnId: t.txnId, type: t.type, postedAt: t.postedAt },
  };
}

/**
 * Folds card rows (file order) into the normalised view: one statement per account_ref (in
 * order of first appearance), each txn_id once at the position it first appeared with the
 * content of its latest row, exact duplicate rows dropped. Running balances: only SETTLED
 * items move the ledger; a REVERSED row for an item SETTLED earlier in the same file moves it
 * back; each row's balance_minor is compared with the running figure (CARD_RUNNING_BALANCE).
 * Opening = the first given balance minus that row's movement; closing = the last given balance.
 */
export function cardRowsToFile(rows: Iterable<CardTransaction>): NormalisedFile {
  const warnings: Warning[] = [];
  const byTxn = new Map<string, { latest: CardTransaction; settledAmount: bigint | null }>();
  const accounts = new Map<string, { order: string[]; last: bigint | null; opening: bigint | null; started: boolean; undetermined: boolean }>();
  const accountIndex = (ref: string) => [...accounts.keys()].indexOf(ref);

  for (const t of rows) {
    let acc = accounts.get(t.accountRef);
    if (!acc) {
      acc = { order: [], last: null, opening: null, started: false, undetermined: false };
      accounts.set(t.accountRef, acc);
    }
    const prev = byTxn.get(t.txnId);
    if (prev && sameContent(prev.latest, t)) continue; // exact duplicate (overlapping files)
    if (prev && prev.latest.accountRef !== t.accountRef) {
      throw new ParseError('CONFLICTING_ROW', 'txn_id reappears on a different account_ref', { record: `row ${t.row}` });
    }
    const sIdx = accountIndex(t.accountRef);
    if (prev) {
      const entry = acc.order.indexOf(t.txnId);
      if (prev.latest.status === t.status) {
        warnings.push({ code: 'CARD_TXN_CHANGED', statement: sIdx, entry, message: `row ${t.row}: txn_id repeated with the same status but different content; the later row wins` });
      } else if (FINALITY[t.status] < FINALITY[prev.latest.status]) {
        warnings.push({ code: 'CARD_STATUS_REGRESSION', statement: sIdx, entry, message: `row ${t.row}: txn_id moved back to an earlier status; the later row wins` });
      }
    } else {
      acc.order.push(t.txnId);
    }

    // Ledger movement of this row.
    let movement: bigint | null = 0n;
    if (t.status === 'SETTLED') movement = prev?.settledAmount != null ? t.amountMinor - prev.settledAmount : t.amountMinor;
    else if (t.status === 'REVERSED') movement = prev?.settledAmount != null ? -prev.settledAmount : null;
    const settledAmount = t.status === 'SETTLED' ? t.amountMinor : null;
    byTxn.set(t.txnId, { latest: t, settledAmount });

    if (t.balanceMinor !== null) {
      if (!acc.started) {
        acc.started = true;
        if (movement === null) acc.undetermined = true;
        else acc.opening = t.balanceMinor - movement;
      } else if (acc.last !== null && movement !== null && acc.last + movement !== t.balanceMinor) {
        warnings.push({
          code: 'CARD_RUNNING_BALANCE',
          statement: sIdx,
          entry: acc.order.indexOf(t.txnId),
          message: `row ${t.row}: balance_minor disagrees with the running balance`,
        });
      }
      acc.last = t.balanceMinor;
    } else if (acc.last !== null) {
      acc.last = movement === null ? null : acc.last + movement;
    }
  }

  const statements: Statement[] = [...accounts.entries()].map(([ref, acc]) => ({
    account: ref,
    currency: 'GBP',
    sequence: null,
    openingBalanceMinor: acc.undetermined ? null : acc.opening,
    closingBalanceMinor: acc.undetermined ? null : acc.last,
    entries: acc.order.map((id) => toEntry((byTxn.get(id) as { latest: CardTransaction }).latest)),
  }));
  const out: NormalisedFile = { format: 'cards-csv', statements };
  if (warnings.length) out.warnings = warnings;
  return out;
}

/** Parses a whole card CSV into the normalised view (see cardRowsToFile). */
export function parseCardCsv(input: Buffer | string, opts: CardCsvOptions = {}): NormalisedFile {
  return cardRowsToFile(readCardRows(input, opts));
}
