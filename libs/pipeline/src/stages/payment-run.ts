import { BacsCalendar, canonicalJson } from '@dpb/common';
import { buildRunFiles, buildRunOutputs, createPaymentRun, findRunManifest, isReleasedState, manifestHead, markRunDelivered } from '@dpb/payments';
import type { DataSource } from 'typeorm';
import type { Env } from '@dpb/platform';
import { withEndpoint } from '../endpoints';
import type { CouncilConfig } from '../councils';
import type { StageContext, StageSummary } from '../stage';

export interface DeliveryReport {
  runId: string;
  delivered: string[];
  alreadyDelivered: string[];
}

/**
 * Delivers a run's files: rebuilt from the database, checked against the manifest stored when the
 * run was created (a rebuilt file that differs is an error, never delivered), written to the
 * finance and card outboxes under temporary names and renamed; the manifest goes last.
 */
export async function deliverRun(ds: DataSource, env: Env, council: CouncilConfig, runId: string, calendar = BacsCalendar.bundled()): Promise<DeliveryReport> {
  const { built, manifestBytes, head } = await ds.transaction(async (m) => {
    const row = await findRunManifest(m, runId);
    // Files recorded in a released manifest were re-read and checked when they were first built:
    // equal bytes (same SHA-256, compared below) need no second re-read.
    const verify = row?.manifest?.held !== false;
    // The manifest recorded when the run was created (or released) is the run's record: later
    // officer decisions on its held lines do not rewrite it, and it is not built again. Rebuilt
    // files must match it byte for byte.
    if (row?.manifest && row.manifest_bytes && row.manifest.held === !isReleasedState(row.state)) {
      const files = await buildRunFiles(m, runId, council.settings, calendar, { verify });
      if (canonicalJson(row.manifest.files) !== canonicalJson(files.manifestFiles)) {
        throw new Error(`run ${runId}: rebuilt files differ from those recorded in its manifest; nothing delivered`);
      }
      return { built: files, manifestBytes: row.manifest_bytes, head: row.manifest };
    }
    const o = await buildRunOutputs(m, runId, council.settings, calendar, { verify });
    return { built: o, manifestBytes: o.manifestBytes, head: manifestHead(o.manifest) };
  });
  const report: DeliveryReport = { runId, delivered: [], alreadyDelivered: [] };
  const note = (name: string, status: string) => (status === 'DELIVERED' ? report.delivered : report.alreadyDelivered).push(name);
  if (built.cardFiles.length) {
    await withEndpoint(council.endpoints.cardOutbox, env, async (ep) => {
      for (const f of built.cardFiles) note(f.name, (await ep.deliver(f.name, f.content)).status);
    });
  }
  await withEndpoint(council.endpoints.financeOutbox, env, async (ep) => {
    for (const f of built.financeFiles) note(f.name, (await ep.deliver(f.name, f.content)).status);
    note(built.manifestName, (await ep.deliver(built.manifestName, manifestBytes)).status);
  });
  if (built.state === 'RELEASED') {
    await markRunDelivered(ds.manager, runId, head, manifestBytes);
  }
  return report;
}

export async function runPaymentStage(ctx: StageContext): Promise<StageSummary> {
  const run = await createPaymentRun(ctx.ds, { council: ctx.council.code, runDate: ctx.nightDate, settings: ctx.council.settings });
  const delivery = await deliverRun(ctx.ds, ctx.env, ctx.council, run.runId);
  const warnings: string[] = [];
  if (run.heldLines) warnings.push(`${run.heldLines} line(s) held for an officer (see: dpbridge holds list --council ${ctx.council.code})`);
  if (run.state === 'HELD') warnings.push(`run ${run.runId} held (${run.runHoldReasons.join(', ')}): manifest written, no payment files until an officer releases it`);
  if (run.state === 'AWAITING_APPROVAL') warnings.push(`run ${run.runId} awaits an officer's approval (releaseMode authorise)`);
  if (run.recoveries) warnings.push(`${run.recoveries} recovery proposal(s) raised for officers`);
  ctx.log.info({ runId: run.runId, created: run.created, state: run.state, lines: run.lines, credits: run.credits, delivered: delivery.delivered.length }, 'payment run');
  return {
    outcome: run.lines || run.created ? 'DONE' : 'NOTHING_TO_DO',
    counts: {
      runId: run.runId,
      state: run.state,
      lines: run.lines,
      heldLines: run.heldLines,
      credits: run.credits,
      payablePence: run.payablePence.toString(),
      heldPence: run.heldPence.toString(),
      recoveries: run.recoveries,
      filesDelivered: delivery.delivered.length,
      filesAlreadyDelivered: delivery.alreadyDelivered.length,
    },
    warnings,
  };
}
