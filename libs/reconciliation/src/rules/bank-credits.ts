/**
 * Unexpected credits on the council's payment account (pure: no I/O, no clock). The payment
 * account receives the council's own money (funding transfers, interest...) and, now and then,
 * money coming back for a payment dpbridge made. Only the latter concerns us, so the rule is
 * narrow: a booked credit is looked at only when its EndToEndId or its reference names one of our
 * payments (a credit's payment reference or EndToEndId, or a run id, as a whole word); every other
 * credit is council income and is never flagged. Such a credit is explained when
 *
 * - bank-in matched it as a Bacs return (its own `bacs_return` row is MATCHED: the reader leaves
 *   those out), or
 * - a Bacs return advised outside the statement (an ARUCS file) and matched to a credit it names,
 *   of the same amount, accounts for it (each such return explains one entry, entries served in
 *   (booking date, entry id) order).
 *
 * An unexplained one is an UNEXPECTED_CREDIT once `graceTo(booking date)` has passed, so a return
 * advice arriving a day or two after the money can still explain it.
 */
import { compareDates, type CivilDate, type Pence } from '@dpb/common';
import { normaliseReference, referenceCarries } from './references';

export interface BankCreditEntry {
  entryId: string;
  /** Positive: the amount credited. */
  amountPence: Pence;
  bookingDate: CivilDate;
  reference: string | null;
  endToEndId: string | null;
}

/** One of our credits that a bank entry may name. */
export interface NamedCredit {
  creditId: string;
  runId: string;
  paymentRef: string;
  endToEndId: string;
}

/** A matched Bacs return advised outside the statement (no bank entry of its own). */
export interface AdvisedReturn {
  returnId: string;
  creditId: string;
  amountPence: Pence;
}

export interface UnexpectedBankCredit {
  entry: BankCreditEntry;
  /** Our credits the entry names, by id. */
  creditIds: string[];
  /** Our runs the entry names. */
  runIds: string[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: string, b: string) => a.length - b.length || cmp(a, b);
const CHAIN = /[A-Z0-9]+(?:-[A-Z0-9]+)*/g;

/**
 * The strings in an entry that could be one of our names, for the reader to look up: every run
 * of letters and digits (a payment reference), and every chain of three or four such runs joined
 * by hyphens (a run id `HCC-20261209-1`, an EndToEndId `HCC-20261209-1-42`), plus the EndToEndId
 * field itself. A superset: `namesOf` decides what the entry really names.
 */
export function candidateNames(e: Pick<BankCreditEntry, 'reference' | 'endToEndId'>): string[] {
  const out = new Set<string>();
  if (e.endToEndId?.trim()) out.add(e.endToEndId.trim());
  for (const chain of normaliseReference(e.reference).match(CHAIN) ?? []) {
    const parts = chain.split('-');
    for (let i = 0; i < parts.length; i++) {
      out.add(parts[i]);
      for (const n of [3, 4]) if (i + n <= parts.length) out.add(parts.slice(i, i + n).join('-'));
    }
  }
  return [...out].sort(cmp);
}

/** Our credits and runs an entry names: its EndToEndId field, or its reference carrying a payment reference, an EndToEndId or a run id. */
export function namesOf(e: BankCreditEntry, credits: readonly NamedCredit[], runIds: readonly string[]): { creditIds: string[]; runIds: string[] } {
  const e2e = e.endToEndId?.trim() ?? '';
  const creditIds = credits
    .filter((c) => (e2e !== '' && c.endToEndId === e2e) || referenceCarries(e.reference, c.endToEndId) || referenceCarries(e.reference, c.paymentRef))
    .map((c) => c.creditId)
    .sort(byId);
  const runs = runIds.filter((r) => e2e === r || referenceCarries(e.reference, r)).sort(cmp);
  return { creditIds: [...new Set(creditIds)], runIds: [...new Set(runs)] };
}

export function unexpectedBankCredits(
  entries: readonly BankCreditEntry[],
  credits: readonly NamedCredit[],
  runIds: readonly string[],
  advised: readonly AdvisedReturn[],
  graceToOf: (bookingDate: CivilDate) => CivilDate,
  nightDate: CivilDate,
): UnexpectedBankCredit[] {
  const sorted = [...entries].sort((a, b) => compareDates(a.bookingDate, b.bookingDate) || byId(a.entryId, b.entryId));
  const unused = [...advised].sort((a, b) => byId(a.returnId, b.returnId));
  const out: UnexpectedBankCredit[] = [];
  for (const e of sorted) {
    const names = namesOf(e, credits, runIds);
    if (!names.creditIds.length && !names.runIds.length) continue; // council income: not ours to explain
    const i = unused.findIndex((r) => r.amountPence === e.amountPence && names.creditIds.includes(r.creditId));
    if (i >= 0) {
      unused.splice(i, 1);
      continue;
    }
    if (compareDates(nightDate, graceToOf(e.bookingDate)) > 0) out.push({ entry: e, ...names });
  }
  return out;
}
