import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Env, Stage, StageJobData } from '@dpb/platform';
import type { CouncilConfig } from './councils';

export interface StageContext {
  council: CouncilConfig;
  nightDate: string;
  ds: DataSource;
  env: Env;
  log: Logger;
}

/** What a stage reports for the night's summary: counts and totals only, no personal data. */
export interface StageSummary {
  outcome: 'DONE' | 'NOTHING_TO_DO';
  counts: Record<string, number | string>;
  warnings: string[];
}

export type StageHandler = (ctx: StageContext) => Promise<StageSummary>;
export type StageHandlers = Record<Stage, StageHandler>;

export const nothingToDo = (reason: string): StageSummary => ({ outcome: 'NOTHING_TO_DO', counts: {}, warnings: [reason] });

/** Records a stage's start, end and summary in `night_stage`, around the handler. */
export async function runStage(
  handlers: StageHandlers,
  data: StageJobData,
  deps: { ds: DataSource; env: Env; log: Logger; councils: Map<string, CouncilConfig> },
  finalAttempt: boolean,
): Promise<StageSummary> {
  const { ds } = deps;
  const council = deps.councils.get(data.council);
  const log = deps.log.child({ council: data.council, night: data.nightDate, stage: data.stage });
  if (!council) throw new Error(`council ${data.council} is not configured`);
  await ds.query(
    `INSERT INTO night (council, night_date, state) VALUES ($1, $2, 'RUNNING')
     ON CONFLICT (council, night_date) DO UPDATE SET state = 'RUNNING', updated_at = now()`,
    [data.council, data.nightDate],
  );
  await ds.query(
    `INSERT INTO night_stage (council, night_date, stage, state, attempts, started_at)
     VALUES ($1, $2, $3, 'RUNNING', 1, now())
     ON CONFLICT (council, night_date, stage) DO UPDATE
       SET state = 'RUNNING', attempts = night_stage.attempts + 1, started_at = now(), finished_at = NULL, error = NULL`,
    [data.council, data.nightDate, data.stage],
  );
  log.info('stage started');
  try {
    const summary = await handlers[data.stage]({ council, nightDate: data.nightDate, ds, env: deps.env, log });
    await ds.query(
      `UPDATE night_stage SET state = 'DONE', summary = $4, finished_at = now()
        WHERE council = $1 AND night_date = $2 AND stage = $3`,
      [data.council, data.nightDate, data.stage, JSON.stringify(summary)],
    );
    if (data.stage === 'report') {
      await ds.query(`UPDATE night SET state = 'DONE', updated_at = now() WHERE council = $1 AND night_date = $2`, [
        data.council,
        data.nightDate,
      ]);
    }
    log.info({ outcome: summary.outcome, counts: summary.counts, warnings: summary.warnings.length }, 'stage finished');
    return summary;
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    await ds.query(
      `UPDATE night_stage SET state = 'FAILED', error = $4, finished_at = now()
        WHERE council = $1 AND night_date = $2 AND stage = $3`,
      [data.council, data.nightDate, data.stage, message.slice(0, 2000)],
    );
    if (finalAttempt) {
      await ds.query(`UPDATE night SET state = 'FAILED', updated_at = now() WHERE council = $1 AND night_date = $2`, [
        data.council,
        data.nightDate,
      ]);
    }
    log.error({ err: e, finalAttempt }, 'stage failed');
    throw e;
  }
}
