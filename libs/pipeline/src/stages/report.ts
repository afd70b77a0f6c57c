import { formatPence } from '@dpb/common';
import { NightRepository, type NightStageRow } from '../night.repository';
import type { StageContext, StageSummary } from '../stage';

type Counts = Record<string, number | string>;

/** The reconcile stage's part of the summary: payments confirmed, cases opened. */
function reconcileCounts(r: Counts): Counts {
  const n = (k: string) => Number(r[k] ?? 0);
  return {
    'card loads confirmed': n('confirm.cardLoadsConfirmed'),
    'card loads awaiting confirmation': n('confirm.cardLoadsPending'),
    'payment runs confirmed': n('confirm.runsConfirmed'),
    'cases opened': n('cases.opened'),
  };
}

/**
 * The night's summary for IT support and finance: what came in, what was paid and held, what went
 * out, and alerts (a failed stage, a missing care-record extract, quarantined files). It describes
 * the whole night, every flow and every attempt of it (night_stage_attempt), not only the last
 * flow: a file applied by an earlier flow, or an attempt that failed and was retried, is counted.
 */
export async function runReportStage(ctx: StageContext): Promise<StageSummary> {
  const nights = new NightRepository(ctx.ds);
  const rows = (await nights.stages(ctx.council.code, ctx.nightDate)).filter((r) => r.stage !== 'report');
  const attempts = (await nights.attempts(ctx.council.code, ctx.nightDate)).filter((a) => a.stage !== 'report');
  const done = (stage: string) => attempts.filter((a) => a.stage === stage && a.state === 'DONE' && a.summary);
  const num = (v: unknown) => Number(v ?? 0);
  const sum = (stage: string, ...keys: string[]) => done(stage).reduce((t, a) => t + keys.reduce((u, k) => u + num(a.summary!.counts[k]), 0), 0);
  const latest = (stage: string): Counts => done(stage).at(-1)?.summary?.counts ?? by(rows, stage);
  const pay = latest('payment-run');
  const pence = (v: unknown) => `£${formatPence(BigInt(String(v ?? 0)))}`;
  const careApplied = sum('care-in', 'applied');
  const quarantined = sum('care-in', 'quarantined') + sum('bank-in', 'bank.quarantined', 'card.quarantined');
  const filesInPlace = num(pay.filesDelivered) + num(pay.filesAlreadyDelivered);
  const counts: Counts = {
    'care files applied': careApplied,
    'care files quarantined': sum('care-in', 'quarantined'),
    'payment run': String(pay.runId ?? 'none'),
    'run state': String(pay.state ?? 'none'),
    'lines': num(pay.lines),
    'lines held': num(pay.heldLines),
    'credits': num(pay.credits),
    'paid': pence(pay.payablePence),
    'held': pence(pay.heldPence),
    'files delivered': Math.max(filesInPlace, sum('payment-run', 'filesDelivered')),
    'bank and card files applied': sum('bank-in', 'bank.applied', 'card.applied'),
    'bank and card files quarantined': sum('bank-in', 'bank.quarantined', 'card.quarantined'),
    'flows': new Set(attempts.map((a) => a.flow_seq)).size,
    'stage attempts': attempts.length,
    'failed attempts': attempts.filter((a) => a.state === 'FAILED').length,
    ...reconcileCounts(latest('reconcile')),
  };
  const warnings: string[] = [];
  for (const r of rows) if (r.state !== 'DONE') warnings.push(`ALERT: stage ${r.stage} is ${r.state}`);
  if (careApplied + sum('care-in', 'duplicates') === 0) {
    warnings.push('ALERT: no care-record extract arrived for this night; payments used the last good state');
  }
  if (quarantined) warnings.push(`ALERT: ${quarantined} inbound file(s) quarantined (dpbridge status lists them)`);
  const failed = attempts.filter((a) => a.state === 'FAILED');
  if (failed.length) {
    const stages = [...new Set(failed.map((a) => a.stage))].join(', ');
    warnings.push(`${failed.length} stage attempt(s) failed and were retried (${stages}); the night finished without an operator`);
  }
  const seen = new Set<string>();
  for (const a of attempts) {
    for (const w of a.summary?.warnings ?? []) {
      const line = `${a.stage}: ${w}`;
      if (/^ALERT|missing|did not arrive/i.test(w) && !seen.has(line)) {
        seen.add(line);
        warnings.push(line);
      }
    }
  }
  ctx.log.info({ counts, alerts: warnings.length }, 'night summary');
  return { outcome: 'DONE', counts, warnings };
}

function by(rows: NightStageRow[], stage: string): Counts {
  return rows.find((r) => r.stage === stage)?.summary?.counts ?? {};
}
