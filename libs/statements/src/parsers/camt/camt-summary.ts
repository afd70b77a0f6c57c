import { parseDecimalMinor } from '../amounts';
import { ParseError } from '../errors';

/** What a statement's entries add up to, as the parser counted them (magnitudes, minor units). */
export interface EntryTally {
  count: number;
  credits: number;
  creditSum: bigint;
  debits: number;
  debitSum: bigint;
}

export interface SummaryProblem {
  code: 'CONTROL_TOTAL' | 'CONTROL_COUNT';
  /** Path below TxsSummry, e.g. `TtlCdtNtries/Sum`. */
  field: string;
  message: string;
}

/**
 * Pure check of a camt statement's TxsSummry against its entries (every entry of the statement,
 * whatever its status). Each total given must agree:
 * - `TtlNtries/NbOfNtries` = number of entries; `TtlNtries/Sum` = sum of the entry amounts
 *   (ISO: credits plus debits); the net amount is also accepted, as some banks write it there;
 * - `TtlNtries/TtlNetNtry/Amt` (v2: `TtlNtries/TtlNetNtryAmt`) with its `CdtDbtInd` = credits − debits;
 * - `TtlCdtNtries` and `TtlDbtNtries`: `NbOfNtries` and `Sum` of the credit / debit entries.
 *   A sum written with a minus sign is compared by its size (seen in bank files).
 * Values are never put in messages.
 */
export function summaryProblems(summary: ReadonlyMap<string, string>, t: EntryTally, currency: string): SummaryProblem[] {
  const out: SummaryProblem[] = [];
  const net = t.creditSum - t.debitSum;
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const amount = (field: string): bigint | null => {
    const v = summary.get(field);
    if (v === undefined || v === '') return null;
    const neg = v.startsWith('-');
    try {
      return parseDecimalMinor(neg ? v.slice(1) : v, currency, { field });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      out.push({ code: 'CONTROL_TOTAL', field, message: `TxsSummry ${field} is not an amount` });
      return null;
    }
  };
  const count = (field: string, expected: number) => {
    const v = summary.get(field);
    if (v === undefined || v === '') return;
    if (!/^\d{1,15}$/.test(v) || Number(v) !== expected) {
      out.push({ code: 'CONTROL_COUNT', field, message: `TxsSummry ${field} differs from the number of entries` });
    }
  };
  const total = (field: string, ok: (v: bigint) => boolean) => {
    const v = amount(field);
    if (v !== null && !ok(v)) out.push({ code: 'CONTROL_TOTAL', field, message: `TxsSummry ${field} differs from the entries' total` });
  };

  count('TtlNtries/NbOfNtries', t.count);
  total('TtlNtries/Sum', (v) => v === t.creditSum + t.debitSum || v === abs(net));
  for (const [amt, ind] of [
    ['TtlNtries/TtlNetNtry/Amt', 'TtlNtries/TtlNetNtry/CdtDbtInd'],
    ['TtlNtries/TtlNetNtryAmt', 'TtlNtries/CdtDbtInd'],
  ]) {
    const cdi = summary.get(ind);
    total(amt, (v) => (cdi === 'DBIT' ? -v : cdi === 'CRDT' ? v : null) === net || (cdi !== 'DBIT' && cdi !== 'CRDT' && v === abs(net)));
  }
  count('TtlCdtNtries/NbOfNtries', t.credits);
  total('TtlCdtNtries/Sum', (v) => v === t.creditSum);
  count('TtlDbtNtries/NbOfNtries', t.debits);
  total('TtlDbtNtries/Sum', (v) => v === t.debitSum);
  return out;
}
