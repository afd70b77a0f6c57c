import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bank statements, card transactions, integrity findings and Bacs returns
 * (docs/formats/statements.md "Storage"). One true ledger per account:
 * - a bank statement is stored once per file position; a statement whose content repeats one
 *   already stored is kept as DUPLICATE without entries, one that breaks continuity is HELD
 *   (entries stored, not posted) with an OPEN `integrity_finding`; `seq_epoch` counts sequence
 *   restarts (yearly MT940 numbering) so sequence 1 of a new year is not a duplicate of last year's;
 * - a card transaction is one row per (council, provider, txn_id); later statuses update it and
 *   its versions are kept in `card_txn_event` once it has more than one (a txn seen once has no
 *   event rows: `card_txn` is its history). The card tables' file ids carry no foreign keys: the
 *   per-row FK triggers cost 40% of a 1,000,000-row import, and the importer only ever writes the
 *   id of the ledger row of its own transaction; their keys use the "C" collation (byte order:
 *   ids are codes, not words; index and sort work on 1,000,000 rows is several times cheaper);
 * - `bank_ledger_entry` is what reconciliation reads: booked-or-not entries of POSTED statements.
 * Money is integer minor units (bigint). Counterparty and merchant names stay in these tables only.
 */
export class Statements1763900003000 implements MigrationInterface {
  name = 'Statements1763900003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bank_statement (
        id              bigserial   PRIMARY KEY,
        council         text        NOT NULL,
        inbound_file_id bigint      NOT NULL REFERENCES inbound_file (id),
        file_index      integer     NOT NULL CHECK (file_index >= 0),
        format          text        NOT NULL,
        kind            text        NOT NULL CHECK (kind IN ('STATEMENT', 'NOTIFICATION')),
        account         text        NOT NULL,
        currency        char(3)     NOT NULL,
        sequence        text,
        seq_no          bigint,
        seq_page        bigint,
        seq_epoch       integer     NOT NULL DEFAULT 0,
        opening_minor   bigint,
        closing_minor   bigint,
        entry_count     integer     NOT NULL,
        booked_total_minor bigint   NOT NULL,
        first_booking_date date,
        last_booking_date  date,
        content_hash    char(64)    NOT NULL,
        state           text        NOT NULL CHECK (state IN ('POSTED', 'HELD', 'DUPLICATE')),
        duplicate_of    bigint      REFERENCES bank_statement (id),
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (inbound_file_id, file_index)
      )`);
    await q.query(`CREATE INDEX bank_statement_by_account ON bank_statement (council, account, id)`);
    await q.query(`CREATE INDEX bank_statement_by_seq ON bank_statement (council, account, seq_epoch, seq_no, seq_page)`);
    await q.query(`
      CREATE TABLE bank_entry (
        id              bigserial PRIMARY KEY,
        statement_id    bigint    NOT NULL REFERENCES bank_statement (id),
        council         text      NOT NULL,
        line_no         integer   NOT NULL CHECK (line_no >= 1),
        amount_minor    bigint    NOT NULL,
        booking_date    date,
        value_date      date,
        status          text      NOT NULL CHECK (status IN ('BOOKED', 'PENDING', 'DECLINED', 'REVERSED')),
        reversal        boolean   NOT NULL,
        reference       text,
        end_to_end_id   text,
        bank_tx_code    text,
        return_reason   text,
        entry_ref       text,
        counterparty    text,
        extra           jsonb     NOT NULL DEFAULT '{}',
        UNIQUE (statement_id, line_no)
      )`);
    await q.query(`CREATE INDEX bank_entry_by_e2e ON bank_entry (council, end_to_end_id) WHERE end_to_end_id IS NOT NULL`);
    await q.query(`CREATE INDEX bank_entry_by_reference ON bank_entry (council, reference) WHERE reference IS NOT NULL`);
    await q.query(`
      CREATE VIEW bank_ledger_entry AS
        SELECT e.*, s.account, s.currency, s.inbound_file_id, s.format
          FROM bank_entry e JOIN bank_statement s ON s.id = e.statement_id
         WHERE s.state = 'POSTED' AND s.kind = 'STATEMENT'`);
    await q.query(`
      CREATE TABLE card_txn (
        council         text COLLATE "C" NOT NULL,
        provider        text COLLATE "C" NOT NULL,
        txn_id          text COLLATE "C" NOT NULL,
        account_ref     text COLLATE "C" NOT NULL,
        posted_at       timestamptz NOT NULL,
        posting_date    date        NOT NULL,
        type            text        NOT NULL CHECK (type IN ('LOAD', 'POS', 'ATM', 'TRANSFER_OUT', 'TRANSFER_IN', 'FEE', 'REFUND', 'UNLOAD')),
        status          text        NOT NULL CHECK (status IN ('SETTLED', 'PENDING', 'REVERSED', 'DECLINED')),
        amount_minor    bigint      NOT NULL,
        currency        char(3)     NOT NULL DEFAULT 'GBP',
        mcc             text CHECK (mcc ~ '^[0-9]{4}$'),
        merchant        text,
        reference       text,
        balance_minor   bigint,
        first_file_id   bigint      NOT NULL,
        last_file_id    bigint      NOT NULL,
        last_file_date  date        NOT NULL,
        last_row        integer     NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT card_txn_once PRIMARY KEY (council, provider, txn_id)
      )`);
    await q.query(`CREATE INDEX card_txn_by_account ON card_txn (council, account_ref, posting_date)`);
    await q.query(`
      CREATE TABLE card_txn_event (
        id              bigserial   PRIMARY KEY,
        council         text COLLATE "C" NOT NULL,
        provider        text COLLATE "C" NOT NULL,
        txn_id          text COLLATE "C" NOT NULL,
        inbound_file_id bigint      NOT NULL,
        row_no          integer     NOT NULL,
        status          text        NOT NULL,
        amount_minor    bigint      NOT NULL,
        balance_minor   bigint,
        posted_at       timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX card_txn_event_by_txn ON card_txn_event (council, provider, txn_id, id)`);
    await q.query(`
      CREATE TABLE integrity_finding (
        id              bigserial   PRIMARY KEY,
        council         text        NOT NULL,
        source          text        NOT NULL CHECK (source IN ('bank', 'card')),
        inbound_file_id bigint      NOT NULL REFERENCES inbound_file (id),
        statement_id    bigint      REFERENCES bank_statement (id),
        account         text,
        code            text        NOT NULL,
        blocking        boolean     NOT NULL,
        detail          jsonb       NOT NULL DEFAULT '{}',
        state           text        NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'ACCEPTED', 'RESOLVED')),
        resolved_by     text,
        resolved_at     timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX integrity_finding_open ON integrity_finding (council, state) WHERE state = 'OPEN'`);
    await q.query(`CREATE INDEX integrity_finding_by_statement ON integrity_finding (statement_id)`);
    await q.query(`
      CREATE TABLE bacs_return (
        id              bigserial   PRIMARY KEY,
        council         text        NOT NULL,
        source          text        NOT NULL CHECK (source IN ('STATEMENT', 'ARUCS')),
        item_key        text        NOT NULL,
        inbound_file_id bigint      NOT NULL REFERENCES inbound_file (id),
        bank_entry_id   bigint      REFERENCES bank_entry (id),
        line_no         integer     NOT NULL,
        reference       text,
        end_to_end_id   text,
        amount_minor    bigint      NOT NULL CHECK (amount_minor > 0),
        reason_code     text,
        deceased        boolean     NOT NULL DEFAULT false,
        return_date     date,
        state           text        NOT NULL DEFAULT 'UNMATCHED' CHECK (state IN ('UNMATCHED', 'MATCHED')),
        credit_id       bigint      REFERENCES credit (id),
        payee_id        text,
        matched_by      text        CHECK (matched_by IN ('END_TO_END_ID', 'PAYMENT_REF')),
        amount_agrees   boolean,
        matched_at      timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (council, source, item_key)
      )`);
    await q.query(`CREATE INDEX bacs_return_unmatched ON bacs_return (council) WHERE state = 'UNMATCHED'`);
    await q.query(`CREATE INDEX bacs_return_by_credit ON bacs_return (credit_id)`);
    await q.query(`
      CREATE TABLE return_alert (
        id              bigserial   PRIMARY KEY,
        council         text        NOT NULL,
        bacs_return_id  bigint      NOT NULL REFERENCES bacs_return (id),
        payee_id        text        NOT NULL,
        kind            text        NOT NULL CHECK (kind IN ('DEATH_WORKFLOW')),
        state           text        NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'ACTIONED')),
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    // One open death-workflow alert per payee, however many advices (camt ARET, ARUCS) report it.
    await q.query(`CREATE UNIQUE INDEX return_alert_open_once ON return_alert (council, payee_id, kind) WHERE state = 'OPEN'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE return_alert`);
    await q.query(`DROP TABLE bacs_return`);
    await q.query(`DROP TABLE integrity_finding`);
    await q.query(`DROP TABLE card_txn_event`);
    await q.query(`DROP TABLE card_txn`);
    await q.query(`DROP VIEW bank_ledger_entry`);
    await q.query(`DROP TABLE bank_entry`);
    await q.query(`DROP TABLE bank_statement`);
  }
}
