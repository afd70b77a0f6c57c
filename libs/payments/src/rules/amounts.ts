/**
 * The amount for one DP and one period (docs/payment-rules.md, "Amount for one DP and one period"):
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
  toDayNumber,
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

/** A period's amounts without the per-day detail (what the run stores). */
export type PeriodTotals = Omit<PeriodAmount, 'days'>;

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

/** Round each component once over the period (half up, to the penny), then subtract. */
function roundedAmounts(
  dp: DirectPaymentForCalc,
  period: Period,
  periodDays: number,
  payableDays: number,
  grossSum: Pence,
  contributionSum: Pence,
): PeriodTotals {
  const grossPence = roundHalfUpDiv(grossSum, 7n);
  const contributionPence = dp.fundingStream === 'S117' ? 0n : roundHalfUpDiv(contributionSum, 7n);
  const netPence = dp.basis === 'GROSS' ? grossPence : grossPence - contributionPence;
  const payablePence = dp.basis === 'GROSS' ? grossPence : netPence > 0n ? netPence : 0n;
  return { dpId: dp.dpId, periodStart: period.start, periodEnd: period.end, periodDays, payableDays, grossPence, contributionPence, netPence, payablePence };
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
  return { ...roundedAmounts(dp, period, days.length, payableDays, grossSum, contributionSum), days };
}

const INFINITE_DAY = Number.MAX_SAFE_INTEGER;

/** Effective-dated entries as (day number, value), sorted by day. */
function dayTable<T extends { from: CivilDate }, V>(entries: readonly T[], value: (e: T) => V): { from: number; value: V }[] {
  return entries.map((e) => ({ from: toDayNumber(e.from), value: value(e) })).sort((a, b) => a.from - b.from);
}

function inForceAt<V>(table: { from: number; value: V }[], day: number): V | undefined {
  let found: V | undefined;
  for (const e of table) {
    if (e.from > day) break;
    found = e.value;
  }
  return found;
}

/** A DP validated once and turned into day numbers, for computing many periods quickly. */
export interface PreparedCalc {
  dp: DirectPaymentForCalc;
  start: number;
  end: number;
  death: number;
  suspensions: [number, number][];
  rates: { from: number; value: Pence }[];
  contributions: { from: number; value: Pence }[];
}

export function prepareCalc(dp: DirectPaymentForCalc): PreparedCalc {
  assertCalculable(dp);
  return {
    dp,
    start: toDayNumber(dp.start),
    end: dp.end != null ? toDayNumber(dp.end) : INFINITE_DAY,
    death: dp.dateOfDeath != null ? toDayNumber(dp.dateOfDeath) : INFINITE_DAY,
    suspensions: dp.suspensions.map((s) => [toDayNumber(s.from), s.to != null ? toDayNumber(s.to) : INFINITE_DAY]),
    rates: dayTable(dp.rates, (r) => r.weeklyGrossPence),
    contributions: dp.fundingStream === 'S117' ? [] : dayTable(dp.contributions, (c) => c.weeklyPence),
  };
}

/**
 * The same amounts as computePeriodAmount, computed over day numbers without building the per-day
 * detail (a run computes hundreds of thousands of periods). The rules are the same; a property
 * test (amounts.spec.ts) keeps the two functions equal.
 */
export function periodTotals(dp: DirectPaymentForCalc | PreparedCalc, period: Period): PeriodTotals {
  const c = 'dp' in dp ? dp : prepareCalc(dp);
  assertCivilDate(period.start, 'periodStart');
  assertCivilDate(period.end, 'periodEnd');
  const first = toDayNumber(period.start);
  const last = toDayNumber(period.end);
  if (last < first) throw new RangeError('periodEnd is before periodStart');
  let grossSum = 0n;
  let contributionSum = 0n;
  let payableDays = 0;
  for (let day = first; day <= last; day++) {
    if (day < c.start || day > c.end || day > c.death) continue;
    if (c.suspensions.some(([from, to]) => day >= from && day <= to)) continue;
    const rate = inForceAt(c.rates, day);
    if (rate === undefined) continue;
    payableDays++;
    grossSum += rate;
    contributionSum += inForceAt(c.contributions, day) ?? 0n;
  }
  return roundedAmounts(c.dp, period, last - first + 1, payableDays, grossSum, contributionSum);
}
