import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DP account audits and officers' liabilities (docs/audit.md).
 * - `dp_audit`: one row per DP and audit window, every figure in pence, the flags as json (ids,
 *   kinds, MCCs, amounts: no names). At most one audit per (DP, window end): a re-run of the same
 *   night finds the window empty and writes nothing. `dp_version`/`payee_version` and `created_at`
 *   let the night skip DPs whose ledger, lines, terms and liabilities did not change since.
 * - `dp_liability`: amounts an officer has recorded as owed from the account (unpaid wages, HMRC,
 *   invoices). Never deleted: removal records who and when. `liability_action` is the insert-only
 *   trail of every officer action on a liability (refused ones included).
 */
export class DpAudit1763900014000 implements MigrationInterface {
  name = 'DpAudit1763900014000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dp_audit (
        id                 bigserial   PRIMARY KEY,
        council            text        NOT NULL,
        dp_id              text        NOT NULL,
        window_from        date        NOT NULL,
        window_to          date        NOT NULL,
        contributions_from date        NOT NULL,
        balance_pence      bigint      NOT NULL,
        expected_contributions_pence bigint NOT NULL,
        received_contributions_pence bigint NOT NULL,
        liabilities_pence  bigint      NOT NULL,
        contingency_pence  bigint      NOT NULL,
        surplus_pence      bigint      NOT NULL CHECK (surplus_pence >= 0),
        contribution_refund_pence bigint NOT NULL CHECK (contribution_refund_pence >= 0),
        council_excess_pence bigint    NOT NULL CHECK (council_excess_pence >= 0),
        missed_contributions_pence bigint NOT NULL CHECK (missed_contributions_pence >= 0),
        missed_streak      integer     NOT NULL,
        missed_escalated   boolean     NOT NULL,
        flags              jsonb       NOT NULL DEFAULT '[]',
        contribution_items jsonb       NOT NULL DEFAULT '[]',
        review_due         date        NOT NULL,
        review_overdue     boolean     NOT NULL,
        account_kind       text        NOT NULL CHECK (account_kind IN ('CARD', 'BANK', 'MANAGED')),
        dp_version         integer     NOT NULL,
        payee_version      integer     NOT NULL,
        night_date         date        NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        CHECK (window_from <= window_to),
        UNIQUE (council, dp_id, window_to)
      )`);
    await q.query(`
      CREATE TABLE dp_liability (
        id            bigserial   PRIMARY KEY,
        council       text        NOT NULL,
        dp_id         text        NOT NULL,
        kind          text        NOT NULL CHECK (kind IN ('WAGES', 'HMRC', 'PENSION', 'INVOICE', 'OTHER')),
        amount_pence  bigint      NOT NULL CHECK (amount_pence > 0),
        owed_on       date        NOT NULL,
        recorded_by   text        NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT now(),
        removed_by    text,
        removed_on    date,
        removed_at    timestamptz,
        CHECK ((removed_by IS NULL) = (removed_at IS NULL) AND (removed_by IS NULL) = (removed_on IS NULL))
      )`);
    await q.query(`CREATE INDEX dp_liability_by_dp ON dp_liability (council, dp_id)`);
    await q.query(`
      CREATE TABLE liability_action (
        id            bigserial   PRIMARY KEY,
        council       text        NOT NULL,
        liability_id  bigint      REFERENCES dp_liability (id),
        dp_id         text        NOT NULL,
        action        text        NOT NULL CHECK (action IN ('ADD', 'REMOVE')),
        officer       text        NOT NULL,
        outcome       text        NOT NULL CHECK (outcome IN ('DONE', 'ALREADY_DONE', 'REFUSED')),
        via           text        NOT NULL,
        reason        text,
        at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX liability_action_by_liability ON liability_action (liability_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE liability_action`);
    await q.query(`DROP TABLE dp_liability`);
    await q.query(`DROP TABLE dp_audit`);
  }
}
