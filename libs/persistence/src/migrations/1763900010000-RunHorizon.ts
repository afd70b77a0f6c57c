import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A night's work stays flat as the payment history grows (load.ts `nightHorizon`):
 * - payment_run.period_grid: the go-live and anchor dates the run enumerated periods with (a run
 *   whose predecessor used another grid, or none recorded, walks every DP from go-live);
 * - REGULAR lines by (council, period_start): the periods after the previous run's date;
 * - BANK credits by (council, payee_id, id): each payee's newest, by one index descent;
 * - dp_checked_basis.calc_stored: every run now records the input of every DP it planned, but
 *   stores the input itself (calc_basis, for `dpbridge explain`) only for DPs with lines; false
 *   until a line needs it. Rows from before were written with their calc_basis row: true.
 */
export class RunHorizon1763900010000 implements MigrationInterface {
  name = 'RunHorizon1763900010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE payment_run ADD COLUMN period_grid text`);
    await q.query(`ALTER TABLE dp_checked_basis ADD COLUMN calc_stored boolean NOT NULL DEFAULT true`);
    await q.query(`CREATE INDEX payment_line_regular_by_start ON payment_line (council, period_start) WHERE kind = 'REGULAR'`);
    await q.query(`CREATE INDEX credit_bank_by_payee ON credit (council, payee_id, id) WHERE channel = 'BANK'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX credit_bank_by_payee`);
    await q.query(`DROP INDEX payment_line_regular_by_start`);
    await q.query(`ALTER TABLE dp_checked_basis DROP COLUMN calc_stored`);
    await q.query(`ALTER TABLE payment_run DROP COLUMN period_grid`);
  }
}
