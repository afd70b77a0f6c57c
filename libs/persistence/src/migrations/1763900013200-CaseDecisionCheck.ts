import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * officer_case: an APPROVED or REJECTED case must also have been proposed (the four-eyes check of
 * 1763900013000 let a decision without a proposer through, as NULL compares to nothing).
 */
export class CaseDecisionCheck1763900013200 implements MigrationInterface {
  name = 'CaseDecisionCheck1763900013200';

  async up(q: QueryRunner): Promise<void> {
    await dropDecisionCheck(q);
    await q.query(`
      ALTER TABLE officer_case ADD CONSTRAINT officer_case_four_eyes
        CHECK (status NOT IN ('APPROVED', 'REJECTED') OR (proposed_by IS NOT NULL AND decided_by IS NOT NULL AND lower(decided_by) <> lower(proposed_by)))`);
  }

  async down(q: QueryRunner): Promise<void> {
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
