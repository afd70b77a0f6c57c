import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AR batches: the invoices a night's reclaim stage delivers together. Invoices not yet in a batch
 * are put into the night's next batch (sequence 1, 2, ... per council and night) before any file is
 * built, so a re-run rebuilds a batch from the same invoices (same bytes) and a later run of the same
 * night never changes a delivered batch's files.
 */
export class ArBatch1763900015200 implements MigrationInterface {
  name = 'ArBatch1763900015200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ar_batch (
        id         text    PRIMARY KEY,
        council    text    NOT NULL,
        night_date date    NOT NULL,
        sequence   integer NOT NULL,
        UNIQUE (council, night_date, sequence)
      )`);
    await q.query(`ALTER TABLE invoice ADD COLUMN ar_batch text REFERENCES ar_batch (id)`);
    await q.query(`CREATE INDEX invoice_by_batch ON invoice (ar_batch)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoice DROP COLUMN ar_batch`);
    await q.query(`DROP TABLE ar_batch`);
  }
}
