/**
 * Changes after payment (docs/payment-rules.md, "Changes after payment"). For one (DP, period) whose
 * record changed, compare the recomputed amount with what was released:
 *
 * - difference 0 on every amount: nothing;
 * - payable up: an ADJUSTMENT line (arrears), each amount = recomputed - released;
 * - payable down because of a date of death: a PAYMENT_AFTER_DEATH recovery proposal for
 *   (paid - recomputed with the death applied);
 * - payable down otherwise: a negative ADJUSTMENT (offset) when offsetOverpayments is on and
 *   the DP has not ended, else an OVERPAYMENT recovery proposal;
 * - payable unchanged but gross/contribution changed (e.g. a GROSS DP's contribution): a
 *   zero-payable ADJUSTMENT that records the component change (never written to a file).
 *
 * Held lines are never adjusted: only released lines go into `released`.
 */
import { CivilDate, Pence, compareDates } from '@dpb/common';
import { PeriodTotals, periodTotals } from './amounts';
import { DirectPaymentForCalc } from './dp';
import { Period } from './periods';

export interface Amounts {
  grossPence: Pence;
  contributionPence: Pence;
  payablePence: Pence;
}

/**
 * The reasons money is recovered for: a recovery proposal's reason, a recovery invoice's reason
 * code, the keys of the council's `recoveryMethodByReason` (one list for all of them).
 */
export const RECOVERY_REASONS = ['SURPLUS', 'MISUSE', 'TERMINATION', 'DEATH', 'PAYMENT_AFTER_DEATH', 'OVERPAYMENT'] as const;
export type RecoveryReason = (typeof RECOVERY_REASONS)[number];

export type AdjustmentDecision =
  | { action: 'NONE' }
  | { action: 'ADJUSTMENT'; amounts: Amounts }
  | { action: 'RECOVERY'; reason: Extract<RecoveryReason, 'PAYMENT_AFTER_DEATH' | 'OVERPAYMENT'>; amountPence: Pence };

export interface AdjustmentInput {
  /** Sums of the released lines (REGULAR + ADJUSTMENT) for this (DP, period). */
  released: Amounts;
  /**
   * Recovery proposals already raised for this (DP, period) (any status but rejected); they
   * count as money already taken back, so a proposal is never raised twice.
   */
  alreadyProposedRecoveryPence: Pence;
  recomputed: Amounts;
  /** True when the date of death lowers the recomputed payable (see `recomputeForAdjustment`). */
  causedByDeath: boolean;
  /** True when the DP has ended (its `end` is before the run date). */
  dpEnded: boolean;
  offsetOverpayments: boolean;
}

export function decideAdjustment(input: AdjustmentInput): AdjustmentDecision {
  const { released, recomputed } = input;
  if (input.alreadyProposedRecoveryPence < 0n)
    throw new RangeError('alreadyProposedRecoveryPence is negative');
  const diff: Amounts = {
    grossPence: recomputed.grossPence - released.grossPence,
    contributionPence: recomputed.contributionPence - released.contributionPence,
    payablePence: recomputed.payablePence - released.payablePence,
  };
  if (diff.payablePence > 0n) return { action: 'ADJUSTMENT', amounts: diff };
  if (diff.payablePence === 0n) {
    return diff.grossPence === 0n && diff.contributionPence === 0n
      ? { action: 'NONE' }
      : { action: 'ADJUSTMENT', amounts: diff };
  }
  const overpaid = -diff.payablePence;
  if (input.causedByDeath) {
    const outstanding = overpaid - input.alreadyProposedRecoveryPence;
    return outstanding > 0n
      ? { action: 'RECOVERY', reason: 'PAYMENT_AFTER_DEATH', amountPence: outstanding }
      : { action: 'NONE' };
  }
  if (input.offsetOverpayments && !input.dpEnded && input.alreadyProposedRecoveryPence === 0n) {
    return { action: 'ADJUSTMENT', amounts: diff };
  }
  const outstanding = overpaid - input.alreadyProposedRecoveryPence;
  return outstanding > 0n
    ? { action: 'RECOVERY', reason: 'OVERPAYMENT', amountPence: outstanding }
    : { action: 'NONE' };
}

/**
 * Recomputes (DP, period) and says whether the date of death is what lowered it: the amount
 * with the death applied is below the amount with the death ignored.
 */
export function recomputeForAdjustment(
  dp: DirectPaymentForCalc,
  period: Period,
): { recomputed: PeriodTotals; causedByDeath: boolean } {
  const recomputed = periodTotals(dp, period);
  if (dp.dateOfDeath == null) return { recomputed, causedByDeath: false };
  const ignoringDeath = periodTotals({ ...dp, dateOfDeath: null }, period);
  return { recomputed, causedByDeath: ignoringDeath.payablePence > recomputed.payablePence };
}

/** Whether a DP has ended by `runDate` (its inclusive `end` is before the run date). */
export function hasEnded(dp: Pick<DirectPaymentForCalc, 'end'>, runDate: CivilDate): boolean {
  return dp.end != null && compareDates(dp.end, runDate) < 0;
}

export interface CreditLineIn {
  dpId: string;
  payablePence: Pence;
}

export interface DpNetting {
  dpId: string;
  /** Offset owed from earlier runs (<= 0) brought into this credit. */
  broughtForwardPence: Pence;
  /** What this DP adds to the credit (>= 0). */
  paidPence: Pence;
  /** Offset still owed after this credit (<= 0), carried to the DP's next released lines. */
  carriedForwardPence: Pence;
}

export interface NettedCredit {
  creditPence: Pence;
  perDp: DpNetting[];
}

/**
 * Nets one payee's released lines for one run into one credit. Negative ADJUSTMENT lines (and
 * any offset carried from earlier runs) net only against the same DP's lines; a DP never
 * contributes less than 0, a credit is never negative, and the remainder carries forward.
 * `broughtForward` holds each DP's outstanding offset as a value <= 0.
 */
export function netPayeeCredit(
  lines: readonly CreditLineIn[],
  broughtForward: ReadonlyMap<string, Pence> = new Map(),
): NettedCredit {
  const byDp = new Map<string, Pence>();
  for (const l of lines) byDp.set(l.dpId, (byDp.get(l.dpId) ?? 0n) + l.payablePence);
  for (const [dpId, bf] of broughtForward) {
    if (bf > 0n) throw new RangeError(`brought-forward offset for ${dpId} is positive`);
    if (!byDp.has(dpId)) byDp.set(dpId, 0n);
  }
  const perDp: DpNetting[] = [...byDp.keys()].sort().map((dpId) => {
    const bf = broughtForward.get(dpId) ?? 0n;
    const net = byDp.get(dpId)! + bf;
    return net >= 0n
      ? { dpId, broughtForwardPence: bf, paidPence: net, carriedForwardPence: 0n }
      : { dpId, broughtForwardPence: bf, paidPence: 0n, carriedForwardPence: net };
  });
  return { creditPence: perDp.reduce((s, d) => s + d.paidPence, 0n), perDp };
}
