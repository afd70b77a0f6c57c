import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Env, Stage, StageJobData } from '@dpb/platform';
import type { CouncilConfig } from './councils';
import { holdNightLock, NightRepository } from './night.repository';

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

/** What a job of a superseded flow reports: it did nothing (a later flow of the night runs instead). */
export const SUPERSEDED = 'superseded by a later flow of this night';

/**
 * Runs one stage of a night's current flow and records it (night_stage, night_stage_attempt):
 * - the night lock is held while the stage runs, so two flows of a night never run side by side;
 * - a job of an older flow (an officer forced a re-run, or the recovery sweep started a new flow)
 *   does nothing;
 * - a stage already DONE in this flow (its job was redone after a crash between the database's
 *   record and BullMQ's) is not run twice: its recorded summary is returned.
 * A failed attempt is recorded and thrown for BullMQ to retry; the night is not marked FAILED here:
 * when a flow has no live job left, the recovery sweep (recovery.ts) starts a new one, and marks
 * the night FAILED only once its recoveries are used up.
 */
export async function runStage(
  handlers: StageHandlers,
  data: StageJobData,
  deps: { ds: DataSource; env: Env; log: Logger; councils: Map<string, CouncilConfig> },
): Promise<StageSummary> {
  const { ds } = deps;
  const council = deps.councils.get(data.council);
  const flow = data.flow ?? 0;
  const log = deps.log.child({ council: data.council, night: data.nightDate, stage: data.stage, flow });
  if (!council) throw new Error(`council ${data.council} is not configured`);
  const nights = new NightRepository(ds);
  const lock = await holdNightLock(ds, data.council, data.nightDate);
  try {
    if (!(await nights.claimForStage(data.council, data.nightDate, flow))) {
      log.info('stage job of a superseded flow: nothing done');
      return { outcome: 'NOTHING_TO_DO', counts: {}, warnings: [SUPERSEDED] };
    }
    const before = await nights.stage(data.council, data.nightDate, data.stage);
    let summary: StageSummary;
    if (before?.state === 'DONE' && before.flow_seq === flow && before.summary) {
      log.info('stage already done in this flow: not run again');
      summary = before.summary as StageSummary;
    } else {
      const attemptId = await nights.startAttempt(data.council, data.nightDate, data.stage, flow);
      log.info('stage started');
      try {
        summary = await handlers[data.stage]({ council, nightDate: data.nightDate, ds, env: deps.env, log });
      } catch (e) {
        const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        await nights.finishAttempt(data.council, data.nightDate, data.stage, attemptId, { error: message }).catch(() => undefined);
        log.error({ err: e }, 'stage failed');
        throw e;
      }
      await nights.finishAttempt(data.council, data.nightDate, data.stage, attemptId, { summary });
    }
    if (data.stage === 'report') await nights.markDone(data.council, data.nightDate, flow);
    log.info({ outcome: summary.outcome, counts: summary.counts, warnings: summary.warnings.length }, 'stage finished');
    return summary;
  } finally {
    await lock.release();
  }
}
