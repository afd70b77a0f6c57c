import type { DataSource } from 'typeorm';
import { STAGES } from '@dpb/platform';
import { NightRepository, type NightRow, type NightStageRow } from './night.repository';

const describeError = (e: unknown): string => {
  const code = (e as { code?: unknown })?.code;
  const msg = e instanceof Error ? e.message : String(e);
  return (typeof code === 'string' ? `${code}: ` : '') + msg.slice(0, 120);
};

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
  const nights = new NightRepository(ds);
  let outage: { since: number; backoffMs: number } | undefined;
  let lastFlow: number | undefined;
  for (;;) {
    let night: NightRow | null;
    let stages: NightStageRow[];
    try {
      night = await nights.find(council, nightDate);
      stages = await nights.stages(council, nightDate);
    } catch (e) {
      // The database restarting (or unreachable for a while) is not the night failing: the fleet
      // carries on. Say so, back off, reconnect, keep following.
      const backoffMs = Math.min((outage?.backoffMs ?? pollMs) * 2, 10_000);
      if (!outage) print(`${council} ${nightDate}: database unavailable (${describeError(e)}); reconnecting and following the night`);
      outage = { since: outage?.since ?? Date.now(), backoffMs };
      if (Date.now() > deadline) return { ok: false, reason: `timed out after ${Math.round(timeoutMs / 1000)} s (database unavailable: ${describeError(e)})` };
      await new Promise((r) => setTimeout(r, backoffMs));
      continue;
    }
    if (outage) {
      print(`${council} ${nightDate}: database back after ${Math.round((Date.now() - outage.since) / 1000)} s; following`);
      outage = undefined;
    }
    if (night && lastFlow !== undefined && night.flow_seq !== lastFlow) {
      print(`${council} ${nightDate}: flow ${night.flow_seq} started from ${night.from_stage}${night.recoveries ? ` (recovery ${night.recoveries})` : ''}`);
    }
    lastFlow = night?.flow_seq;
    stages.sort((a, b) => STAGES.indexOf(a.stage as never) - STAGES.indexOf(b.stage as never));
    for (const s of stages) {
      const key = `${s.state}/${s.attempts}`;
      if (seen.get(s.stage) === key) continue;
      seen.set(s.stage, key);
      if (s.state === 'RUNNING') print(`${council} ${nightDate} ${s.stage}: running${s.attempts > 1 ? ` (attempt ${s.attempts})` : ''}`);
      if (s.state === 'FAILED') print(`${council} ${nightDate} ${s.stage}: failed (attempt ${s.attempts}): ${s.error ?? ''}; it will be retried`);
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
    const state = night?.state;
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
