/**
 * Contribution invoices for GROSS-basis DPs: one per DP and released period (the database refuses
 * a second), to the DP's person, for the released REGULAR line's contribution; then one per
 * released ADJUSTMENT line that changed a period's contribution, for the difference (a credit note
 * when negative; the database refuses a second for the same line). Issued invoices are never changed.
 */
import type { DataSource } from 'typeorm';
import type { Pence } from '@dpb/common';
import { insertInvoices, lockCouncilInvoices, releasedGrossAdjustmentsToInvoice, releasedGrossLinesToInvoice } from './invoice.repository';
import {
  type PlannedContribution, contributionAdjustmentFromLine, contributionAdjustmentInvoiceId, contributionFromLine, contributionInvoiceId,
} from './rules/contribution';

export interface ContributionSummary {
  raised: string[];
  totalPence: Pence;
}

export async function raiseContributionInvoices(ds: DataSource, args: { council: string; nightDate: string }): Promise<ContributionSummary> {
  const { council, nightDate } = args;
  return ds.transaction(async (m) => {
    await lockCouncilInvoices(m, council);
    const planned: { id: string; c: PlannedContribution; adjustsLine?: string }[] = [];
    for (const line of await releasedGrossLinesToInvoice(m, council, nightDate)) {
      const c = contributionFromLine(line);
      if (c) planned.push({ id: contributionInvoiceId(council, c.dpId, c.periodFrom), c });
    }
    for (const line of await releasedGrossAdjustmentsToInvoice(m, council, nightDate)) {
      const c = contributionAdjustmentFromLine(line);
      if (c) planned.push({ id: contributionAdjustmentInvoiceId(council, c.dpId, c.periodFrom, c.lineId), c, adjustsLine: c.lineId });
    }
    const created = await insertInvoices(
      m,
      planned.map(({ id, c, adjustsLine }) => {
        const adjustment = adjustsLine !== undefined;
        return {
          id, council, kind: 'CONTRIBUTION' as const, customer: c.personId, periodFrom: c.periodFrom, periodTo: c.periodTo, adjustmentsOnly: adjustment,
          caseId: null, dpId: c.dpId, reason: null, raisedOn: nightDate, totalPence: c.amountPence, adjustsLine,
          lines: [{
            lineNo: 1, dpId: c.dpId, personId: c.personId, nhsNumber: null, month: c.periodFrom.slice(0, 7), from: c.periodFrom, to: c.periodTo,
            costPence: c.amountPence, healthBasisPoints: 10000n, amountPence: c.amountPence, adjustment,
          }],
        };
      }),
    );
    const summary: ContributionSummary = { raised: [], totalPence: 0n };
    for (const { id, c } of planned) {
      if (!created.has(id)) continue;
      summary.raised.push(id);
      summary.totalPence += c.amountPence;
    }
    return summary;
  });
}
