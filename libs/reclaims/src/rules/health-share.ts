/**
 * The health partner's share of a JOINT or S117 DP for one calendar month (docs/reclaims.md):
 *
 *   costPence   = round_half_up( sum over the line's days of weeklyGross(d) / 7 )
 *   amountPence = round_half_up( sum over the line's days of weeklyGross(d) x bp(d) / (7 x 10000) )
 *
 * where bp is the health percentage in basis points. The month's payable days (as the payment
 * rules pay them, from go-live on) are cut into lines wherever the partner or the percentage
 * changes (a rate change does not cut a line); each line is rounded on its own, so each partner
 * gets exactly the share of its own days.
 *
 * Days are held instead of reclaimed: NHS_INVALID when the person's NHS number failed its check
 * (every JOINT/S117 day of the month), NO_SPLIT when no split is in force that day and the
 * council has not set both a default percentage and a default partner.
 */
import { type CivilDate, type Pence, compareDates, endOfMonth, formatPence, roundHalfUpDiv, startOfMonth } from '@dpb/common';
import { assertCalculable, explainDays, inForce, type DirectPaymentForCalc } from '@dpb/payments/rules';

export type HeldReason = 'NO_SPLIT' | 'NHS_INVALID';

export interface ReclaimSettings {
  goLiveDate: CivilDate;
  /** The council's default health percentage (basis points); used only with a default partner. */
  defaultHealthBasisPoints?: bigint;
  defaultHealthPartner?: string;
}

/** One schedule line: one DP, one partner and percentage, inside one month. */
export interface ShareLine {
  dpId: string;
  partner: string;
  /** `YYYY-MM`. */
  month: string;
  from: CivilDate;
  to: CivilDate;
  days: number;
  healthBasisPoints: bigint;
  costPence: Pence;
  amountPence: Pence;
}

export interface HeldMonth {
  dpId: string;
  month: string;
  reason: HeldReason;
  days: number;
}

export interface MonthShare {
  lines: ShareLine[];
  /** At most one entry: the month's held days and why. */
  held: HeldMonth[];
}

export const monthKey = (date: CivilDate): string => date.slice(0, 7);

/**
 * `month` is any date in the month. `nhsValid` is false when the person's NHS number failed its
 * check at import (null or true: not held for it). LA DPs give nothing.
 */
export function healthShareForMonth(
  dp: DirectPaymentForCalc,
  month: CivilDate,
  settings: ReclaimSettings,
  nhsValid: boolean | null = true,
): MonthShare {
  if (dp.fundingStream === 'LA') return { lines: [], held: [] };
  assertCalculable(dp);
  const monthStart = startOfMonth(month);
  const m = monthKey(monthStart);
  const useDefault = settings.defaultHealthBasisPoints !== undefined && settings.defaultHealthPartner !== undefined;
  const lines: ShareLine[] = [];
  let heldDays = 0;
  let heldReason: HeldReason | undefined;
  let open: { partner: string; bp: bigint; from: CivilDate; to: CivilDate; days: number; gross: bigint; weighted: bigint } | undefined;
  const close = () => {
    if (!open) return;
    lines.push({
      dpId: dp.dpId,
      partner: open.partner,
      month: m,
      from: open.from,
      to: open.to,
      days: open.days,
      healthBasisPoints: open.bp,
      costPence: roundHalfUpDiv(open.gross, 7n),
      amountPence: roundHalfUpDiv(open.weighted, 70000n),
    });
    open = undefined;
  };
  for (const d of explainDays(dp, monthStart, endOfMonth(monthStart))) {
    if (!d.payable || compareDates(d.date, settings.goLiveDate) < 0) continue;
    if (nhsValid === false) {
      heldDays++;
      heldReason = 'NHS_INVALID';
      continue;
    }
    const split = inForce(dp.splits, d.date);
    const partner = split?.partner ?? (useDefault ? settings.defaultHealthPartner : undefined);
    const bp = split?.healthBasisPoints ?? (useDefault ? settings.defaultHealthBasisPoints : undefined);
    if (partner === undefined || bp === undefined) {
      heldDays++;
      heldReason = 'NO_SPLIT';
      continue;
    }
    if (bp < 0n || bp > 10000n) throw new RangeError(`${dp.dpId}.splits.healthPct out of range`);
    const gross = d.weeklyGrossPence ?? 0n;
    if (open && (open.partner !== partner || open.bp !== bp)) close();
    open ??= { partner, bp, from: d.date, to: d.date, days: 0, gross: 0n, weighted: 0n };
    open.to = d.date;
    open.days++;
    open.gross += gross;
    open.weighted += gross * bp;
  }
  close();
  return { lines, held: heldReason ? [{ dpId: dp.dpId, month: m, reason: heldReason, days: heldDays }] : [] };
}

/** `5000n` -> `"50.00"` (the finance files' percentage form: basis points print as pence do as pounds). */
export const basisPointsText = formatPence;
