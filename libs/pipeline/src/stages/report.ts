import type { StageContext, StageSummary } from '../stage';

/**
 * The night's summary for IT support and finance: every stage's outcome, counts and warnings,
 * and an alert when no care-record extract arrived.
 */
export async function runReportStage(ctx: StageContext): Promise<StageSummary> {
  const rows: { stage: string; state: string; summary: StageSummary | null }[] = await ctx.ds.query(
    `SELECT stage, state, summary FROM night_stage WHERE council = $1 AND night_date = $2 AND stage <> 'report'`,
    [ctx.council.code, ctx.nightDate],
  );
  const warnings: string[] = [];
  const counts: Record<string, number | string> = {};
  for (const r of rows) {
    counts[`${r.stage}.state`] = r.state;
    for (const [k, v] of Object.entries(r.summary?.counts ?? {})) counts[`${r.stage}.${k}`] = v;
    warnings.push(...(r.summary?.warnings ?? []).map((w) => `${r.stage}: ${w}`));
  }
  const careApplied = Number(counts['care-in.applied'] ?? 0) + Number(counts['care-in.duplicates'] ?? 0);
  if (careApplied === 0) warnings.push('ALERT: no care-record extract arrived for this night; payments used the last good state');
  ctx.log.info({ counts, warnings: warnings.length }, 'night summary');
  return { outcome: 'DONE', counts, warnings };
}
