/**
 * Every statement on a night, its stages and its stage attempts (tables night, night_stage,
 * night_stage_attempt). The database, not BullMQ, says which flow of a night is current:
 * `night.flow_seq`, compared and set in one statement.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { holdSessionLock, managerOf, updateReturning, type Db } from '@dpb/persistence';
import type { Stage } from '@dpb/platform';

export type NightState = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

export interface NightRow {
  council: string;
  night_date: string;
  state: NightState;
  flow_seq: number;
  from_stage: Stage;
  recoveries: number;
}

export interface NightStageRow {
  stage: Stage;
  state: 'RUNNING' | 'DONE' | 'FAILED';
  attempts: number;
  flow_seq: number;
  summary: StoredSummary | null;
  error: string | null;
}

export interface StoredSummary {
  outcome: string;
  counts: Record<string, number | string>;
  warnings: string[];
}

export interface StageAttemptRow {
  id: string;
  flow_seq: number;
  stage: Stage;
  state: 'RUNNING' | 'DONE' | 'FAILED';
  summary: StoredSummary | null;
  error: string | null;
}

const NIGHT_COLS = `council, to_char(night_date, 'YYYY-MM-DD') AS night_date, state, flow_seq, from_stage, recoveries`;

/** A recent night with one of its stages (stage columns null for a night with no stage yet). */
export interface NightStageStatusRow {
  council: string;
  night_date: string;
  state: string;
  stage: string | null;
  stage_state: string | null;
  attempts: number | null;
  summary: { outcome?: string; warnings?: string[] } | null;
  error: string | null;
}

export class NightRepository {
  constructor(private readonly db: Db) {}

  /** The last `limit` nights (newest first) with their stages, in the order they started. */
  async lastNightsWithStages(limit: number): Promise<NightStageStatusRow[]> {
    const rows: NightStageStatusRow[] = await this.db.query(
      `WITH last AS (SELECT council, night_date, state FROM night ORDER BY night_date DESC, council LIMIT $1)
       SELECT l.council, to_char(l.night_date, 'YYYY-MM-DD') AS night_date, l.state,
              s.stage, s.state AS stage_state, s.attempts, s.summary, s.error
         FROM last l LEFT JOIN night_stage s ON s.council = l.council AND s.night_date = l.night_date
        ORDER BY l.night_date DESC, l.council, s.started_at NULLS LAST`,
      [limit],
    );
    return rows;
  }

  async find(council: string, nightDate: string): Promise<NightRow | null> {
    const rows: NightRow[] = await this.db.query(`SELECT ${NIGHT_COLS} FROM night WHERE council = $1 AND night_date = $2`, [council, nightDate]);
    return rows[0] ?? null;
  }

  /** Inserts the night as QUEUED with flow 0; false when it exists already. */
  async insertQueued(council: string, nightDate: string, flowJobId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO night (council, night_date, state, flow_job_id) VALUES ($1, $2, 'QUEUED', $3)
       ON CONFLICT (council, night_date) DO NOTHING RETURNING council`,
      [council, nightDate, flowJobId],
    );
    return rows.length > 0;
  }

  async deleteQueued(council: string, nightDate: string): Promise<void> {
    await this.db.query(`DELETE FROM night WHERE council = $1 AND night_date = $2 AND state = 'QUEUED' AND flow_seq = 0`, [council, nightDate]);
  }

  /**
   * Starts a new flow of the night (an officer's re-run): the flow number goes up by one, so
   * every job of an older flow finds itself superseded. `unlessRunning` makes it refuse (null)
   * when the night is QUEUED or RUNNING.
   */
  async startFlow(council: string, nightDate: string, fromStage: Stage, rootJobId: (seq: number) => string, unlessRunning: boolean): Promise<{ flowSeq: number; hadStages: boolean } | null> {
    return this.transaction(async (m) => {
      const found: { state: NightState; flow_seq: number }[] = await m.query(
        `SELECT state, flow_seq FROM night WHERE council = $1 AND night_date = $2 FOR UPDATE`,
        [council, nightDate],
      );
      const n = found[0];
      if (!n) {
        await m.query(`INSERT INTO night (council, night_date, state, flow_seq, from_stage, flow_job_id) VALUES ($1, $2, 'QUEUED', 1, $3, $4)`, [
          council, nightDate, fromStage, rootJobId(1),
        ]);
        return { flowSeq: 1, hadStages: false };
      }
      if (unlessRunning && (n.state === 'RUNNING' || n.state === 'QUEUED')) return null;
      const seq = n.flow_seq + 1;
      await m.query(
        `UPDATE night SET state = 'QUEUED', flow_seq = $3, from_stage = $4, recoveries = 0, flow_job_id = $5, updated_at = now()
          WHERE council = $1 AND night_date = $2`,
        [council, nightDate, seq, fromStage, rootJobId(seq)],
      );
      const [{ k }]: { k: number }[] = await m.query(`SELECT count(*)::int AS k FROM night_stage WHERE council = $1 AND night_date = $2`, [council, nightDate]);
      return { flowSeq: seq, hadStages: k > 0 };
    });
  }

  /**
   * A recovery flow: only when the night is still unfinished, still on flow `fromSeq` and has
   * not been touched for `graceMs` (compare-and-set: of several workers sweeping, one wins). The new
   * flow's root job id is recorded in the same statement.
   */
  async startRecoveryFlow(council: string, nightDate: string, fromSeq: number, fromStage: Stage, graceMs: number, rootJobId: string): Promise<number | null> {
    const rows = await updateReturning<{ flow_seq: number }>(managerOf(this.db),
      `UPDATE night SET flow_seq = flow_seq + 1, from_stage = $4, recoveries = recoveries + 1, flow_job_id = $6, updated_at = now()
        WHERE council = $1 AND night_date = $2 AND flow_seq = $3 AND state IN ('QUEUED', 'RUNNING')
          AND updated_at < now() - make_interval(secs => $5::double precision / 1000)
        RETURNING flow_seq`,
      [council, nightDate, fromSeq, fromStage, graceMs, rootJobId],
    );
    return rows[0]?.flow_seq ?? null;
  }

  /** Nights not finished and not touched for `graceMs`: candidates for the recovery sweep. */
  async unfinished(graceMs: number, councils: string[]): Promise<NightRow[]> {
    return this.db.query(
      `SELECT ${NIGHT_COLS} FROM night
        WHERE state IN ('QUEUED', 'RUNNING') AND updated_at < now() - make_interval(secs => $1::double precision / 1000)
          AND council = ANY($2::text[])
        ORDER BY night_date, council`,
      [graceMs, councils],
    );
  }

  async markFailed(council: string, nightDate: string, flowSeq: number): Promise<boolean> {
    const rows = await updateReturning<unknown>(managerOf(this.db),
      `UPDATE night SET state = 'FAILED', updated_at = now()
        WHERE council = $1 AND night_date = $2 AND flow_seq = $3 AND state IN ('QUEUED', 'RUNNING') RETURNING council`,
      [council, nightDate, flowSeq],
    );
    return rows.length > 0;
  }

  /** The night goes RUNNING for a job of its current flow; false for a job of an older flow. */
  async claimForStage(council: string, nightDate: string, flowSeq: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO night (council, night_date, state) VALUES ($1, $2, 'RUNNING')
       ON CONFLICT (council, night_date) DO UPDATE SET state = 'RUNNING', updated_at = now()
         WHERE night.flow_seq = $3
       RETURNING council`,
      [council, nightDate, flowSeq],
    );
    return rows.length > 0;
  }

  async markDone(council: string, nightDate: string, flowSeq: number): Promise<void> {
    await this.db.query(`UPDATE night SET state = 'DONE', updated_at = now() WHERE council = $1 AND night_date = $2 AND flow_seq = $3`, [council, nightDate, flowSeq]);
  }

  async stages(council: string, nightDate: string): Promise<NightStageRow[]> {
    return this.db.query(
      `SELECT stage, state, attempts, flow_seq, summary, error FROM night_stage WHERE council = $1 AND night_date = $2`,
      [council, nightDate],
    );
  }

  async stage(council: string, nightDate: string, stage: Stage): Promise<NightStageRow | null> {
    const rows: NightStageRow[] = await this.db.query(
      `SELECT stage, state, attempts, flow_seq, summary, error FROM night_stage WHERE council = $1 AND night_date = $2 AND stage = $3`,
      [council, nightDate, stage],
    );
    return rows[0] ?? null;
  }

  /** Records the start of an attempt (night_stage and night_stage_attempt); returns the attempt id. */
  async startAttempt(council: string, nightDate: string, stage: Stage, flowSeq: number): Promise<string> {
    await this.db.query(
      `INSERT INTO night_stage (council, night_date, stage, state, attempts, started_at, flow_seq)
       VALUES ($1, $2, $3, 'RUNNING', 1, now(), $4)
       ON CONFLICT (council, night_date, stage) DO UPDATE
         SET state = 'RUNNING', attempts = night_stage.attempts + 1, started_at = now(), finished_at = NULL, error = NULL, flow_seq = $4`,
      [council, nightDate, stage, flowSeq],
    );
    // An attempt still RUNNING is one whose worker was lost (killed, or cut off from the database).
    await this.db.query(
      `UPDATE night_stage_attempt SET state = 'FAILED', error = 'interrupted: its worker was lost', finished_at = now()
        WHERE council = $1 AND night_date = $2 AND stage = $3 AND state = 'RUNNING'`,
      [council, nightDate, stage],
    );
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO night_stage_attempt (council, night_date, flow_seq, stage, state) VALUES ($1, $2, $3, $4, 'RUNNING') RETURNING id`,
      [council, nightDate, flowSeq, stage],
    );
    return id;
  }

  async finishAttempt(council: string, nightDate: string, stage: Stage, attemptId: string, outcome: { summary: StoredSummary } | { error: string }): Promise<void> {
    const state = 'summary' in outcome ? 'DONE' : 'FAILED';
    const summary = 'summary' in outcome ? JSON.stringify(outcome.summary) : null;
    const error = 'error' in outcome ? outcome.error.slice(0, 2000) : null;
    await this.db.query(
      `UPDATE night_stage SET state = $4, summary = COALESCE($5::json, summary), error = $6, finished_at = now()
        WHERE council = $1 AND night_date = $2 AND stage = $3`,
      [council, nightDate, stage, state, summary, error],
    );
    await this.db.query(`UPDATE night_stage_attempt SET state = $2, summary = $3::json, error = $4, finished_at = now() WHERE id = $1`, [
      attemptId, state, summary, error,
    ]);
  }

  /** Every attempt of every stage of the night, oldest first. */
  async attempts(council: string, nightDate: string): Promise<StageAttemptRow[]> {
    return this.db.query(
      `SELECT id, flow_seq, stage, state, summary, error FROM night_stage_attempt WHERE council = $1 AND night_date = $2 ORDER BY id`,
      [council, nightDate],
    );
  }

  private transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return managerOf(this.db).transaction(fn);
  }
}

/**
 * One stage of a night at a time, across every worker process: a session advisory lock on a
 * connection of its own, held while the stage runs (released when the stage ends or, if the
 * process dies, when PostgreSQL closes its connection). Waits, polling, while another holds it.
 */
export function holdNightLock(ds: DataSource, council: string, nightDate: string, pollMs = 500): Promise<{ release(): Promise<void> }> {
  return holdSessionLock(ds, `dpb-night:${council}:${nightDate}`, pollMs);
}
