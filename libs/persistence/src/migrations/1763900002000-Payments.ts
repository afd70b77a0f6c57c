import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment runs, lines, credits and recovery proposals. "No payment twice" is enforced here:
 * at most one REGULAR line per (DP, period), one ONE_OFF line per one-off, one ADJUSTMENT per
 * (DP, period, causing extract), one credit per (run, payee), payment references unique per
 * council, EndToEndIds unique.
 */
export class Payments1763900002000 implements MigrationInterface {
  name = 'Payments1763900002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payment_run (
        run_id          text        PRIMARY KEY,
        council         text        NOT NULL,
        run_date        date        NOT NULL,
        sequence        integer     NOT NULL CHECK (sequence >= 1),
        state           text        NOT NULL CHECK (state IN ('HELD', 'AWAITING_APPROVAL', 'RELEASED', 'DELIVERED')),
        hold_reasons    text[]      NOT NULL DEFAULT '{}',
        regular_totals  jsonb       NOT NULL DEFAULT '{}',
        manifest        json,         -- json, not jsonb: the delivered manifest, byte for byte
        holds_released_by text,
        approved_by     text,
        approved_at     timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (council, run_date, sequence)
      )`);
    await q.query(`
      CREATE TABLE payment_line (
        id                 bigserial   PRIMARY KEY,
        council            text        NOT NULL,
        run_id             text        NOT NULL REFERENCES payment_run (run_id),
        dp_id              text        NOT NULL,
        person_id          text        NOT NULL,
        payee_id           text        NOT NULL,
        kind               text        NOT NULL CHECK (kind IN ('REGULAR', 'ADJUSTMENT', 'ONE_OFF')),
        frequency          text        NOT NULL,
        cost_centre        text        NOT NULL,
        gl_account         text        NOT NULL,
        period_start       date        NOT NULL,
        period_end         date        NOT NULL,
        one_off_id         text,
        cause_extract      bigint,
        gross_pence        bigint      NOT NULL,
        contribution_pence bigint      NOT NULL,
        payable_pence      bigint      NOT NULL,
        state              text        NOT NULL CHECK (state IN ('HELD', 'RELEASED', 'CANCELLED')),
        hold_reasons       text[]      NOT NULL DEFAULT '{}',
        basis_hash         char(64)    NOT NULL,
        released_run_id    text        REFERENCES payment_run (run_id),
        credit_id          bigint,
        decided_by         text,
        decided_at         timestamptz,
        facts              jsonb       NOT NULL,
        CHECK (kind <> 'ONE_OFF' OR one_off_id IS NOT NULL),
        CHECK (kind <> 'ADJUSTMENT' OR cause_extract IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX payment_line_regular_once ON payment_line (council, dp_id, period_start) WHERE kind = 'REGULAR'`);
    await q.query(`CREATE UNIQUE INDEX payment_line_one_off_once ON payment_line (council, dp_id, one_off_id) WHERE kind = 'ONE_OFF'`);
    await q.query(`CREATE UNIQUE INDEX payment_line_adjustment_once ON payment_line (council, dp_id, period_start, cause_extract) WHERE kind = 'ADJUSTMENT'`);
    await q.query(`CREATE INDEX payment_line_held ON payment_line (council, state) WHERE state = 'HELD'`);
    await q.query(`CREATE INDEX payment_line_by_run ON payment_line (released_run_id)`);
    await q.query(`
      CREATE TABLE credit (
        id             bigserial PRIMARY KEY,
        council        text      NOT NULL,
        run_id         text      NOT NULL REFERENCES payment_run (run_id),
        payee_id       text      NOT NULL,
        channel        text      NOT NULL CHECK (channel IN ('BANK', 'CARD')),
        vendor_no      text      NOT NULL,
        sort_code      text      NOT NULL,
        account_number text      NOT NULL,
        account_name   text      NOT NULL,
        bank_hash      text,
        card_provider  text,
        card_account_ref text,
        payment_ref    text      NOT NULL CHECK (payment_ref ~ '^[A-Z0-9.&/ -]{1,18}$'),
        end_to_end_id  text      NOT NULL CHECK (length(end_to_end_id) <= 35),
        amount_pence   bigint    NOT NULL CHECK (amount_pence > 0),
        UNIQUE (council, payment_ref),
        UNIQUE (end_to_end_id),
        UNIQUE (run_id, payee_id)
      )`);
    await q.query(`ALTER TABLE payment_line ADD FOREIGN KEY (credit_id) REFERENCES credit (id)`);
    await q.query(`
      CREATE TABLE credit_offset (
        credit_id    bigint NOT NULL REFERENCES credit (id),
        dp_id        text   NOT NULL,
        period_start date   NOT NULL,
        period_end   date   NOT NULL,
        cost_centre  text   NOT NULL,
        gl_account   text   NOT NULL,
        amount_pence bigint NOT NULL CHECK (amount_pence < 0),
        PRIMARY KEY (credit_id, dp_id)
      )`);
    await q.query(`
      CREATE TABLE calc_basis (
        basis_hash char(64) PRIMARY KEY,
        council    text     NOT NULL,
        dp_id      text     NOT NULL,
        calc       jsonb    NOT NULL
      )`);
    await q.query(`
      CREATE TABLE dp_checked_basis (
        council    text     NOT NULL,
        dp_id      text     NOT NULL,
        basis_hash char(64) NOT NULL,
        PRIMARY KEY (council, dp_id)
      )`);
    await q.query(`ALTER TABLE payee ADD COLUMN bacs_return_blocked boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE payment_ref_counter (
        council text   PRIMARY KEY,
        next    bigint NOT NULL
      )`);
    await q.query(`
      CREATE TABLE payee_carry (
        council      text   NOT NULL,
        payee_id     text   NOT NULL,
        dp_id        text   NOT NULL,
        amount_pence bigint NOT NULL CHECK (amount_pence <= 0),
        PRIMARY KEY (council, payee_id, dp_id)
      )`);
    await q.query(`
      CREATE TABLE recovery_proposal (
        id            bigserial   PRIMARY KEY,
        council       text        NOT NULL,
        dp_id         text        NOT NULL,
        reason        text        NOT NULL CHECK (reason IN ('SURPLUS', 'MISUSE', 'TERMINATION', 'DEATH', 'PAYMENT_AFTER_DEATH', 'OVERPAYMENT')),
        period_start  date,
        period_end    date,
        amount_pence  bigint      NOT NULL CHECK (amount_pence > 0),
        state         text        NOT NULL DEFAULT 'PROPOSED' CHECK (state IN ('OPEN', 'PROPOSED', 'APPROVED', 'REJECTED', 'CLOSED')),
        run_id        text        REFERENCES payment_run (run_id),
        cause_extract bigint,
        evidence      jsonb       NOT NULL DEFAULT '{}',
        created_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (council, dp_id, reason, period_start, cause_extract)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['recovery_proposal', 'payee_carry', 'payment_ref_counter', 'calc_basis', 'dp_checked_basis']) await q.query(`DROP TABLE ${t}`);
    await q.query(`DROP TABLE credit_offset`);
    await q.query(`ALTER TABLE payee DROP COLUMN bacs_return_blocked`);
    await q.query(`ALTER TABLE payment_line DROP COLUMN credit_id`);
    for (const t of ['credit', 'payment_line', 'payment_run']) await q.query(`DROP TABLE ${t}`);
  }
}
