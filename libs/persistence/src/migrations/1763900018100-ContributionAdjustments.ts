import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A contribution change on a GROSS DP's already invoiced period (a released ADJUSTMENT line)
 * is invoiced on an invoice of its own (a credit note when negative), never by rewriting the
 * issued one: invoice.adjusts_line names the payment line it invoices, at most once
 * (invoice_once_contribution_adjustment). The one-per-(DP, period) rule now applies to the
 * period's own invoice only.
 */
export class ContributionAdjustments1763900018100 implements MigrationInterface {
  name = 'ContributionAdjustments1763900018100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoice ADD COLUMN adjusts_line bigint, ADD CHECK (adjusts_line IS NULL OR kind = 'CONTRIBUTION')`);
    await q.query(`DROP INDEX invoice_once_contribution`);
    await q.query(`CREATE UNIQUE INDEX invoice_once_contribution ON invoice (council, dp_id, period_from, period_to) WHERE kind = 'CONTRIBUTION' AND adjusts_line IS NULL`);
    await q.query(`CREATE UNIQUE INDEX invoice_once_contribution_adjustment ON invoice (council, adjusts_line) WHERE adjusts_line IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX invoice_once_contribution_adjustment`);
    await q.query(`DELETE FROM invoice_line WHERE invoice_id IN (SELECT id FROM invoice WHERE adjusts_line IS NOT NULL)`);
    await q.query(`DELETE FROM invoice WHERE adjusts_line IS NOT NULL`);
    await q.query(`DROP INDEX invoice_once_contribution`);
    await q.query(`CREATE UNIQUE INDEX invoice_once_contribution ON invoice (council, dp_id, period_from, period_to) WHERE kind = 'CONTRIBUTION'`);
    await q.query(`ALTER TABLE invoice DROP COLUMN adjusts_line`);
  }
}
