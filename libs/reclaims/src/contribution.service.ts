/**
 * Contribution invoices for GROSS-basis DPs: one per DP and released period (the database refuses
 * a second), to the DP's person, for the released REGULAR line's contribution.
 */
import type { DataSource } from 'typeorm';
import type { Pence } from '@dpb/common';
import { insertInvoice, lockCouncilInvoices, releasedGrossLinesToInvoice } from './invoice.repository';
import { contributionFromLine, contributionInvoiceId } from './rules/contribution';

export interface ContributionSummary {
  raised: string[];
  totalPence: Pence;
}

export async function raiseContributionInvoices(ds: DataSource, args: { council: string; nightDate: string }): Promise<ContributionSummary> {
  const { council, nightDate } = args;
  return ds.transaction(async (m) => {
    await lockCouncilInvoices(m, council);
    const summary: ContributionSummary = { raised: [], totalPence: 0n };
    for (const line of await releasedGrossLinesToInvoice(m, council, nightDate)) {
      const c = contributionFromLine(line);
      if (!c) continue;
      const id = contributionInvoiceId(council, c.dpId, c.periodFrom);
      const created = await insertInvoice(m, {
        id, council, kind: 'CONTRIBUTION', customer: c.personId, periodFrom: c.periodFrom, periodTo: c.periodTo, adjustmentsOnly: false,
        caseId: null, dpId: c.dpId, reason: null, raisedOn: nightDate, totalPence: c.amountPence,
        lines: [{
          lineNo: 1, dpId: c.dpId, personId: c.personId, nhsNumber: null, month: c.periodFrom.slice(0, 7), from: c.periodFrom, to: c.periodTo,
          costPence: c.amountPence, healthBasisPoints: 10000n, amountPence: c.amountPence, adjustment: false,
        }],
      });
      if (created) {
        summary.raised.push(id);
        summary.totalPence += c.amountPence;
      }
    }
    return summary;
  });
}
