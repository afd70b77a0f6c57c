/**
 * Health share for one JOINT or S117 DP and one calendar month (docs/reclaims.md):
 *
 *   share = round_half_up( sum over payable days d of weeklyGross(d)/7 * healthPct(d)/100 , pence )
 *
 * healthPct is held as basis points (2 decimals), so the sum is exact in integers:
 * share = round_half_up( sum_d weeklyGross(d) * bp(d) , 7 * 10000 ). One rounding at the end.
 */
import { CivilDate, Pence, endOfMonth, roundHalfUpDiv, startOfMonth } from '@dpb/common';
import { explainDays } from './amounts';
import { DirectPaymentForCalc } from './dp';
import { assertEffectiveDated, inForce } from './effective';

export type ReclaimOutcome =
  | { status: 'NOT_APPLICABLE' }
  | { status: 'HELD'; reason: 'NO_SPLIT' }
  | {
      status: 'OK';
      monthStart: CivilDate;
      monthEnd: CivilDate;
      payableDays: number;
      /** Sum of weeklyGross(d)/7 over the payable days, rounded: the month's cost. */
      costPence: Pence;
      sharePence: Pence;
      /** Partner whose split was in force (the latest one in the month; null when only the default applied). */
      partner: string | null;
      usedDefaultPct: boolean;
    };

/**
 * `month` is any date in the month. `defaultHealthBasisPoints` is the council's
 * defaultHealthPct. A payable day with no split in force and no default holds the DP from
 * the reclaim (never a silent 0% or 50%).
 */
export function healthShareForMonth(
  dp: DirectPaymentForCalc,
  month: CivilDate,
  defaultHealthBasisPoints?: bigint,
): ReclaimOutcome {
  if (dp.fundingStream === 'LA') return { status: 'NOT_APPLICABLE' };
  assertEffectiveDated(dp.splits, `${dp.dpId}.splits`);
  if (dp.splits.length === 0 && defaultHealthBasisPoints === undefined)
    return { status: 'HELD', reason: 'NO_SPLIT' };
  const monthStart = startOfMonth(month);
  const monthEnd = endOfMonth(month);
  let weighted = 0n;
  let cost = 0n;
  let payableDays = 0;
  let partner: string | null = null;
  let usedDefaultPct = false;
  for (const d of explainDays(dp, monthStart, monthEnd)) {
    if (!d.payable) continue;
    const split = inForce(dp.splits, d.date);
    let bp: bigint;
    if (split) {
      bp = split.healthBasisPoints;
      partner = split.partner;
    } else if (defaultHealthBasisPoints !== undefined) {
      bp = defaultHealthBasisPoints;
      usedDefaultPct = true;
    } else {
      return { status: 'HELD', reason: 'NO_SPLIT' };
    }
    if (bp < 0n || bp > 10000n) throw new RangeError(`${dp.dpId}.splits.healthPct out of range`);
    payableDays++;
    cost += d.weeklyGrossPence ?? 0n;
    weighted += (d.weeklyGrossPence ?? 0n) * bp;
  }
  return {
    status: 'OK',
    monthStart,
    monthEnd,
    payableDays,
    costPence: roundHalfUpDiv(cost, 7n),
    sharePence: roundHalfUpDiv(weighted, 70000n),
    partner,
    usedDefaultPct,
  };
}
