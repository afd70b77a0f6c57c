import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The inbound-file ledger and the record of nights and their stages. */
export class Platform1763900000000 implements MigrationInterface {
  name = 'Platform1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_file (
        id          bigserial PRIMARY KEY,
        source      text        NOT NULL CHECK (source IN ('care', 'bank', 'card')),
        council     text,
        name        text        NOT NULL,
        size        bigint      NOT NULL CHECK (size >= 0),
        sha256      char(64)    NOT NULL,
        state       text        NOT NULL CHECK (state IN ('APPLIED', 'QUARANTINED', 'RETRY')),
        format      text,
        records     integer,
        error       jsonb,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inbound_file_once UNIQUE (source, sha256)
      )`);
    await q.query(`CREATE INDEX inbound_file_by_name ON inbound_file (source, name)`);
    await q.query(`
      CREATE TABLE night (
        council     text        NOT NULL,
        night_date  date        NOT NULL,
        state       text        NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        flow_job_id text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (council, night_date)
      )`);
    await q.query(`
      CREATE TABLE night_stage (
        council     text        NOT NULL,
        night_date  date        NOT NULL,
        stage       text        NOT NULL,
        state       text        NOT NULL CHECK (state IN ('RUNNING', 'DONE', 'FAILED')),
        attempts    integer     NOT NULL DEFAULT 0,
        summary     json,        -- json, not jsonb: keeps the order of the counts for printing
        error       text,
        started_at  timestamptz,
        finished_at timestamptz,
        PRIMARY KEY (council, night_date, stage),
        FOREIGN KEY (council, night_date) REFERENCES night (council, night_date)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE night_stage`);
    await q.query(`DROP TABLE night`);
    await q.query(`DROP TABLE inbound_file`);
  }
}
