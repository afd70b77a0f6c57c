import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment confirmation (docs/reconciliation.md): what the reconcile stage matched, once.
 * - card_load_match: a delivered card load (CARD credit) and the provider's LOAD item that
 *   confirms it; unique on both sides, so a re-run never matches either again.
 * - bacs_run_match: a delivered run whose payment-file total the council bank statement shows
 *   debited (one contra, or one debit per credit); bacs_run_match_entry: the bank entries, each
 *   confirming at most one run.
 */
export class PaymentConfirmation1763900013100 implements MigrationInterface {
  name = 'PaymentConfirmation1763900013100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE card_load_match (
        credit_id   bigint      PRIMARY KEY REFERENCES credit (id),
        council     text COLLATE "C" NOT NULL,
        provider    text COLLATE "C" NOT NULL,
        txn_id      text COLLATE "C" NOT NULL,
        matched_by  text        NOT NULL CHECK (matched_by IN ('REFERENCE', 'DATE')),
        matched_on  date        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT card_load_match_txn_once UNIQUE (council, provider, txn_id)
      )`);
    await q.query(`
      CREATE TABLE bacs_run_match (
        run_id      text        PRIMARY KEY REFERENCES payment_run (run_id),
        council     text        NOT NULL,
        matched_by  text        NOT NULL CHECK (matched_by IN ('CONTRA', 'ITEMISED')),
        total_pence bigint      NOT NULL,
        matched_on  date        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE bacs_run_match_entry (
        bank_entry_id bigint PRIMARY KEY REFERENCES bank_entry (id),
        run_id        text   NOT NULL REFERENCES bacs_run_match (run_id)
      )`);
    await q.query(`CREATE INDEX bacs_run_match_entry_run ON bacs_run_match_entry (run_id)`);
    // Delivered card loads are found by run; LOAD items by council and type.
    await q.query(`CREATE INDEX credit_card_by_run ON credit (run_id) WHERE channel = 'CARD'`);
    await q.query(`CREATE INDEX card_txn_loads ON card_txn (council, posting_date) WHERE type = 'LOAD'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX card_txn_loads`);
    await q.query(`DROP INDEX credit_card_by_run`);
    await q.query(`DROP TABLE bacs_run_match_entry`);
    await q.query(`DROP TABLE bacs_run_match`);
    await q.query(`DROP TABLE card_load_match`);
  }
}
