import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reads of a file that failed for an unknown reason (a reader crash or time-out, not a rejection)
 * are counted on its ledger row, so a file that keeps crashing its reader is quarantined after a
 * few attempts instead of stopping every night. The attempt is counted before the read starts,
 * so a read that takes the whole process down counts too.
 */
export class InboundReadAttempts1763900011000 implements MigrationInterface {
  name = 'InboundReadAttempts1763900011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_file ADD COLUMN read_attempts integer NOT NULL DEFAULT 0 CHECK (read_attempts >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_file DROP COLUMN read_attempts`);
  }
}
