/**
 * Contribution invoices (docs/reclaims.md "Contributions"): a GROSS-basis DP is paid gross, so the
 * person's contribution is invoiced to them instead, one invoice per DP and released REGULAR
 * period, for that line's contribution. A period whose contribution is 0 (or an S117 DP, which
 * carries none) raises nothing; a held or cancelled line is not invoiced until released.
 * A later change of a released period's contribution (a released ADJUSTMENT line whose
 * contribution is not 0) is invoiced on an invoice of its own for the difference (a credit note
 * when negative), once per adjustment line: an issued invoice is never rewritten.
 */
import type { CivilDate, Pence } from '@dpb/common';
import type { Basis, FundingStream } from '@dpb/care-records/model';

export interface ReleasedGrossLine {
  dpId: string;
  personId: string;
  basis: Basis;
  fundingStream: FundingStream;
  periodStart: CivilDate;
  periodEnd: CivilDate;
  contributionPence: Pence;
}

export interface PlannedContribution {
  dpId: string;
  personId: string;
  periodFrom: CivilDate;
  periodTo: CivilDate;
  amountPence: Pence;
}

export function contributionFromLine(l: ReleasedGrossLine): PlannedContribution | undefined {
  if (l.basis !== 'GROSS' || l.fundingStream === 'S117' || l.contributionPence <= 0n) return undefined;
  return { dpId: l.dpId, personId: l.personId, periodFrom: l.periodStart, periodTo: l.periodEnd, amountPence: l.contributionPence };
}

/** `HCC-CT-DP5001-20261214`: from council, DP and period start alone. */
export const contributionInvoiceId = (council: string, dpId: string, periodFrom: CivilDate) =>
  `${council}-CT-${dpId.toUpperCase().replace(/[^A-Z0-9]/g, '')}-${periodFrom.replace(/-/g, '')}`;

/** A released ADJUSTMENT line of a GROSS DP: its contribution is the change (recomputed - released). */
export interface ReleasedGrossAdjustment extends ReleasedGrossLine {
  lineId: string;
}

export interface PlannedContributionAdjustment extends PlannedContribution {
  lineId: string;
}

export function contributionAdjustmentFromLine(l: ReleasedGrossAdjustment): PlannedContributionAdjustment | undefined {
  if (l.basis !== 'GROSS' || l.fundingStream === 'S117' || l.contributionPence === 0n) return undefined;
  return { dpId: l.dpId, personId: l.personId, periodFrom: l.periodStart, periodTo: l.periodEnd, amountPence: l.contributionPence, lineId: l.lineId };
}

/** `HCC-CT-DP5001-20261214-A42`: the period's invoice id and the adjustment line's id. */
export const contributionAdjustmentInvoiceId = (council: string, dpId: string, periodFrom: CivilDate, lineId: string) =>
  `${contributionInvoiceId(council, dpId, periodFrom)}-A${lineId}`;
