/**
 * The canonical Direct Payment as the payment rules need it (docs/formats/mosaic-export.md, in pence and
 * basis points). Built by the care-records import from the latest applied extract.
 */
import type { CivilDate } from '@dpb/common';
import type { Basis, DirectPayment, FundingStream, OneOff, Suspension, SuspensionReason } from '@dpb/care-records/model';

/**
 * The DP's terms as imported: the care-records model owns these types (`Rate`, `Contribution`,
 * `OneOff`, `Split`, `Suspension`: one shape per concept, the rules read them as imported).
 */
export type { Basis, FundingStream, OneOff, Suspension, SuspensionReason };

/** The care record's DP terms the rules read, with its id and the person's date of death. */
export interface DirectPaymentForCalc
  extends Pick<
    DirectPayment,
    'frequency' | 'basis' | 'fundingStream' | 'start' | 'end' | 'rates' | 'contributions' | 'splits' | 'suspensions' | 'oneOffs'
  > {
  dpId: string;
  /** The person's date of death (the day itself is paid); null = none. */
  dateOfDeath: CivilDate | null;
}
