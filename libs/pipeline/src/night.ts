import { FlowProducer, type FlowJob } from 'bullmq';
import type { DataSource } from 'typeorm';
import { NightRepository, type NightRow } from './night.repository';
import { DEFAULT_JOB_OPTIONS, STAGES, stageJobId, stageQueue, type Stage, type StageJobData } from '@dpb/platform';

export interface EnqueueResult {
  council: string;
  nightDate: string;
  enqueued: boolean;
  state: string;
  jobId: string;
}

/**
 * A night is a BullMQ flow whose stages run one after another (each stage is the parent of the
 * one before it, so `care-in` runs first and `report` last). Postgres, not the BullMQ job id, is
 * what makes "enqueue the same night twice" a no-op: the `night` row is inserted once.
 */
export function nightFlow(council: string, nightDate: string, fromStage: Stage = 'care-in', flow = 0): FlowJob {
  let node: FlowJob | undefined;
  for (const stage of STAGES.slice(STAGES.indexOf(fromStage))) {
    const data: StageJobData = flow ? { council, nightDate, stage, flow } : { council, nightDate, stage };
    const next: FlowJob = {
      name: stage,
      queueName: stageQueue(stage),
      data,
      opts: { ...DEFAULT_JOB_OPTIONS, jobId: stageJobId(data, flow), failParentOnFailure: true },
      children: node ? [node] : undefined,
    };
    node = next;
  }
  return node as FlowJob;
}

const rootJobId = (council: string, nightDate: string) => (flow: number) => stageJobId({ council, nightDate, stage: STAGES[STAGES.length - 1] }, flow);

export async function enqueueNight(
  ds: DataSource,
  flows: FlowProducer,
  council: string,
  nightDate: string,
): Promise<EnqueueResult> {
  const nights = new NightRepository(ds);
  const rootId = rootJobId(council, nightDate)(0);
  if (!(await nights.insertQueued(council, nightDate, rootId))) {
    const n = await nights.find(council, nightDate);
    return { council, nightDate, enqueued: false, state: n?.state ?? 'UNKNOWN', jobId: rootJobId(council, nightDate)(n?.flow_seq ?? 0) };
  }
  try {
    await flows.add(nightFlow(council, nightDate));
  } catch (e) {
    await nights.deleteQueued(council, nightDate);
    throw e;
  }
  return { council, nightDate, enqueued: true, state: 'QUEUED', jobId: rootId };
}

/** A re-run asked for while the night's current flow is still queued or running. */
export class NightStillRunning extends Error {
  constructor(readonly council: string, readonly nightDate: string) {
    super(`night ${council} ${nightDate} is still running: wait for it (dpbridge nightly --wait), or re-run with --force (the running flow then stops at its next stage)`);
    this.name = 'NightStillRunning';
  }
}

/**
 * Runs one night again from a chosen stage (an officer's decision after a failure was fixed).
 * Refused while the night is queued or running, unless forced. A forced re-run starts a new flow
 * (night.flow_seq + 1): the old flow's jobs find themselves superseded and do nothing, and the
 * night lock (holdNightLock) keeps a stage of the old flow that is mid-way from running beside
 * the new one. Stages are idempotent, so re-running a stage that had finished does no harm.
 */
export async function rerunNight(
  ds: DataSource,
  flows: FlowProducer,
  council: string,
  nightDate: string,
  fromStage: Stage = 'care-in',
  opts: { force?: boolean } = {},
): Promise<EnqueueResult> {
  const started = await new NightRepository(ds).startFlow(council, nightDate, fromStage, rootJobId(council, nightDate), !opts.force);
  if (!started) throw new NightStillRunning(council, nightDate);
  const flow = nightFlow(council, nightDate, fromStage, started.flowSeq);
  await flows.add(flow);
  return { council, nightDate, enqueued: true, state: started.hadStages ? 'RERUN' : 'QUEUED', jobId: String(flow.opts?.jobId) };
}

/**
 * Starts a recovery flow for an unfinished night whose flow has no live job left (its jobs
 * failed, or Redis lost them): from the first stage of the current flow not yet done in it.
 * Null when another worker recovered it first or it moved on.
 */
export async function recoverNight(ds: DataSource, flows: FlowProducer, night: NightRow, graceMs: number): Promise<{ flowSeq: number; fromStage: Stage } | null> {
  const nights = new NightRepository(ds);
  const done = new Set((await nights.stages(night.council, night.night_date)).filter((s) => s.state === 'DONE' && s.flow_seq === night.flow_seq).map((s) => s.stage));
  const order = STAGES.slice(STAGES.indexOf(night.from_stage));
  const fromStage = order.find((s) => !done.has(s)) ?? 'report';
  const flow = nightFlow(night.council, night.night_date, fromStage, night.flow_seq + 1);
  const seq = await nights.startRecoveryFlow(night.council, night.night_date, night.flow_seq, fromStage, graceMs, String(flow.opts?.jobId));
  if (seq === null) return null;
  await flows.add(flow);
  return { flowSeq: seq, fromStage };
}
