import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A night's reclaim stays flat as months accumulate: per JOINT/S117 DP, a hash of what its raised
 * months were last compared with (its calculation input, the person's NHS check and the council's
 * reclaim settings). A DP whose hash is unchanged has only the night's new months computed.
 */
export class ReclaimDpBasis1763900015300 implements MigrationInterface {
  name = 'ReclaimDpBasis1763900015300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reclaim_dp_basis (
        council    text     NOT NULL,
        dp_id      text     NOT NULL,
        basis_hash char(64) NOT NULL,
        PRIMARY KEY (council, dp_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reclaim_dp_basis`);
  }
}
