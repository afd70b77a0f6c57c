import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoices to finance (health reclaims, recoveries, contributions) and their lines. "No invoice
 * twice" is enforced here: one HEALTH_RECLAIM invoice per (council, customer, period, adjustments
 * only or not), one RECOVERY invoice per case, one CONTRIBUTION invoice per (DP, period). Invoice
 * ids derive from council, kind, customer and period, never from the clock.
 * An issued invoice is never rewritten: a later change is an adjustment line on a later invoice,
 * carrying the month it adjusts (invoice_line.month).
 * reclaim_month records the months whose reclaim was raised (arrears timing); reclaim_held the
 * DP-months held from the reclaim as of the latest night (replaced each night).
 */
export class Invoices1763900015000 implements MigrationInterface {
  name = 'Invoices1763900015000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE invoice (
        id               text    PRIMARY KEY,
        council          text    NOT NULL,
        kind             text    NOT NULL CHECK (kind IN ('HEALTH_RECLAIM', 'RECOVERY', 'CONTRIBUTION')),
        customer         text    NOT NULL,
        period_from      date    NOT NULL,
        period_to        date    NOT NULL,
        adjustments_only boolean NOT NULL DEFAULT false,
        case_id          text,
        dp_id            text,
        reason           text,
        raised_on        date    NOT NULL,
        total_pence      bigint  NOT NULL,
        state            text    NOT NULL DEFAULT 'RAISED' CHECK (state IN ('RAISED', 'DELIVERED')),
        paid_pence       bigint  NOT NULL DEFAULT 0,
        settlement       text    NOT NULL DEFAULT 'OUTSTANDING' CHECK (settlement IN ('OUTSTANDING', 'PART_PAID', 'PAID')),
        CHECK (kind <> 'RECOVERY' OR case_id IS NOT NULL),
        CHECK (kind <> 'CONTRIBUTION' OR dp_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX invoice_once_health ON invoice (council, customer, period_from, period_to, adjustments_only) WHERE kind = 'HEALTH_RECLAIM'`);
    await q.query(`CREATE UNIQUE INDEX invoice_once_recovery ON invoice (council, case_id) WHERE kind = 'RECOVERY'`);
    await q.query(`CREATE UNIQUE INDEX invoice_once_contribution ON invoice (council, dp_id, period_from, period_to) WHERE kind = 'CONTRIBUTION'`);
    await q.query(`CREATE INDEX invoice_by_night ON invoice (council, raised_on)`);
    await q.query(`
      CREATE TABLE invoice_line (
        invoice_id   text    NOT NULL REFERENCES invoice (id),
        line_no      integer NOT NULL,
        dp_id        text    NOT NULL,
        person_id    text    NOT NULL,
        nhs_number   text,
        month        char(7) NOT NULL,
        line_from    date    NOT NULL,
        line_to      date    NOT NULL,
        cost_pence   bigint  NOT NULL,
        health_bp    integer NOT NULL CHECK (health_bp BETWEEN 0 AND 10000),
        amount_pence bigint  NOT NULL,
        adjustment   boolean NOT NULL,
        PRIMARY KEY (invoice_id, line_no)
      )`);
    await q.query(`CREATE INDEX invoice_line_by_dp ON invoice_line (dp_id, month)`);
    await q.query(`
      CREATE TABLE reclaim_month (
        council   text    NOT NULL,
        month     char(7) NOT NULL,
        raised_on date    NOT NULL,
        PRIMARY KEY (council, month)
      )`);
    await q.query(`
      CREATE TABLE reclaim_held (
        council text    NOT NULL,
        dp_id   text    NOT NULL,
        month   char(7) NOT NULL,
        reason  text    NOT NULL CHECK (reason IN ('NO_SPLIT', 'NHS_INVALID')),
        days    integer NOT NULL,
        PRIMARY KEY (council, dp_id, month)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['reclaim_held', 'reclaim_month', 'invoice_line', 'invoice']) await q.query(`DROP TABLE ${t}`);
  }
}
