import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Officer cases (docs/officers.md "Cases"): every finding of reconciliation and the DP account
 * audit (a surplus, an unconfirmed payment, a returned payment, a death...) is a case that an
 * officer proposes and a second officer approves or rejects.
 *
 * - officer_case: one row per case; `status` moves OPEN -> PROPOSED -> APPROVED | REJECTED, and
 *   any case may be CLOSED. `proposed_by` is kept for the four-eyes rule (approver != proposer).
 * - officer_case_key: every finding that fed a case, by its dedup key. The primary key makes a
 *   finding open at most one case, ever: a re-run finds its key and opens nothing.
 * - officer_case_evidence: the records behind a case (type + id), each at most once.
 * - officer_case_event: the case's history, inserted only: who (an officer, or `system:<stage>`),
 *   what, when, status before and after, amount; refused officer requests included.
 * No personal data: ids, codes, amounts and officers' names only.
 */
export class OfficerCases1763900013000 implements MigrationInterface {
  name = 'OfficerCases1763900013000';

  async up(q: QueryRunner): Promise<void> {
    const kinds = `'SURPLUS', 'CONTRIBUTION_REFUND', 'MISSED_CONTRIBUTIONS', 'SPEND_FLAG', 'SAFEGUARDING', 'REVIEW_OVERDUE',
      'PAYMENT_UNCONFIRMED', 'UNEXPECTED_CREDIT', 'RETURNED_PAYMENT', 'DEATH', 'OVERPAYMENT'`;
    const statuses = `'OPEN', 'PROPOSED', 'APPROVED', 'REJECTED', 'CLOSED'`;
    await q.query(`
      CREATE TABLE officer_case (
        id           bigserial   PRIMARY KEY,
        council      text        NOT NULL,
        dp_id        text,
        kind         text        NOT NULL CHECK (kind IN (${kinds})),
        status       text        NOT NULL DEFAULT 'OPEN' CHECK (status IN (${statuses})),
        amount_pence bigint,
        opened_on    date        NOT NULL,
        updated_on   date        NOT NULL,
        escalated    boolean     NOT NULL DEFAULT false,
        source       text        NOT NULL,
        detail       jsonb       NOT NULL DEFAULT '{}',
        proposed_by  text,
        proposed_at  timestamptz,
        decided_by   text,
        decided_at   timestamptz,
        closed_by    text,
        closed_at    timestamptz,
        CHECK (status <> 'PROPOSED' OR proposed_by IS NOT NULL),
        CHECK (status NOT IN ('APPROVED', 'REJECTED') OR (decided_by IS NOT NULL AND lower(decided_by) <> lower(proposed_by)))
      )`);
    await q.query(`CREATE INDEX officer_case_council_status ON officer_case (council, status, kind)`);
    await q.query(`CREATE INDEX officer_case_dp ON officer_case (council, dp_id, kind) WHERE dp_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE officer_case_key (
        council   text   NOT NULL,
        kind      text   NOT NULL,
        dedup_key text   NOT NULL,
        case_id   bigint NOT NULL REFERENCES officer_case (id),
        PRIMARY KEY (council, kind, dedup_key)
      )`);
    await q.query(`CREATE INDEX officer_case_key_case ON officer_case_key (case_id)`);
    await q.query(`
      CREATE TABLE officer_case_evidence (
        case_id  bigint NOT NULL REFERENCES officer_case (id),
        type     text   NOT NULL,
        ref      text   NOT NULL,
        seq      bigserial,
        PRIMARY KEY (case_id, type, ref)
      )`);
    await q.query(`
      CREATE TABLE officer_case_event (
        id            bigserial   PRIMARY KEY,
        case_id       bigint      NOT NULL REFERENCES officer_case (id),
        actor         text        NOT NULL,
        action        text        NOT NULL CHECK (action IN ('OPEN', 'UPDATE', 'ESCALATE', 'PROPOSE', 'APPROVE', 'REJECT', 'CLOSE')),
        outcome       text        NOT NULL CHECK (outcome IN ('DONE', 'ALREADY_DONE', 'REFUSED')),
        status_before text,
        status_after  text,
        amount_pence  bigint,
        reason        text,
        detail        jsonb       NOT NULL DEFAULT '{}',
        at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX officer_case_event_case ON officer_case_event (case_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE officer_case_event`);
    await q.query(`DROP TABLE officer_case_evidence`);
    await q.query(`DROP TABLE officer_case_key`);
    await q.query(`DROP TABLE officer_case`);
  }
}
