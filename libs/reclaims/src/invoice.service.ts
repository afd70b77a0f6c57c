/**
 * Raising a night's health reclaim invoices for one council, in one transaction serialised per
 * council: load the JOINT/S117 DPs, what was invoiced and which months were raised; plan (pure
 * rules); store the new invoices (the database refuses a second one for the same customer and
 * period), the months raised and the held DP-months. A re-run finds every month raised and every
 * difference invoiced, and raises nothing. A DP whose basis is the one recorded by the last night
 * ("settled") has only the night's new months computed, so a night stays flat as months accumulate.
 */
import type { DataSource } from 'typeorm';
import type { Pence } from '@dpb/common';
import type { CouncilSettings } from '@dpb/payments/rules';
import {
  type InvoiceLineRow, insertInvoice, loadInvoicedSums, loadRaisedMonths, loadReclaimDps, lockCouncilInvoices, markMonthsRaised, recordReclaimBasis, replaceHeld,
} from './invoice.repository';
import { healthInvoiceId, planReclaim } from './rules/plan';
import type { ReclaimSettings } from './rules/health-share';

export interface ReclaimSummary {
  newMonths: string[];
  raised: string[];
  totalPence: Pence;
  lines: number;
  adjustmentLines: number;
  heldDpMonths: number;
}

export function reclaimSettingsOf(s: Pick<CouncilSettings, 'goLiveDate' | 'defaultHealthPct' | 'defaultHealthPartner'>): ReclaimSettings {
  return { goLiveDate: s.goLiveDate, defaultHealthBasisPoints: s.defaultHealthPct, defaultHealthPartner: s.defaultHealthPartner };
}

export async function raiseHealthReclaims(
  ds: DataSource,
  args: { council: string; nightDate: string; settings: Pick<CouncilSettings, 'goLiveDate' | 'defaultHealthPct' | 'defaultHealthPartner'> },
): Promise<ReclaimSummary> {
  const { council, nightDate } = args;
  return ds.transaction(async (m) => {
    await lockCouncilInvoices(m, council);
    const settings = reclaimSettingsOf(args.settings);
    const settingsKey = `${settings.goLiveDate}|${settings.defaultHealthBasisPoints ?? '-'}|${settings.defaultHealthPartner ?? '-'}`;
    const dps = await loadReclaimDps(m, council, settingsKey);
    const settled = dps.filter((d) => d.settled).map((d) => d.dp.dpId);
    const [raisedMonths, invoiced] = [await loadRaisedMonths(m, council), await loadInvoicedSums(m, council, settled)];
    const plan = planReclaim({ nightDate, settings, raisedMonths, dps, invoiced });
    const nhs = new Map(dps.map((d) => [d.dp.dpId, d.nhsNumber]));
    const summary: ReclaimSummary = { newMonths: plan.newMonths, raised: [], totalPence: 0n, lines: 0, adjustmentLines: 0, heldDpMonths: plan.held.length };
    for (const inv of plan.invoices) {
      const id = healthInvoiceId(council, inv.customer, inv.periodFrom, inv.periodTo, inv.adjustmentsOnly);
      const lines: InvoiceLineRow[] = inv.lines.map((l, i) => ({
        lineNo: i + 1, dpId: l.dpId, personId: l.personId, nhsNumber: nhs.get(l.dpId) ?? null, month: l.month, from: l.from, to: l.to,
        costPence: l.costPence, healthBasisPoints: l.healthBasisPoints, amountPence: l.amountPence, adjustment: l.adjustment,
      }));
      const created = await insertInvoice(m, {
        id, council, kind: 'HEALTH_RECLAIM', customer: inv.customer, periodFrom: inv.periodFrom, periodTo: inv.periodTo,
        adjustmentsOnly: inv.adjustmentsOnly, caseId: null, dpId: null, reason: null, raisedOn: nightDate, totalPence: inv.totalPence, lines,
      });
      if (!created) continue;
      summary.raised.push(id);
      summary.totalPence += inv.totalPence;
      summary.lines += lines.length;
      summary.adjustmentLines += lines.filter((l) => l.adjustment).length;
    }
    await markMonthsRaised(m, council, plan.newMonths, nightDate);
    await replaceHeld(m, council, plan.held, settled);
    await recordReclaimBasis(m, council, dps.filter((d) => !d.settled).map((d) => ({ dpId: d.dp.dpId, basisHash: d.basisHash })), dps.map((d) => d.dp.dpId));
    return summary;
  });
}
