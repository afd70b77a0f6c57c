import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Officer cases, checked by the database:
 * - an APPROVED or REJECTED case must also have been proposed (the four-eyes check of
 *   1763900013000 let a decision without a proposer through, as NULL compares to nothing);
 * - a case's history (`officer_case_event`) is append-only: UPDATE, DELETE and TRUNCATE are
 *   refused for every role (restrict_violation). A wrong entry is answered by a later one.
 */
export class CaseChecks1763900013200 implements MigrationInterface {
  name = 'CaseChecks1763900013200';

  async up(q: QueryRunner): Promise<void> {
    await dropDecisionCheck(q);
    await q.query(`
      ALTER TABLE officer_case ADD CONSTRAINT officer_case_four_eyes
        CHECK (status NOT IN ('APPROVED', 'REJECTED') OR (proposed_by IS NOT NULL AND decided_by IS NOT NULL AND lower(decided_by) <> lower(proposed_by)))`);
    await q.query(`
      CREATE FUNCTION officer_case_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = format('officer_case_event is an append-only history: %s refused', TG_OP);
      END $f$`);
    await q.query(`CREATE TRIGGER officer_case_event_append_only BEFORE UPDATE OR DELETE ON officer_case_event
                   FOR EACH ROW EXECUTE FUNCTION officer_case_event_append_only()`);
    await q.query(`CREATE TRIGGER officer_case_event_no_truncate BEFORE TRUNCATE ON officer_case_event
                   FOR EACH STATEMENT EXECUTE FUNCTION officer_case_event_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER officer_case_event_no_truncate ON officer_case_event`);
    await q.query(`DROP TRIGGER officer_case_event_append_only ON officer_case_event`);
    await q.query(`DROP FUNCTION officer_case_event_append_only()`);
    await q.query(`ALTER TABLE officer_case DROP CONSTRAINT officer_case_four_eyes`);
    await q.query(`
      ALTER TABLE officer_case ADD CHECK (status NOT IN ('APPROVED', 'REJECTED') OR (decided_by IS NOT NULL AND lower(decided_by) <> lower(proposed_by)))`);
  }
}

/** The unnamed check of 1763900013000 that compares decided_by with proposed_by. */
async function dropDecisionCheck(q: QueryRunner): Promise<void> {
  const rows: { conname: string }[] = await q.query(
    `SELECT conname FROM pg_constraint
      WHERE conrelid = 'officer_case'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%decided_by%'`,
  );
  for (const r of rows) await q.query(`ALTER TABLE officer_case DROP CONSTRAINT "${r.conname.replace(/"/g, '""')}"`);
}
