import type { FlowProducer, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { STAGES, stageJobId, stageQueue } from '@dpb/platform';
import { recoverNight } from './night';
import { NightRepository, type NightRow } from './night.repository';

/** BullMQ states in which a job will still run (or is running). */
const LIVE = new Set(['active', 'waiting', 'waiting-children', 'delayed', 'prioritized', 'wait']);

/** True when some stage job of the night's current flow is still live in BullMQ. */
export async function flowIsLive(queues: Map<string, Queue>, night: NightRow): Promise<boolean> {
  for (const stage of STAGES.slice(STAGES.indexOf(night.from_stage))) {
    const q = queues.get(stageQueue(stage));
    if (!q) continue;
    const state = await q.getJobState(stageJobId({ council: night.council, nightDate: night.night_date, stage }, night.flow_seq));
    if (LIVE.has(state)) return true;
  }
  return false;
}

export interface SweepResult {
  checked: number;
  recovered: { council: string; nightDate: string; flowSeq: number; fromStage: string }[];
  failed: { council: string; nightDate: string }[];
}

/**
 * The recovery sweep, run by every worker now and then: a night that is QUEUED or RUNNING, has
 * not moved for `graceMs`, and whose current flow has no live job (its jobs failed after their
 * retries or stalls, or Redis lost them) gets a new flow from its first stage not yet done, up to
 * `maxRecoveries` times; then the night is marked FAILED for IT support. Several workers sweeping
 * at once is safe: the new flow is claimed by compare-and-set on night.flow_seq.
 */
export async function sweepNights(
  ds: DataSource,
  flows: FlowProducer,
  queues: Map<string, Queue>,
  opts: { graceMs: number; maxRecoveries: number; log: Logger; councils: string[] },
): Promise<SweepResult> {
  const nights = new NightRepository(ds);
  const out: SweepResult = { checked: 0, recovered: [], failed: [] };
  // Only the councils this worker is configured for: another fleet sharing the database (its own
  // queue prefix) keeps its nights.
  for (const night of await nights.unfinished(opts.graceMs, opts.councils)) {
    out.checked++;
    if (await flowIsLive(queues, night)) continue;
    const log = opts.log.child({ council: night.council, night: night.night_date, flow: night.flow_seq });
    if (night.recoveries >= opts.maxRecoveries) {
      if (await nights.markFailed(night.council, night.night_date, night.flow_seq)) {
        out.failed.push({ council: night.council, nightDate: night.night_date });
        log.error({ recoveries: night.recoveries }, 'night has no live job and its recoveries are used up: marked FAILED');
      }
      continue;
    }
    const r = await recoverNight(ds, flows, night, opts.graceMs);
    if (r) {
      out.recovered.push({ council: night.council, nightDate: night.night_date, ...r });
      log.warn({ newFlow: r.flowSeq, fromStage: r.fromStage, recoveries: night.recoveries + 1 }, 'night had no live job: recovery flow started');
    }
  }
  return out;
}
