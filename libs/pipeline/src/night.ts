import { FlowProducer, type FlowJob } from 'bullmq';
import type { DataSource } from 'typeorm';
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
export function nightFlow(council: string, nightDate: string, fromStage: Stage = 'care-in', attempt = 0): FlowJob {
  let flow: FlowJob | undefined;
  for (const stage of STAGES.slice(STAGES.indexOf(fromStage))) {
    const data: StageJobData = { council, nightDate, stage };
    const node: FlowJob = {
      name: stage,
      queueName: stageQueue(stage),
      data,
      opts: { ...DEFAULT_JOB_OPTIONS, jobId: stageJobId(data, attempt), failParentOnFailure: true },
      children: flow ? [flow] : undefined,
    };
    flow = node;
  }
  return flow as FlowJob;
}

export async function enqueueNight(
  ds: DataSource,
  flows: FlowProducer,
  council: string,
  nightDate: string,
): Promise<EnqueueResult> {
  const rootId = stageJobId({ council, nightDate, stage: STAGES[STAGES.length - 1] });
  const inserted: unknown[] = await ds.query(
    `INSERT INTO night (council, night_date, state, flow_job_id) VALUES ($1, $2, 'QUEUED', $3)
     ON CONFLICT (council, night_date) DO NOTHING RETURNING council`,
    [council, nightDate, rootId],
  );
  if (inserted.length === 0) {
    const rows: { state: string; flow_job_id: string }[] = await ds.query(
      `SELECT state, flow_job_id FROM night WHERE council = $1 AND night_date = $2`,
      [council, nightDate],
    );
    return { council, nightDate, enqueued: false, state: rows[0]?.state ?? 'UNKNOWN', jobId: rows[0]?.flow_job_id ?? rootId };
  }
  try {
    await flows.add(nightFlow(council, nightDate));
  } catch (e) {
    await ds.query(`DELETE FROM night WHERE council = $1 AND night_date = $2 AND state = 'QUEUED'`, [council, nightDate]);
    throw e;
  }
  return { council, nightDate, enqueued: true, state: 'QUEUED', jobId: rootId };
}

/**
 * Runs one night again from a chosen stage (an operator's decision after a failure was fixed).
 * Stages are idempotent, so re-running a stage that had finished does no harm.
 */
export async function rerunNight(
  ds: DataSource,
  flows: FlowProducer,
  council: string,
  nightDate: string,
  fromStage: Stage = 'care-in',
): Promise<EnqueueResult> {
  const rows: { n: number }[] = await ds.query(
    `SELECT count(*)::int AS n FROM night_stage WHERE council = $1 AND night_date = $2`,
    [council, nightDate],
  );
  const flow = nightFlow(council, nightDate, fromStage, Date.now());
  await ds.query(
    `INSERT INTO night (council, night_date, state) VALUES ($1, $2, 'QUEUED')
     ON CONFLICT (council, night_date) DO UPDATE SET state = 'QUEUED', updated_at = now()`,
    [council, nightDate],
  );
  await flows.add(flow);
  return { council, nightDate, enqueued: true, state: rows[0].n > 0 ? 'RERUN' : 'QUEUED', jobId: String(flow.opts?.jobId) };
}
