import type { DataSource } from 'typeorm';
import { STAGES } from '@dpb/platform';

export type NightOutcome = { ok: true; warnings: string[] } | { ok: false; reason: string };

/**
 * Follows one night in Postgres until it is DONE or FAILED, printing each stage once as it
 * finishes. Held lines and quarantined or missing files are warnings, not failures.
 */
export async function waitForNight(
  ds: DataSource,
  council: string,
  nightDate: string,
  timeoutMs: number,
  print: (line: string) => void,
  pollMs = 500,
): Promise<NightOutcome> {
  const seen = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  const warnings: string[] = [];
  for (;;) {
    const night: { state: string }[] = await ds.query(`SELECT state FROM night WHERE council = $1 AND night_date = $2`, [council, nightDate]);
    const stages: { stage: string; state: string; attempts: number; summary: { outcome: string; counts: Record<string, unknown>; warnings: string[] } | null; error: string | null }[] =
      await ds.query(`SELECT stage, state, attempts, summary, error FROM night_stage WHERE council = $1 AND night_date = $2`, [council, nightDate]);
    stages.sort((a, b) => STAGES.indexOf(a.stage as never) - STAGES.indexOf(b.stage as never));
    for (const s of stages) {
      const key = `${s.state}/${s.attempts}`;
      if (seen.get(s.stage) === key) continue;
      seen.set(s.stage, key);
      if (s.state === 'RUNNING') print(`${council} ${nightDate} ${s.stage}: running${s.attempts > 1 ? ` (attempt ${s.attempts})` : ''}`);
      if (s.state === 'FAILED') print(`${council} ${nightDate} ${s.stage}: failed (attempt ${s.attempts}): ${s.error ?? ''}`);
      if (s.state === 'DONE' && s.summary && s.stage === 'report') {
        print(`${council} ${nightDate} summary:`);
        for (const [k, v] of Object.entries(s.summary.counts ?? {})) print(`  ${k.padEnd(32)} ${String(v)}`);
      } else if (s.state === 'DONE' && s.summary) {
        const counts = Object.entries(s.summary.counts ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(' ');
        print(`${council} ${nightDate} ${s.stage}: ${s.summary.outcome.toLowerCase().replace(/_/g, ' ')}${counts ? ` (${counts})` : ''}`);
        if (s.stage !== 'report') {
          for (const w of s.summary.warnings ?? []) {
            warnings.push(w);
            print(`  warning: ${w}`);
          }
        }
      }
    }
    const state = night[0]?.state;
    if (state === 'DONE') {
      const report = stages.find((s) => s.stage === 'report')?.summary;
      for (const w of report?.warnings ?? []) print(`  ${w}`);
      return { ok: true, warnings };
    }
    if (state === 'FAILED') {
      const failed = stages.find((s) => s.state === 'FAILED');
      return { ok: false, reason: failed ? `stage ${failed.stage} failed: ${failed.error ?? 'unknown error'}` : 'night failed' };
    }
    if (Date.now() > deadline) return { ok: false, reason: `timed out after ${Math.round(timeoutMs / 1000)} s (night state ${state ?? 'unknown'})` };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
