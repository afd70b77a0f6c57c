import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The officers' audit trail (`officer_action`) is append-only in the database, not only in the
 * code: UPDATE, DELETE and TRUNCATE are refused for every role (restrict_violation), as runs and
 * credits are. A wrong entry is answered by a later one, never edited.
 */
export class OfficerAuditAppendOnly1763900016000 implements MigrationInterface {
  name = 'OfficerAuditAppendOnly1763900016000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION officer_action_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = format('officer_action is an append-only audit trail: %s refused', TG_OP);
      END $f$`);
    await q.query(`CREATE TRIGGER officer_action_append_only BEFORE UPDATE OR DELETE ON officer_action
                   FOR EACH ROW EXECUTE FUNCTION officer_action_append_only()`);
    await q.query(`CREATE TRIGGER officer_action_no_truncate BEFORE TRUNCATE ON officer_action
                   FOR EACH STATEMENT EXECUTE FUNCTION officer_action_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER officer_action_no_truncate ON officer_action`);
    await q.query(`DROP TRIGGER officer_action_append_only ON officer_action`);
    await q.query(`DROP FUNCTION officer_action_append_only()`);
  }
}
