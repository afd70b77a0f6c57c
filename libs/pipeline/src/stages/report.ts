import { formatPence } from '@dpb/common';
import type { StageContext, StageSummary } from '../stage';

type Counts = Record<string, number | string>;

/**
 * The night's summary for IT support and finance: what came in, what was paid and held, what went
 * out, and alerts (a failed stage, a missing care-record extract, quarantined files).
 */
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

export async function runReportStage(ctx: StageContext): Promise<StageSummary> {
  const rows: { stage: string; state: string; summary: StageSummary | null }[] = await ctx.ds.query(
    `SELECT stage, state, summary FROM night_stage WHERE council = $1 AND night_date = $2 AND stage <> 'report'`,
    [ctx.council.code, ctx.nightDate],
  );
  const by = new Map(rows.map((r) => [r.stage, r]));
  const c = (stage: string): Counts => by.get(stage)?.summary?.counts ?? {};
  const num = (v: unknown) => Number(v ?? 0);
  const care = c('care-in');
  const pay = c('payment-run');
  const bank = c('bank-in');
  const pence = (v: unknown) => `£${formatPence(BigInt(String(v ?? 0)))}`;
  const counts: Counts = {
    'care files applied': num(care.applied),
    'care files quarantined': num(care.quarantined),
    'payment run': String(pay.runId ?? 'none'),
    'run state': String(pay.state ?? 'none'),
    'lines': num(pay.lines),
    'lines held': num(pay.heldLines),
    'credits': num(pay.credits),
    'paid': pence(pay.payablePence),
    'held': pence(pay.heldPence),
    'files delivered': num(pay.filesDelivered) + num(pay.filesAlreadyDelivered),
    // bank-in counts each inbox under its own prefix (bank.applied, card.applied, ...).
    'bank and card files applied': num(bank['bank.applied']) + num(bank['card.applied']),
    'bank and card files quarantined': num(bank['bank.quarantined']) + num(bank['card.quarantined']),
    ...reconcileCounts(c('reconcile')),
  };
  const warnings: string[] = [];
  for (const r of rows) if (r.state !== 'DONE') warnings.push(`ALERT: stage ${r.stage} is ${r.state}`);
  if (num(care.applied) + num(care.duplicates) === 0) {
    warnings.push('ALERT: no care-record extract arrived for this night; payments used the last good state');
  }
  const quarantined = num(care.quarantined) + num(bank['bank.quarantined']) + num(bank['card.quarantined']);
  if (quarantined) warnings.push(`ALERT: ${quarantined} inbound file(s) quarantined (dpbridge status lists them)`);
  for (const r of rows) for (const w of r.summary?.warnings ?? []) if (/^ALERT|missing|did not arrive/i.test(w)) warnings.push(`${r.stage}: ${w}`);
  ctx.log.info({ counts, alerts: warnings.length }, 'night summary');
  return { outcome: 'DONE', counts, warnings };
}
