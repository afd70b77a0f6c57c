/**
 * Bacs payment confirmation (pure: no I/O, no clock). A delivered run's payment file (Std 18 or
 * pain.001) debits the council's payment account with its total. The run is confirmed by the
 * council bank statement:
 *
 * 1. the contra: one debit of exactly the file's total, booked from the processing day to the
 *    entry day (both inclusive); a debit whose reference carries the run id is preferred, then
 *    the earliest (booking date, entry id); or else
 * 2. itemised: where the bank lists each credit, one debit per credit of the run, each carrying
 *    the credit's EndToEndId (or payment reference) and of the credit's amount, booked in the same
 *    days, summing to the total.
 *
 * Runs are served in (processing day, run id) order; each bank entry confirms at most one run.
 */
import { compareDates, type CivilDate, type Pence } from '@dpb/common';
import { ReferenceIndex, referenceCarries } from './references';

export interface ExpectedRunDebit {
  runId: string;
  totalPence: Pence;
  processingDay: CivilDate;
  entryDay: CivilDate;
  credits: readonly { creditId: string; paymentRef: string; endToEndId: string; amountPence: Pence }[];
}

export interface BankDebit {
  entryId: string;
  /** Positive: the amount debited. */
  amountPence: Pence;
  bookingDate: CivilDate;
  reference: string | null;
  endToEndId: string | null;
}

export interface BacsRunMatch {
  runId: string;
  by: 'CONTRA' | 'ITEMISED';
  entryIds: string[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: string, b: string) => a.length - b.length || cmp(a, b);

export function matchBacsRuns(runs: readonly ExpectedRunDebit[], debits: readonly BankDebit[]): BacsRunMatch[] {
  const sortedRuns = [...runs].sort((a, b) => compareDates(a.processingDay, b.processingDay) || cmp(a.runId, b.runId));
  const sortedDebits = [...debits].sort((a, b) => compareDates(a.bookingDate, b.bookingDate) || byId(a.entryId, b.entryId));
  const taken = new Set<string>();
  const out: BacsRunMatch[] = [];
  // Debits by what names them (EndToEndId field, reference text): a credit looks up its own, not
  // every debit. Built only when a run is matched item by item (a contra needs neither).
  let byEndToEnd: Map<string, BankDebit[]> | null = null;
  let byReference: ReferenceIndex<BankDebit> | null = null;
  const naming = (c: ExpectedRunDebit['credits'][number]): BankDebit[] => {
    if (!byEndToEnd || !byReference) {
      byEndToEnd = new Map();
      for (const d of sortedDebits) {
        if (!d.endToEndId) continue;
        const list = byEndToEnd.get(d.endToEndId);
        if (list) list.push(d);
        else byEndToEnd.set(d.endToEndId, [d]);
      }
      byReference = new ReferenceIndex(sortedDebits, (d) => d.reference);
    }
    return [...new Set([...(byEndToEnd.get(c.endToEndId) ?? []), ...byReference.carrying(c.endToEndId), ...byReference.carrying(c.paymentRef)])];
  };
  const byAmount = new Map<bigint, BankDebit[]>();
  for (const d of sortedDebits) {
    const list = byAmount.get(d.amountPence);
    if (list) list.push(d);
    else byAmount.set(d.amountPence, [d]);
  }
  const rank = new Map(sortedDebits.map((d, i) => [d, i]));
  for (const r of sortedRuns) {
    const inDays = (d: BankDebit) => !taken.has(d.entryId) && compareDates(d.bookingDate, r.processingDay) >= 0 && compareDates(d.bookingDate, r.entryDay) <= 0;
    const contras = (byAmount.get(r.totalPence) ?? []).filter(inDays);
    const contra = contras.find((d) => referenceCarries(d.reference, r.runId)) ?? contras[0];
    if (contra) {
      taken.add(contra.entryId);
      out.push({ runId: r.runId, by: 'CONTRA', entryIds: [contra.entryId] });
      continue;
    }
    if (!r.credits.length) continue;
    const picked: string[] = [];
    const pickedSet = new Set<string>();
    let sum = 0n;
    for (const c of [...r.credits].sort((a, b) => byId(a.creditId, b.creditId))) {
      const d = naming(c)
        .sort((a, b) => rank.get(a)! - rank.get(b)!)
        .find((x) => inDays(x) && !pickedSet.has(x.entryId) && x.amountPence === c.amountPence);
      if (!d) break;
      picked.push(d.entryId);
      pickedSet.add(d.entryId);
      sum += d.amountPence;
    }
    if (picked.length === r.credits.length && sum === r.totalPence) {
      for (const id of picked) taken.add(id);
      out.push({ runId: r.runId, by: 'ITEMISED', entryIds: picked });
    }
  }
  return out;
}
