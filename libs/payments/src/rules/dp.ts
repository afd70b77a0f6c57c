/**
 * The canonical Direct Payment as the payment rules need it (docs/formats/mosaic-export.md, in pence and
 * basis points). Built by the care-records import from the latest applied extract.
 */
import { CivilDate, Pence } from '@dpb/common';
import type { Basis, Frequency, FundingStream, Suspension, SuspensionReason } from '@dpb/care-records/model';

/** The DP's terms as imported: the care-records model owns these types. */
export type { Basis, FundingStream, Suspension, SuspensionReason };

/** Each applies from `from` until the next one's `from`. */
export interface RateEntry {
  from: CivilDate;
  weeklyGrossPence: Pence;
}
export interface ContributionEntry {
  from: CivilDate;
  weeklyPence: Pence;
}
export interface SplitEntry {
  partner: string;
  from: CivilDate;
  /** healthPct with its 2 decimals as basis points: "50.00" -> 5000n. */
  healthBasisPoints: bigint;
}
export interface OneOff {
  id: string;
  payDate: CivilDate;
  amountPence: Pence;
  reason: string;
}

export interface DirectPaymentForCalc {
  dpId: string;
  frequency: Frequency;
  basis: Basis;
  fundingStream: FundingStream;
  start: CivilDate;
  /** Inclusive; null = open. */
  end: CivilDate | null;
  /** The person's date of death (the day itself is paid); null = none. */
  dateOfDeath: CivilDate | null;
  rates: RateEntry[];
  contributions: ContributionEntry[];
  splits: SplitEntry[];
  suspensions: Suspension[];
  oneOffs: OneOff[];
}

/** Parses a percentage with at most 2 decimals ("50.00", "33.5", "100") into basis points, digit by digit. */
export function parsePercentToBasisPoints(text: string): bigint {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new RangeError('not a percentage with at most 2 decimals');
  const bp = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (bp > 10000n) throw new RangeError('percentage above 100');
  return bp;
}
