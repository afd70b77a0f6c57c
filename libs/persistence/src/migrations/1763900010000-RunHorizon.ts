import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A night's work stays flat as the payment history grows (load.ts `nightHorizon`):
 * - payment_run.period_grid: the go-live and anchor dates the run enumerated periods with (a run
 *   whose predecessor used another grid, or none recorded, walks every DP from go-live);
 * - REGULAR lines by (council, period_start): the periods after the previous run's date;
 * - BANK credits by (council, payee_id, id): each payee's newest, by one index descent.
 */
export class RunHorizon1763900010000 implements MigrationInterface {
  name = 'RunHorizon1763900010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payment_run ADD COLUMN period_grid text`);
    await q.query(`CREATE INDEX payment_line_regular_by_start ON payment_line (council, period_start) WHERE kind = 'REGULAR'`);
    await q.query(`CREATE INDEX credit_bank_by_payee ON credit (council, payee_id, id) WHERE channel = 'BANK'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX credit_bank_by_payee`);
    await q.query(`DROP INDEX payment_line_regular_by_start`);
    await q.query(`ALTER TABLE payment_run DROP COLUMN period_grid`);
  }
}
