import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Debt follow-up: finance's AR open-items extracts come in through their own inbox (ledger
 * source 'ar'); each applied extract records, per invoice, how much is still open as of its date.
 */
export class ArOpenItems1763900015100 implements MigrationInterface {
  name = 'ArOpenItems1763900015100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_file DROP CONSTRAINT inbound_file_source_check`);
    await q.query(`ALTER TABLE inbound_file ADD CONSTRAINT inbound_file_source_check CHECK (source IN ('care', 'bank', 'card', 'ar'))`);
    await q.query(`ALTER TABLE invoice ADD COLUMN settled_as_of date, ADD COLUMN settled_by_file bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoice DROP COLUMN settled_by_file, DROP COLUMN settled_as_of`);
    await q.query(`ALTER TABLE inbound_file DROP CONSTRAINT inbound_file_source_check`);
    await q.query(`ALTER TABLE inbound_file ADD CONSTRAINT inbound_file_source_check CHECK (source IN ('care', 'bank', 'card'))`);
  }
}
