import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run's lines are read by `run_id = $1 OR released_run_id = $1` (files, manifest, summary).
 * released_run_id had an index; run_id had none, so every run read the whole line history.
 */
export class RunLineIndex1763900007000 implements MigrationInterface {
  name = 'RunLineIndex1763900007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX payment_line_of_run ON payment_line (run_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX payment_line_of_run`);
  }
}
