import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One flow per night at a time, and a record of every stage attempt:
 * - night.flow_seq: the night's current flow (0 for the first; a re-run or a recovery adds one).
 *   A stage job carries the flow it belongs to; a job of an older flow does nothing.
 * - night.from_stage: where the current flow started; night.recoveries: flows started by the
 *   recovery sweep (not by an officer) since the last enqueue or re-run.
 * - night_stage.flow_seq: the flow that last ran the stage.
 * - night_stage_attempt: every attempt of every stage of every flow, with its summary or error,
 *   so the night's report can describe the whole night.
 */
export class NightFlows1763900012000 implements MigrationInterface {
  name = 'NightFlows1763900012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE night ADD COLUMN flow_seq integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE night ADD COLUMN from_stage text NOT NULL DEFAULT 'care-in'`);
    await q.query(`ALTER TABLE night ADD COLUMN recoveries integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE night_stage ADD COLUMN flow_seq integer NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX night_unfinished ON night (updated_at) WHERE state IN ('QUEUED', 'RUNNING')`);
    await q.query(`
      CREATE TABLE night_stage_attempt (
        id          bigserial   PRIMARY KEY,
        council     text        NOT NULL,
        night_date  date        NOT NULL,
        flow_seq    integer     NOT NULL,
        stage       text        NOT NULL,
        state       text        NOT NULL CHECK (state IN ('RUNNING', 'DONE', 'FAILED')),
        summary     json,
        error       text,
        started_at  timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        FOREIGN KEY (council, night_date) REFERENCES night (council, night_date)
      )`);
    await q.query(`CREATE INDEX night_stage_attempt_by_night ON night_stage_attempt (council, night_date, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE night_stage_attempt`);
    await q.query(`DROP INDEX night_unfinished`);
    await q.query(`ALTER TABLE night_stage DROP COLUMN flow_seq`);
    await q.query(`ALTER TABLE night DROP COLUMN recoveries`);
    await q.query(`ALTER TABLE night DROP COLUMN from_stage`);
    await q.query(`ALTER TABLE night DROP COLUMN flow_seq`);
  }
}
