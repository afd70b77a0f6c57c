import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The officers' audit trail (docs/payment-rules.md, "Holds"): every decision an officer takes on a
 * held line or a payment run, refused ones included, with who, when and the state before and
 * after. Rows are only ever inserted. `detail` holds record ids, rule names and states, never
 * personal data.
 */
export class OfficerActions1763900004000 implements MigrationInterface {
  name = 'OfficerActions1763900004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE officer_action (
        id           bigserial   PRIMARY KEY,
        council      text        NOT NULL,
        action       text        NOT NULL CHECK (action IN ('LINE_RELEASE', 'LINE_CANCEL', 'RUN_RELEASE', 'RUN_APPROVE')),
        subject_kind text        NOT NULL CHECK (subject_kind IN ('LINE', 'RUN')),
        subject_id   text        NOT NULL,
        officer      text        NOT NULL,
        outcome      text        NOT NULL CHECK (outcome IN ('DONE', 'ALREADY_DONE', 'REFUSED')),
        state_before text,
        state_after  text,
        reason       text,
        detail       jsonb       NOT NULL DEFAULT '{}',
        at           timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX officer_action_subject ON officer_action (subject_kind, subject_id)`);
    await q.query(`CREATE INDEX officer_action_council_at ON officer_action (council, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE officer_action`);
  }
}
