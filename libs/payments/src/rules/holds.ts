/**
 * Holds (docs/payment-rules.md, "Holds"): per-line reasons from plain facts, and the run-level hold.
 * A held line is recorded, left out of the files and listed for an officer.
 */
import { CivilDate, Pence, compareDates } from '@dpb/common';
import type { AccountType } from '@dpb/care-records/model';
import { Frequency, FREQUENCIES } from './periods';

export type HoldCode =
  | 'MODULUS_FAILED'
  | 'BACS_RETURN_BLOCK'
  | 'BANK_CHANGED'
  | 'NO_VENDOR'
  | 'FIRST_PAYMENT'
  | 'CHANGE_PCT'
  | 'MISSING_FROM_FULL'
  | 'ONE_OFF_ENDED'
  | 'ONE_OFF_DEATH'
  | 'DEATH_CASE'
  // optional, off by default
  | 'ONE_OFF'
  | 'ENDING_IN_PERIOD'
  | 'RATE_CHANGE';

/** Fixed order, so that reasons compare and print the same everywhere. */
export const HOLD_CODES: readonly HoldCode[] = [
  'MODULUS_FAILED',
  'BACS_RETURN_BLOCK',
  'BANK_CHANGED',
  'NO_VENDOR',
  'FIRST_PAYMENT',
  'CHANGE_PCT',
  'MISSING_FROM_FULL',
  'ONE_OFF_ENDED',
  'ONE_OFF_DEATH',
  'DEATH_CASE',
  'ONE_OFF',
  'ENDING_IN_PERIOD',
  'RATE_CHANGE',
];

export interface HoldSettings {
  goLiveDate: CivilDate;
  holdFirstPayment: boolean;
  holdBankChange: boolean;
  holdChangePct: number;
  holdEveryOneOff: boolean;
  holdEndingInPeriod: boolean;
  holdFirstAfterRateChange: boolean;
}

export interface PayeeFacts {
  accountType: AccountType;
  vendorNo: string | null;
  modulusFailed: boolean;
  bacsReturnBlocked: boolean;
  /** Bank details differ from those of the payee's last released credit (false when none). */
  bankChangedSinceLastReleasedCredit: boolean;
}

export interface RegularAmountFacts {
  payablePence: Pence;
  payableDays: number;
  periodDays: number;
}

export interface LineFacts {
  kind: 'REGULAR' | 'ADJUSTMENT' | 'ONE_OFF';
  periodStart: CivilDate;
  periodEnd: CivilDate;
  payee: PayeeFacts;
  /** deathCase: a DEATH officer case not yet closed names the DP (e.g. a Bacs return gave the payee as deceased). */
  dp: { start: CivilDate; end: CivilDate | null; missingFromLatestFull: boolean; deathCase?: boolean };
  /** REGULAR only: this line's amount and the same DP's previous REGULAR line (null = none). */
  regular?: { current: RegularAmountFacts; previous: RegularAmountFacts | null };
  /** ONE_OFF only (see due.ts oneOffEndedOrDied). */
  oneOff?: { dpEnded: boolean; personDied: boolean };
  /** REGULAR only: a rate took effect after the previous REGULAR period (first payment after it). */
  firstAfterRateChange?: boolean;
}

/** `|current - previous| / previous > pct / 100`, in integers; exempt when not comparable. */
export function changeExceedsPct(
  current: RegularAmountFacts,
  previous: RegularAmountFacts | null,
  pct: number,
): boolean {
  if (!previous || previous.payablePence === 0n) return false;
  if (current.payableDays < current.periodDays || previous.payableDays < previous.periodDays) return false;
  const delta = current.payablePence - previous.payablePence;
  const abs = delta < 0n ? -delta : delta;
  return abs * 100n > BigInt(pct) * previous.payablePence;
}

export function lineHoldReasons(f: LineFacts, s: HoldSettings): HoldCode[] {
  const out = new Set<HoldCode>();
  const p = f.payee;
  if (p.modulusFailed) out.add('MODULUS_FAILED');
  if (p.bacsReturnBlocked) out.add('BACS_RETURN_BLOCK');
  if (s.holdBankChange && p.accountType !== 'CARD' && p.bankChangedSinceLastReleasedCredit)
    out.add('BANK_CHANGED');
  // BANK and MANAGED payees need a vendor (docs/formats/mosaic-export.md, field rules).
  if (p.accountType !== 'CARD' && !(p.vendorNo && p.vendorNo.trim())) out.add('NO_VENDOR');
  if (f.dp.missingFromLatestFull) out.add('MISSING_FROM_FULL');
  if (f.dp.deathCase) out.add('DEATH_CASE');

  if (f.kind === 'REGULAR') {
    const firstPeriod =
      compareDates(f.periodStart, f.dp.start) <= 0 && compareDates(f.dp.start, f.periodEnd) <= 0;
    if (s.holdFirstPayment && firstPeriod && compareDates(f.dp.start, s.goLiveDate) >= 0)
      out.add('FIRST_PAYMENT');
    if (f.regular && changeExceedsPct(f.regular.current, f.regular.previous, s.holdChangePct))
      out.add('CHANGE_PCT');
    if (
      s.holdEndingInPeriod &&
      f.dp.end != null &&
      compareDates(f.periodStart, f.dp.end) <= 0 &&
      compareDates(f.dp.end, f.periodEnd) <= 0
    ) {
      out.add('ENDING_IN_PERIOD');
    }
    if (s.holdFirstAfterRateChange && f.firstAfterRateChange) out.add('RATE_CHANGE');
  }
  if (f.kind === 'ONE_OFF') {
    if (f.oneOff?.dpEnded) out.add('ONE_OFF_ENDED');
    if (f.oneOff?.personDied) out.add('ONE_OFF_DEATH');
    if (s.holdEveryOneOff) out.add('ONE_OFF');
  }
  return HOLD_CODES.filter((c) => out.has(c));
}

/**
 * Whether a rate took effect after the previous REGULAR period and on or before this period's
 * end: this is the first payment after a rate change. No previous period: false (that is the
 * first payment, held by FIRST_PAYMENT instead).
 */
export function isFirstAfterRateChange(
  rates: readonly { from: CivilDate }[],
  previousPeriodEnd: CivilDate | null,
  periodEnd: CivilDate,
): boolean {
  if (previousPeriodEnd == null) return false;
  return rates.some(
    (r) => compareDates(r.from, previousPeriodEnd) > 0 && compareDates(r.from, periodEnd) <= 0,
  );
}

export interface RunHoldCheck {
  frequency: Frequency;
  currentPence: Pence;
  previousPence: Pence | null;
  exceeded: boolean;
}

export interface RunHoldResult {
  held: boolean;
  checks: RunHoldCheck[];
}

/**
 * Run-level hold: per frequency, this run's REGULAR total against that frequency's previous
 * run's REGULAR total; held when any differs by more than `holdRunPct` percent. No previous
 * run (or a previous total of 0) means no check for that frequency. The caller chooses which
 * run is "previous" (the latest earlier run that had REGULAR lines of that frequency).
 */
export function runHold(
  current: ReadonlyMap<Frequency, Pence>,
  previous: ReadonlyMap<Frequency, Pence>,
  holdRunPct: number,
): RunHoldResult {
  const checks: RunHoldCheck[] = [];
  for (const frequency of FREQUENCIES) {
    if (!current.has(frequency)) continue;
    const cur = current.get(frequency)!;
    const prev = previous.get(frequency) ?? null;
    let exceeded = false;
    if (prev !== null && prev !== 0n) {
      const delta = cur - prev;
      const abs = delta < 0n ? -delta : delta;
      const base = prev < 0n ? -prev : prev;
      exceeded = abs * 100n > BigInt(holdRunPct) * base;
    }
    checks.push({ frequency, currentPence: cur, previousPence: prev, exceeded });
  }
  return { held: checks.some((c) => c.exceeded), checks };
}
