import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How an APPROVED recovery case is recovered (docs/reclaims.md "Recoveries"):
 * - recovery_choice: one row per case (the primary key), its method INVOICE or OFFSET, chosen once.
 *   A RECOVERY invoice must point at its case's INVOICE choice (invoice.recovery_method is
 *   'INVOICE' for every RECOVERY invoice and is a foreign key with case_id), a deduction at its
 *   case's OFFSET choice: a case is invoiced or offset, never both. The choice cannot change once
 *   an invoice or a deduction points at it.
 * - recovery_deduction: what a payment run took back from a DP's payments for an OFFSET case, at
 *   most once per (case, run) (the primary key); the case's outstanding amount is its approved
 *   amount minus its deductions (outstanding_pence: what was left after this one).
 * Existing RECOVERY invoices get their INVOICE choice here.
 */
export class RecoveryOffsets1763900018000 implements MigrationInterface {
  name = 'RecoveryOffsets1763900018000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recovery_choice (
        council      text   NOT NULL,
        case_id      text   NOT NULL,
        dp_id        text   NOT NULL,
        method       text   NOT NULL CHECK (method IN ('INVOICE', 'OFFSET')),
        reason       text   NOT NULL,
        amount_pence bigint NOT NULL CHECK (amount_pence > 0),
        chosen_on    date   NOT NULL,
        PRIMARY KEY (council, case_id),
        UNIQUE (council, case_id, method)
      )`);
    await q.query(`CREATE INDEX recovery_choice_offsets ON recovery_choice (council, dp_id) WHERE method = 'OFFSET'`);
    await q.query(`
      INSERT INTO recovery_choice (council, case_id, dp_id, method, reason, amount_pence, chosen_on)
      SELECT council, case_id, coalesce(dp_id, '-'), 'INVOICE', coalesce(reason, '-'), total_pence, raised_on
        FROM invoice WHERE kind = 'RECOVERY' AND total_pence > 0`);
    await q.query(`ALTER TABLE invoice ADD COLUMN recovery_method text GENERATED ALWAYS AS (CASE WHEN kind = 'RECOVERY' THEN 'INVOICE' END) STORED`);
    await q.query(`
      ALTER TABLE invoice ADD CONSTRAINT invoice_recovery_is_invoice_choice
        FOREIGN KEY (council, case_id, recovery_method) REFERENCES recovery_choice (council, case_id, method)`);
    await q.query(`
      CREATE TABLE recovery_deduction (
        council      text   NOT NULL,
        case_id      text   NOT NULL,
        method       text   NOT NULL DEFAULT 'OFFSET' CHECK (method = 'OFFSET'),
        run_id       text   NOT NULL REFERENCES payment_run (run_id),
        dp_id        text   NOT NULL,
        amount_pence bigint NOT NULL CHECK (amount_pence > 0),
        outstanding_pence bigint NOT NULL CHECK (outstanding_pence >= 0),
        PRIMARY KEY (council, case_id, run_id),
        FOREIGN KEY (council, case_id, method) REFERENCES recovery_choice (council, case_id, method)
      )`);
    await q.query(`CREATE INDEX recovery_deduction_run ON recovery_deduction (run_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recovery_deduction`);
    await q.query(`ALTER TABLE invoice DROP CONSTRAINT invoice_recovery_is_invoice_choice`);
    await q.query(`ALTER TABLE invoice DROP COLUMN recovery_method`);
    await q.query(`DROP TABLE recovery_choice`);
  }
}
