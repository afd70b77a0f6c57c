/**
 * The reclaim stage: reads finance's AR open-items extracts (when configured) and settles invoices; raises the night's health reclaim invoices (arrears, adjustments, held
 * DP-months), recovery invoices from APPROVED cases and contribution invoices for GROSS DPs' released
 * periods, then builds the night's AR files from the stored invoices, re-reads each, and
 * delivers them to the finance outbox under temporary names, the batch manifest last. A re-run
 * raises nothing twice and finds the same bytes ALREADY_DELIVERED.
 */
import {
  arSettingsOf, batchNewInvoices, createOpenItemsApplier, markInvoicesDelivered, raiseContributionInvoices, raiseHealthReclaims, raiseRecoveryInvoices, undeliveredArOutputs,
} from '@dpb/reclaims';
import { withEndpoint } from '../endpoints';
import { intakeInbox } from '../intake';
import type { StageContext, StageSummary } from '../stage';

export async function runReclaimStage(ctx: StageContext): Promise<StageSummary> {
  const { council, nightDate } = ctx;
  const openItems = council.settings.receivables?.openItems;
  const ar = openItems
    ? await withEndpoint(openItems.inbox, ctx.env, (endpoint) =>
        intakeInbox({ ds: ctx.ds, endpoint, applier: createOpenItemsApplier(openItems.columns), council: council.code, nightDate, log: ctx.log }),
      )
    : undefined;
  const s = await raiseHealthReclaims(ctx.ds, { council: council.code, nightDate, settings: council.settings });
  const rec = await raiseRecoveryInvoices(ctx.ds, { council: council.code, nightDate, settings: council.settings });
  const con = await raiseContributionInvoices(ctx.ds, { council: council.code, nightDate });
  const warnings: string[] = [...(ar?.warnings ?? [])];
  if (rec.stalled.length) warnings.push(`${rec.stalled.length} recovery case(s) set to offset cannot be recovered from later payments (DP ended or gone): ${rec.stalled.join(', ')} (see: dpbridge cases show CASE)`);
  if (s.heldDpMonths) warnings.push(`${s.heldDpMonths} DP-month(s) held from the reclaim (see: dpbridge invoices list --council ${council.code})`);
  const arSettings = arSettingsOf(council.code, council.settings);
  let delivered = 0;
  let alreadyDelivered = 0;
  if (!arSettings) {
    if (s.raised.length || rec.raised.length || con.raised.length) warnings.push('no receivables settings: invoices raised, no AR files written');
  } else {
    await batchNewInvoices(ctx.ds, council.code, nightDate);
    for (const batch of await undeliveredArOutputs(ctx.ds, council.code, arSettings, council.settings.finance.postingFormat)) {
      await withEndpoint(council.endpoints.financeOutbox, ctx.env, async (ep) => {
        for (const f of [...batch.outputs.files, { name: batch.outputs.manifestName, content: batch.outputs.manifestBytes }]) {
          const r = await ep.deliver(f.name, f.content, { verify: (back) => {
            if (!back.equals(f.content)) throw new Error(`${f.name}: read back differs from what was written`);
          } });
          if (r.status === 'DELIVERED') delivered++;
          else alreadyDelivered++;
        }
      });
      await markInvoicesDelivered(ctx.ds, batch.invoiceIds);
    }
  }
  ctx.log.info({ raised: s.raised.length, recoveries: rec.raised.length, offsetRecoveries: rec.offset.length, contributions: con.raised.length, lines: s.lines, adjustmentLines: s.adjustmentLines, held: s.heldDpMonths, delivered, alreadyDelivered }, 'reclaim');
  return {
    outcome: s.raised.length || rec.raised.length || rec.offset.length || con.raised.length || delivered || ar?.applied ? 'DONE' : 'NOTHING_TO_DO',
    counts: {
      monthsRaised: s.newMonths.length, invoices: s.raised.length, lines: s.lines, adjustmentLines: s.adjustmentLines,
      totalPence: s.totalPence.toString(), recoveryInvoices: rec.raised.length, recoveryPence: rec.totalPence.toString(),
      recoveriesByOffset: rec.offset.length, recoveriesStalled: rec.stalled.length,
      openItemsApplied: ar?.applied ?? 0, openItemsQuarantined: ar?.quarantined ?? 0,
      contributionInvoices: con.raised.length, contributionPence: con.totalPence.toString(), heldDpMonths: s.heldDpMonths, filesDelivered: delivered, filesAlreadyDelivered: alreadyDelivered,
    },
    warnings,
  };
}
