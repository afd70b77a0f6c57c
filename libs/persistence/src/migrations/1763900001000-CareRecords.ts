import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Care records: the current state of every person, payee and DP, plus a version row for every
 * change (what changed, from which extract), so a period already paid can be recomputed.
 * extract_ref columns name the care_extract row written in the same transaction by the importer;
 * they carry no foreign key because checking one per row costs seconds on a 200,000-DP extract.
 * A DP's effective-dated terms (rates, contributions, suspensions, one-offs, splits) are one JSONB
 * document with amounts as integer pence strings: they are always read and written together.
 */
export class CareRecords1763900001000 implements MigrationInterface {
  name = 'CareRecords1763900001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE care_extract (
        id              bigserial PRIMARY KEY,
        council         text        NOT NULL,
        extract_id      text        NOT NULL,
        kind            text        NOT NULL CHECK (kind IN ('FULL', 'DELTA')),
        generated_at    timestamptz NOT NULL,
        extract_date    date        NOT NULL,
        inbound_file_id bigint      NOT NULL REFERENCES inbound_file (id),
        persons         integer     NOT NULL,
        payees          integer     NOT NULL,
        direct_payments integer     NOT NULL,
        applied_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (council, extract_id)
      )`);
    await q.query(`CREATE INDEX care_extract_order ON care_extract (council, generated_at)`);
    await q.query(`
      CREATE TABLE person (
        council        text    NOT NULL,
        person_id      text    NOT NULL,
        nhs_number     text,
        nhs_valid      boolean NOT NULL,
        restricted     boolean NOT NULL,
        date_of_birth  date,
        date_of_death  date,
        title          text,
        first_name     text,
        last_name      text,
        address_line1  text,
        town           text,
        postcode       text,
        version        integer NOT NULL,
        extract_ref    bigint  NOT NULL, -- care_extract.id
        PRIMARY KEY (council, person_id)
      )`);
    await q.query(`
      CREATE TABLE payee (
        council          text    NOT NULL,
        payee_id         text    NOT NULL,
        vendor_no        text,
        account_type     text    NOT NULL CHECK (account_type IN ('BANK', 'CARD', 'MANAGED')),
        sort_code        text,
        account_number   text,
        account_name     text,
        modulus_valid    boolean,
        card_provider    text,
        card_account_ref text,
        bank_hash        text,
        bank_changed_ref bigint REFERENCES care_extract (id),
        version          integer NOT NULL,
        extract_ref      bigint  NOT NULL, -- care_extract.id
        PRIMARY KEY (council, payee_id)
      )`);
    await q.query(`
      CREATE TABLE direct_payment (
        council           text    NOT NULL,
        dp_id             text    NOT NULL,
        person_id         text    NOT NULL,
        payee_id          text    NOT NULL,
        recipient_role    text    NOT NULL,
        frequency         text    NOT NULL CHECK (frequency IN ('WEEKLY', 'FORTNIGHTLY', 'FOUR_WEEKLY', 'MONTHLY')),
        basis             text    NOT NULL CHECK (basis IN ('NET', 'GROSS')),
        funding_stream    text    NOT NULL CHECK (funding_stream IN ('LA', 'S117', 'JOINT')),
        cost_centre       text    NOT NULL,
        gl_account        text    NOT NULL,
        start_date        date    NOT NULL,
        end_date          date,
        last_review_date  date,
        cash_allowed      boolean NOT NULL,
        terms             jsonb   NOT NULL,
        content_hash      char(64) NOT NULL,
        missing_from_full boolean NOT NULL DEFAULT false,
        version           integer NOT NULL,
        extract_ref       bigint  NOT NULL, -- care_extract.id
        PRIMARY KEY (council, dp_id),
        FOREIGN KEY (council, person_id) REFERENCES person (council, person_id),
        FOREIGN KEY (council, payee_id) REFERENCES payee (council, payee_id)
      )`);
    await q.query(`
      CREATE TABLE care_version (
        council     text    NOT NULL,
        kind        text    NOT NULL CHECK (kind IN ('PERSON', 'PAYEE', 'DP')),
        record_id   text    NOT NULL,
        version     integer NOT NULL,
        extract_ref bigint  NOT NULL, -- care_extract.id
        changed     text[]  NOT NULL,
        content     jsonb   NOT NULL,
        PRIMARY KEY (council, kind, record_id, version)
      )`);
    await q.query(`CREATE INDEX care_version_by_extract ON care_version (extract_ref)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['care_version', 'direct_payment', 'payee', 'person', 'care_extract']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
