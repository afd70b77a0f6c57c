/**
 * The arithmetic behind one period's amount, for `dpbridge explain` (docs/payment-rules.md,
 * "Amount for one DP and one period"). Pure: the per-day detail comes from computePeriodAmount, the sums
 * are re-added here from that detail and checked against it.
 */
import { formatPence, roundHalfUpDiv, type CivilDate, type Pence } from '@dpb/common';
import { computePeriodAmount, type DayDetail, type DirectPaymentForCalc, type NotPayableReason, type Period } from '../rules';

export interface DayStretch {
  from: CivilDate;
  to: CivilDate;
  days: number;
  payable: boolean;
  reasons: NotPayableReason[];
  weeklyGrossPence: Pence | null;
  weeklyContributionPence: Pence | null;
}

export interface AmountArithmetic {
  basis: DirectPaymentForCalc['basis'];
  fundingStream: DirectPaymentForCalc['fundingStream'];
  periodDays: number;
  payableDays: number;
  /** Sum over payable days of the weekly gross in force. */
  grossSumPence: Pence;
  grossPence: Pence;
  /** Sum over payable days of the weekly contribution in force (0 for S117). */
  contributionSumPence: Pence;
  contributionPence: Pence;
  netPence: Pence;
  payablePence: Pence;
  /** The same, as sentences an officer can check with a calculator. */
  steps: string[];
}

export interface PeriodExplanation {
  days: DayDetail[];
  stretches: DayStretch[];
  arithmetic: AmountArithmetic;
  rules: string[];
}

const REASON_TEXT: Record<NotPayableReason, string> = {
  BEFORE_START: 'before the DP starts',
  AFTER_END: 'after the DP ends',
  AFTER_DEATH: 'after the date of death',
  SUSPENDED: 'inside a suspension',
  NO_RATE: 'no rate in force',
};

export function notPayableText(reasons: readonly NotPayableReason[]): string {
  return reasons.map((r) => REASON_TEXT[r]).join(', ');
}

/** `sum / 7` shown to 4 decimal places of a pound, truncated, with "..." when inexact. */
export function perDayQuotient(sumPence: Pence): string {
  const neg = sumPence < 0n;
  const abs = neg ? -sumPence : sumPence;
  const tenThousandths = (abs * 100n) / 7n;
  const exact = (abs * 100n) % 7n === 0n;
  const text = `${tenThousandths / 10000n}.${(tenThousandths % 10000n).toString().padStart(4, '0')}`;
  return `${neg ? '-' : ''}${text}${exact ? '' : '...'}`;
}

/** Consecutive days with the same status, reasons and rates, for a short human listing. */
export function stretchesOf(days: readonly DayDetail[]): DayStretch[] {
  const out: DayStretch[] = [];
  for (const d of days) {
    const last = out[out.length - 1];
    if (
      last &&
      last.payable === d.payable &&
      last.reasons.join() === d.reasons.join() &&
      last.weeklyGrossPence === d.weeklyGrossPence &&
      last.weeklyContributionPence === d.weeklyContributionPence
    ) {
      last.to = d.date;
      last.days++;
      continue;
    }
    out.push({ from: d.date, to: d.date, days: 1, payable: d.payable, reasons: [...d.reasons], weeklyGrossPence: d.weeklyGrossPence, weeklyContributionPence: d.weeklyContributionPence });
  }
  return out;
}

export function explainPeriodAmount(calc: DirectPaymentForCalc, period: Period): PeriodExplanation {
  const a = computePeriodAmount(calc, period);
  let grossSum = 0n;
  let contributionSum = 0n;
  let payableDays = 0;
  for (const d of a.days) {
    if (!d.payable) continue;
    payableDays++;
    grossSum += d.weeklyGrossPence ?? 0n;
    contributionSum += calc.fundingStream === 'S117' ? 0n : (d.weeklyContributionPence ?? 0n);
  }
  const gross = roundHalfUpDiv(grossSum, 7n);
  const contribution = calc.fundingStream === 'S117' ? 0n : roundHalfUpDiv(contributionSum, 7n);
  if (payableDays !== a.payableDays || gross !== a.grossPence || contribution !== a.contributionPence) {
    throw new Error(`explain ${calc.dpId}: re-added sums disagree with computePeriodAmount`);
  }
  const steps = [
    `${payableDays} of ${a.periodDays} days payable (${a.periodStart} to ${a.periodEnd})`,
    `gross = round_half_up(${formatPence(grossSum)} / 7) = round_half_up(${perDayQuotient(grossSum)}) = ${formatPence(gross)}`,
    calc.fundingStream === 'S117'
      ? 'contribution = 0.00 (S117 aftercare: no contribution)'
      : `contribution = round_half_up(${formatPence(contributionSum)} / 7) = round_half_up(${perDayQuotient(contributionSum)}) = ${formatPence(contribution)}`,
    calc.basis === 'GROSS'
      ? `payable = gross = ${formatPence(a.payablePence)} (GROSS basis: the contribution is invoiced by the reclaim stage)`
      : `net = ${formatPence(gross)} - ${formatPence(contribution)} = ${formatPence(a.netPence)}; payable = max(net, 0) = ${formatPence(a.payablePence)}`,
  ];
  const rules = [
    'payable day: start <= d <= end, d <= date of death (the day of death is paid), d not inside a suspension (from and to inclusive)',
    'rates and contributions take effect on their from date, any weekday',
    'gross and contribution are each rounded half up to the penny over the whole period, then subtracted',
    calc.basis === 'GROSS' ? 'GROSS basis: payable = gross' : 'NET basis: payable = max(gross - contribution, 0)',
  ];
  if (calc.fundingStream === 'S117') rules.push('S117: contribution is 0');
  return {
    days: a.days,
    stretches: stretchesOf(a.days),
    arithmetic: {
      basis: calc.basis,
      fundingStream: calc.fundingStream,
      periodDays: a.periodDays,
      payableDays,
      grossSumPence: grossSum,
      grossPence: gross,
      contributionSumPence: contributionSum,
      contributionPence: contribution,
      netPence: a.netPence,
      payablePence: a.payablePence,
      steps,
    },
    rules,
  };
}
