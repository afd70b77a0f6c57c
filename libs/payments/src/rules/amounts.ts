/**
 * The amount for one DP and one period (payment-rules.md "Amount for one DP and one period"):
 *
 *   gross        = round_half_up( sum_d weeklyGross(d) / 7 , pence )
 *   contribution = round_half_up( sum_d weeklyContribution(d) / 7 , pence )   (0 for S117)
 *   payable      = max(gross - contribution, 0) on NET; gross on GROSS
 *
 * Each component is rounded once, over the whole period, then subtracted.
 */
import {
  CivilDate,
  Pence,
  assertCivilDate,
  compareDates,
  eachDay,
  isWithin,
  roundHalfUpDiv,
} from '@dpb/common';
import { DirectPaymentForCalc } from './dp';
import { assertEffectiveDated, inForce } from './effective';
import { Period } from './periods';

/** Why a day is not paid (several may hold at once). */
export type NotPayableReason = 'BEFORE_START' | 'AFTER_END' | 'AFTER_DEATH' | 'SUSPENDED' | 'NO_RATE';

export interface DayDetail {
  date: CivilDate;
  payable: boolean;
  reasons: NotPayableReason[];
  /** Weekly gross / contribution in force that day (contribution 0 for S117; null = none in force). */
  weeklyGrossPence: Pence | null;
  weeklyContributionPence: Pence | null;
}

export interface PeriodAmount {
  dpId: string;
  periodStart: CivilDate;
  periodEnd: CivilDate;
  periodDays: number;
  payableDays: number;
  grossPence: Pence;
  /** As computed, even above gross (0 for S117). */
  contributionPence: Pence;
  /** gross - contribution (may be negative); equals gross on GROSS basis. */
  netPence: Pence;
  payablePence: Pence;
  days: DayDetail[];
}

/** Validates the parts of a DP the calculation relies on (field names only in errors). */
export function assertCalculable(dp: DirectPaymentForCalc): void {
  assertCivilDate(dp.start, `${dp.dpId}.start`);
  if (dp.end != null) assertCivilDate(dp.end, `${dp.dpId}.end`);
  if (dp.dateOfDeath != null) assertCivilDate(dp.dateOfDeath, `${dp.dpId}.dateOfDeath`);
  assertEffectiveDated(dp.rates, `${dp.dpId}.rates`);
  assertEffectiveDated(dp.contributions, `${dp.dpId}.contributions`);
  assertEffectiveDated(dp.splits, `${dp.dpId}.splits`);
  for (const r of dp.rates)
    if (r.weeklyGrossPence < 0n) throw new RangeError(`${dp.dpId}.rates.weeklyGross is negative`);
  for (const c of dp.contributions)
    if (c.weeklyPence < 0n) throw new RangeError(`${dp.dpId}.contributions.weekly is negative`);
  dp.suspensions.forEach((s, i) => {
    assertCivilDate(s.from, `${dp.dpId}.suspensions[${i}].from`);
    if (s.to != null) assertCivilDate(s.to, `${dp.dpId}.suspensions[${i}].to`);
  });
}

/** Why `date` is not payable for `dp` (empty = payable, rate permitting). */
export function dayExclusions(dp: DirectPaymentForCalc, date: CivilDate): NotPayableReason[] {
  const reasons: NotPayableReason[] = [];
  if (compareDates(date, dp.start) < 0) reasons.push('BEFORE_START');
  if (dp.end != null && compareDates(date, dp.end) > 0) reasons.push('AFTER_END');
  if (dp.dateOfDeath != null && compareDates(date, dp.dateOfDeath) > 0) reasons.push('AFTER_DEATH');
  if (dp.suspensions.some((s) => isWithin(date, s.from, s.to))) reasons.push('SUSPENDED');
  return reasons;
}

/** Per-day detail for `from..to` (the explain data). */
export function explainDays(dp: DirectPaymentForCalc, from: CivilDate, to: CivilDate): DayDetail[] {
  return eachDay(from, to).map((date) => {
    const reasons = dayExclusions(dp, date);
    const rate = inForce(dp.rates, date);
    const contribution =
      dp.fundingStream === 'S117' ? 0n : (inForce(dp.contributions, date)?.weeklyPence ?? 0n);
    if (!rate) reasons.push('NO_RATE');
    return {
      date,
      payable: reasons.length === 0,
      reasons,
      weeklyGrossPence: rate ? rate.weeklyGrossPence : null,
      weeklyContributionPence: contribution,
    };
  });
}

export function computePeriodAmount(dp: DirectPaymentForCalc, period: Period): PeriodAmount {
  assertCalculable(dp);
  assertCivilDate(period.start, 'periodStart');
  assertCivilDate(period.end, 'periodEnd');
  if (compareDates(period.end, period.start) < 0) throw new RangeError('periodEnd is before periodStart');
  const days = explainDays(dp, period.start, period.end);
  let grossSum = 0n;
  let contributionSum = 0n;
  let payableDays = 0;
  for (const d of days) {
    if (!d.payable) continue;
    payableDays++;
    grossSum += d.weeklyGrossPence ?? 0n;
    contributionSum += d.weeklyContributionPence ?? 0n;
  }
  const grossPence = roundHalfUpDiv(grossSum, 7n);
  const contributionPence = dp.fundingStream === 'S117' ? 0n : roundHalfUpDiv(contributionSum, 7n);
  const netPence = dp.basis === 'GROSS' ? grossPence : grossPence - contributionPence;
  const payablePence = dp.basis === 'GROSS' ? grossPence : netPence > 0n ? netPence : 0n;
  return {
    dpId: dp.dpId,
    periodStart: period.start,
    periodEnd: period.end,
    periodDays: days.length,
    payableDays,
    grossPence,
    contributionPence,
    netPence,
    payablePence,
    days,
  };
}
