/**
 * Recovering an APPROVED case by offset (docs/reclaims.md "Recovery by offset"): instead of an
 * invoice, the case's outstanding amount is taken from the DP's later payments. It comes after the
 * run's own netting (`netPayeeCredit`: negative adjustments and offsets carried from earlier runs),
 * from what that left the DP to be paid, so a payment never goes below 0; what a run cannot take
 * stays outstanding for the next. A DP's cases are taken oldest first (by case id).
 */
import { minPence, sumPence, type Pence } from '@dpb/common';
import type { NettedCredit } from './adjustments';

export interface OpenOffsetRecovery {
  caseId: string;
  dpId: string;
  reason: string;
  /** The approved amount less what earlier runs took (> 0). */
  outstandingPence: Pence;
}

export interface RecoveryDeduction {
  caseId: string;
  dpId: string;
  reason: string;
  amountPence: Pence;
  /** Still to recover after this deduction (0: fully recovered). */
  outstandingPence: Pence;
}

const byCaseId = (a: OpenOffsetRecovery, b: OpenOffsetRecovery) => {
  const x = BigInt(a.caseId);
  const y = BigInt(b.caseId);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Takes the open recoveries of the credit's DPs from what each DP is paid; returns the reduced credit and the deductions. */
export function deductRecoveries(
  netted: NettedCredit,
  open: ReadonlyMap<string, readonly OpenOffsetRecovery[]>,
): { credit: NettedCredit; deductions: RecoveryDeduction[] } {
  const deductions: RecoveryDeduction[] = [];
  const perDp = netted.perDp.map((d) => {
    const cases = open.get(d.dpId);
    if (!cases?.length || d.paidPence <= 0n) return d;
    let available = d.paidPence;
    for (const c of [...cases].sort(byCaseId)) {
      if (c.outstandingPence <= 0n) throw new RangeError(`recovery case ${c.caseId}: outstanding is not positive`);
      if (available === 0n) break;
      const take = minPence(c.outstandingPence, available);
      available -= take;
      deductions.push({ caseId: c.caseId, dpId: d.dpId, reason: c.reason, amountPence: take, outstandingPence: c.outstandingPence - take });
    }
    return available === d.paidPence ? d : { ...d, paidPence: available };
  });
  if (!deductions.length) return { credit: netted, deductions };
  return { credit: { creditPence: sumPence(perDp.map((d) => d.paidPence)), perDp }, deductions };
}
