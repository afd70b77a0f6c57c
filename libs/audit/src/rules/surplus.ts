import { maxPence, minPence, type CivilDate, type Pence } from '@dpb/common';
import { inForce } from '@dpb/payments/rules/effective';
import type { AuditDp } from './model';
import { contributionsExpectedFor } from './contributions';

/** The weekly payable in force on `day`: weekly gross, less the weekly contribution for NET basis (not S117). */
export function weeklyPayableAt(dp: Pick<AuditDp, 'basis' | 'fundingStream' | 'rates' | 'contributions'>, day: CivilDate): Pence {
  const gross = inForce(dp.rates, day)?.weeklyGrossPence ?? 0n;
  if (!contributionsExpectedFor(dp)) return gross;
  const contribution = inForce(dp.contributions, day)?.weeklyPence ?? 0n;
  return maxPence(0n, gross - contribution);
}

/** `surplusWeeks` x the weekly payable at `to`, whether or not a suspension covers `to`. */
export function contingency(dp: Pick<AuditDp, 'basis' | 'fundingStream' | 'rates' | 'contributions'>, to: CivilDate, surplusWeeks: number): Pence {
  return BigInt(surplusWeeks) * weeklyPayableAt(dp, to);
}

export interface SurplusSplit {
  surplusPence: Pence;
  contributionRefundPence: Pence;
  councilExcessPence: Pence;
}

/**
 * surplus = balance - liabilities - contingency, reported as 0 at or below the floor; the part
 * that is over-paid contribution goes back to the person, the rest is the council's excess.
 */
export function splitSurplus(a: { balancePence: Pence; liabilitiesPence: Pence; contingencyPence: Pence; floorPence: Pence; receivedPence: Pence; expectedPence: Pence }): SurplusSplit {
  const raw = a.balancePence - a.liabilitiesPence - a.contingencyPence;
  const surplusPence = raw <= a.floorPence ? 0n : raw;
  const contributionRefundPence = minPence(surplusPence, maxPence(0n, a.receivedPence - a.expectedPence));
  return { surplusPence, contributionRefundPence, councilExcessPence: surplusPence - contributionRefundPence };
}
