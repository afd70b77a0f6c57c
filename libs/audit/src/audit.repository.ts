/**
 * Every SQL statement of the DP account audit: loading the inputs of a chunk of DPs (care
 * records, card ledger, bank statements, payment lines, liabilities, the last audit), storing
 * audits and reading them back. Rows are typed; amounts arrive from pg as strings and become
 * bigint here. Merchant and counterparty names are read for the allow-list check and the audit
 * pack only: they never leave this lib except into the pack.
 */
import type { EntityManager } from 'typeorm';
import type { CivilDate } from '@dpb/common';
import type { AuditDp, AuditFigures, ContributionLine, LedgerItem, LedgerStatus, SpendFlag, CardItemType } from './rules';
import type { Basis, FundingStream } from '@dpb/care-records/model';
import { contributionFromJson, rateFromJson, type TermsJson } from '@dpb/care-records/terms-json';

export type AccountKind = 'CARD' | 'BANK' | 'MANAGED';

interface DpRow {
  dp_id: string;
  basis: Basis;
  funding_stream: FundingStream;
  start_date: string;
  last_review_date: string | null;
  cash_allowed: boolean;
  /** direct_payment.terms: the audit reads its rates and contributions. */
  terms: Pick<TermsJson, 'rates' | 'contributions'>;
  dp_version: number;
  payee_version: number;
  account_type: AccountKind;
  card_provider: string | null;
  card_account_ref: string | null;
  sort_code: string | null;
  account_number: string | null;
}

interface LastAuditRow {
  dp_id: string;
  window_to: string;
  contributions_from: string;
  missed_streak: number;
}

interface ItemRow {
  dp_id: string;
  id: string;
  date: string;
  type: CardItemType | null;
  status: LedgerStatus | 'BOOKED';
  amount: string;
  mcc: string | null;
  merchant: string | null;
  reference: string | null;
  from_council: boolean;
}

interface LineRow {
  dp_id: string;
  kind: 'REGULAR' | 'ADJUSTMENT';
  period_start: string;
  contribution: string;
  released_on: string | null;
}

/** Everything the rules need for one DP, as loaded. */
export interface LoadedAccount {
  dp: AuditDp;
  accountKind: AccountKind;
  dpVersion: number;
  payeeVersion: number;
  lastAudit: { windowTo: CivilDate; contributionsFrom: CivilDate; missedStreak: number } | null;
  items: LedgerItem[];
  /** Bank or managed account: the latest closing balance at `asOf`; null for cards. */
  statementBalancePence: bigint | null;
  /** False when no ledger is held for the account (no card items, no posted statement): not audited. */
  hasLedger: boolean;
  lines: ContributionLine[];
  liabilitiesPence: bigint;
}

const BANK_DIGITS = `regexp_replace(s.account, '[^0-9]', '', 'g')`;

/** The DPs of a council (one, when `dpId` is given) that started on or before `asOf`, in id order. */
export async function listDpIds(m: EntityManager, council: string, asOf: CivilDate, dpId?: string): Promise<string[]> {
  const rows: { dp_id: string }[] = await m.query(
    `SELECT dp_id FROM direct_payment WHERE council = $1 AND start_date <= $2 AND ($3::text IS NULL OR dp_id = $3) ORDER BY dp_id COLLATE "C"`,
    [council, asOf, dpId ?? null],
  );
  return rows.map((r) => r.dp_id);
}

/**
 * The DPs the night should audit: never audited (and with a ledger held), or last audited before `nightDate` and changed
 * since (DP or payee version, a card item or statement of its account, a line in a run created
 * since or paid by one, a liability). Set-based: each source is read once per council (recent
 * statements and runs only), card items through their account index. Ids only, in id order.
 */
export async function listDpIdsToAudit(m: EntityManager, council: string, nightDate: CivilDate): Promise<string[]> {
  const rows: { dp_id: string }[] = await m.query(
    `WITH last AS (
       SELECT DISTINCT ON (dp_id) dp_id, window_to, dp_version, payee_version, created_at
         FROM dp_audit WHERE council = $1 ORDER BY dp_id, window_to DESC),
     dps AS (
       SELECT d.dp_id, d.version, p.version AS pv, p.card_account_ref, p.sort_code, p.account_number,
              a.dp_id AS audited, a.window_to, a.dp_version, a.payee_version, a.created_at
         FROM direct_payment d JOIN payee p ON p.council = d.council AND p.payee_id = d.payee_id
         LEFT JOIN last a ON a.dp_id = d.dp_id
        WHERE d.council = $1 AND d.start_date <= $2),
     since AS (SELECT coalesce(min(created_at), '-infinity'::timestamptz) AS t FROM last),
     due AS (SELECT * FROM dps WHERE audited IS NOT NULL AND window_to < $2),
     recent_statements AS (
       SELECT ${BANK_DIGITS} AS digits, s.created_at FROM bank_statement s, since WHERE s.council = $1 AND s.created_at > since.t),
     recent_runs AS (SELECT r.run_id, r.created_at FROM payment_run r, since WHERE r.council = $1 AND r.created_at > since.t),
     statement_keys AS (
       SELECT DISTINCT ${BANK_DIGITS} AS digits FROM bank_statement s WHERE s.council = $1 AND s.state = 'POSTED' AND s.kind = 'STATEMENT')
     SELECT x.dp_id FROM dps x WHERE x.audited IS NULL
        AND (EXISTS (SELECT 1 FROM card_txn t WHERE t.council = $1 AND t.account_ref = x.card_account_ref)
          OR EXISTS (SELECT 1 FROM statement_keys k WHERE right(k.digits, 14) = x.sort_code || x.account_number OR k.digits = x.account_number))
     UNION SELECT dp_id FROM due WHERE dp_version <> version OR payee_version <> pv
     UNION SELECT x.dp_id FROM due x
            WHERE x.card_account_ref IS NOT NULL
              AND EXISTS (SELECT 1 FROM card_txn t WHERE t.council = $1 AND t.account_ref = x.card_account_ref AND t.updated_at > x.created_at)
     UNION SELECT x.dp_id FROM due x JOIN recent_statements s ON right(s.digits, 14) = x.sort_code || x.account_number AND s.created_at > x.created_at
     UNION SELECT x.dp_id FROM due x JOIN recent_statements s ON s.digits = x.account_number AND s.created_at > x.created_at
     UNION SELECT x.dp_id FROM recent_runs r JOIN payment_line l ON l.run_id = r.run_id JOIN due x ON x.dp_id = l.dp_id
            WHERE l.council = $1 AND r.created_at > x.created_at
     UNION SELECT x.dp_id FROM recent_runs r JOIN payment_line l ON l.released_run_id = r.run_id JOIN due x ON x.dp_id = l.dp_id
            WHERE l.council = $1 AND r.created_at > x.created_at
     UNION SELECT x.dp_id FROM dp_liability y JOIN due x ON x.dp_id = y.dp_id
            WHERE y.council = $1 AND greatest(y.recorded_at, y.removed_at) > x.created_at
     ORDER BY 1`,
    [council, nightDate],
  );
  return rows.map((r) => r.dp_id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function toItem(r: ItemRow, source: 'card' | 'bank'): LedgerItem {
  return {
    id: r.id,
    source,
    date: r.date,
    type: r.type,
    status: r.status === 'BOOKED' ? 'SETTLED' : r.status,
    amountPence: BigInt(r.amount),
    mcc: r.mcc,
    merchant: r.merchant,
    reference: r.reference,
    fromCouncil: r.from_council,
  };
}

function group<T extends { dp_id: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.dp_id);
    if (list) list.push(r);
    else out.set(r.dp_id, [r]);
  }
  return out;
}

/**
 * Loads the audit inputs of `dpIds` as they stood at `asOf`: ledger items posted on or before
 * it, lines and liabilities, and the last audit whose window ended before it.
 */
export async function loadAccounts(m: EntityManager, council: string, dpIds: readonly string[], asOf: CivilDate): Promise<LoadedAccount[]> {
  if (dpIds.length === 0) return [];
  const dps: DpRow[] = await m.query(
    `SELECT d.dp_id, d.basis, d.funding_stream, d.start_date::text, d.last_review_date::text, d.cash_allowed, d.terms,
            d.version AS dp_version, p.version AS payee_version, p.account_type, p.card_provider, p.card_account_ref, p.sort_code, p.account_number
       FROM direct_payment d JOIN payee p ON p.council = d.council AND p.payee_id = d.payee_id
      WHERE d.council = $1 AND d.dp_id = ANY($2::text[])
      ORDER BY d.dp_id COLLATE "C"`,
    [council, dpIds],
  );
  const cardDps = dps.filter((d) => d.account_type === 'CARD' && d.card_account_ref);
  const bankDps = dps.filter((d) => d.account_type !== 'CARD' && d.account_number);

  const cardRows: ItemRow[] = cardDps.length
    ? await m.query(
        `SELECT a.dp_id, t.txn_id AS id, t.posting_date::text AS date, t.type, t.status, t.amount_minor::text AS amount, t.mcc, t.merchant, t.reference, false AS from_council
           FROM unnest($2::text[], $3::text[], $4::text[]) AS a(dp_id, provider, account_ref)
           JOIN card_txn t ON t.council = $1 AND t.account_ref = a.account_ref AND upper(t.provider) = upper(a.provider)
          WHERE t.posting_date <= $5
          ORDER BY t.posting_date, t.posted_at, t.txn_id`,
        [council, cardDps.map((d) => d.dp_id), cardDps.map((d) => d.card_provider ?? ''), cardDps.map((d) => d.card_account_ref), asOf],
      )
    : [];

  const bankArgs = [council, bankDps.map((d) => d.dp_id), bankDps.map((d) => `${d.sort_code ?? ''}${d.account_number}`), bankDps.map((d) => d.account_number), asOf];
  const bankMatch = `FROM unnest($2::text[], $3::text[], $4::text[]) AS a(dp_id, key14, acct)
           JOIN bank_statement s ON s.council = $1 AND s.state = 'POSTED' AND s.kind = 'STATEMENT'
                                AND (right(${BANK_DIGITS}, 14) = a.key14 OR ${BANK_DIGITS} = a.acct)`;
  const bankRows: ItemRow[] = bankDps.length
    ? await m.query(
        `SELECT a.dp_id, e.id::text AS id, coalesce(e.booking_date, e.value_date)::text AS date, NULL AS type, e.status,
                e.amount_minor::text AS amount, NULL AS mcc, e.counterparty AS merchant, e.reference,
                EXISTS (SELECT 1 FROM credit c WHERE c.council = $1 AND (c.end_to_end_id = e.end_to_end_id OR c.payment_ref = e.reference)) AS from_council
           ${bankMatch}
           JOIN bank_entry e ON e.statement_id = s.id
          WHERE coalesce(e.booking_date, e.value_date) <= $5
          ORDER BY date, e.id`,
        bankArgs,
      )
    : [];
  const closings: { dp_id: string; closing: string }[] = bankDps.length
    ? await m.query(
        `SELECT DISTINCT ON (a.dp_id) a.dp_id, s.closing_minor::text AS closing
           ${bankMatch}
          WHERE s.closing_minor IS NOT NULL AND coalesce(s.last_booking_date, s.first_booking_date) <= $5
          ORDER BY a.dp_id, s.last_booking_date DESC NULLS LAST, s.id DESC`,
        bankArgs,
      )
    : [];

  const lines: LineRow[] = await m.query(
    // One branch per kind, so each uses its (council, dp_id, period_start) partial index.
    ['REGULAR', 'ADJUSTMENT']
      .map(
        (kind) => `SELECT l.dp_id, l.kind, l.period_start::text, l.contribution_pence::text AS contribution,
            CASE WHEN l.state <> 'RELEASED' THEN NULL
                 WHEN l.decided_at IS NOT NULL THEN (l.decided_at AT TIME ZONE 'Europe/London')::date::text
                 ELSE r.run_date::text END AS released_on
       FROM payment_line l JOIN payment_run r ON r.run_id = l.run_id
      WHERE l.council = $1 AND l.dp_id = ANY($2::text[]) AND l.kind = '${kind}'`,
      )
      .join(' UNION ALL '),
    [council, dpIds],
  );
  const liabilities: { dp_id: string; total: string }[] = await m.query(
    `SELECT dp_id, sum(amount_pence)::text AS total FROM dp_liability
      WHERE council = $1 AND dp_id = ANY($2::text[]) AND owed_on <= $3 AND (removed_on IS NULL OR removed_on > $3)
      GROUP BY dp_id`,
    [council, dpIds, asOf],
  );
  const last: LastAuditRow[] = await m.query(
    `SELECT DISTINCT ON (dp_id) dp_id, window_to::text, contributions_from::text, missed_streak
       FROM dp_audit WHERE council = $1 AND dp_id = ANY($2::text[]) AND window_to < $3
      ORDER BY dp_id, window_to DESC`,
    [council, dpIds, asOf],
  );

  const cardBy = group(cardRows);
  const bankBy = group(bankRows);
  const linesBy = group(lines);
  const closingBy = new Map(closings.map((c) => [c.dp_id, BigInt(c.closing)]));
  const liabBy = new Map(liabilities.map((l) => [l.dp_id, BigInt(l.total)]));
  const lastBy = new Map(last.map((l) => [l.dp_id, l]));

  return dps.map((d) => {
    const card = d.account_type === 'CARD';
    const items = card ? (cardBy.get(d.dp_id) ?? []).map((r) => toItem(r, 'card')) : (bankBy.get(d.dp_id) ?? []).map((r) => toItem(r, 'bank'));
    const closing = closingBy.get(d.dp_id);
    const l = lastBy.get(d.dp_id);
    return {
      dp: {
        dpId: d.dp_id,
        basis: d.basis,
        fundingStream: d.funding_stream,
        start: d.start_date,
        lastReviewDate: d.last_review_date,
        cashAllowed: d.cash_allowed,
        rates: d.terms.rates.map(rateFromJson),
        contributions: d.terms.contributions.map(contributionFromJson),
      },
      accountKind: d.account_type,
      dpVersion: d.dp_version,
      payeeVersion: d.payee_version,
      lastAudit: l ? { windowTo: l.window_to, contributionsFrom: l.contributions_from, missedStreak: l.missed_streak } : null,
      items,
      statementBalancePence: card ? null : (closing ?? 0n),
      hasLedger: card ? items.length > 0 : closing !== undefined,
      lines: (linesBy.get(d.dp_id) ?? []).map((r) => ({ kind: r.kind, periodStart: r.period_start, contributionPence: BigInt(r.contribution), releasedOn: r.released_on })),
      liabilitiesPence: liabBy.get(d.dp_id) ?? 0n,
    };
  });
}

/** One audit to store. */
export interface AuditToStore {
  council: string;
  nightDate: CivilDate;
  accountKind: AccountKind;
  dpVersion: number;
  payeeVersion: number;
  figures: AuditFigures;
}

const AUDIT_COLUMNS = `council, dp_id, window_from, window_to, contributions_from, balance_pence, expected_contributions_pence,
  received_contributions_pence, liabilities_pence, contingency_pence, surplus_pence, contribution_refund_pence, council_excess_pence,
  missed_contributions_pence, missed_streak, missed_escalated, flags, contribution_items, review_due, review_overdue, account_kind,
  dp_version, payee_version, night_date`;

const flagJson = (f: SpendFlag) => ({ txnId: f.txnId, kind: f.kind, mcc: f.mcc, amountPence: f.amountPence.toString() });

/** Stores audits; one already stored for a (DP, window end) is kept. Returns the ids of the rows written. */
export async function insertAudits(m: EntityManager, audits: readonly AuditToStore[]): Promise<{ dpId: string; auditId: string }[]> {
  if (audits.length === 0) return [];
  const col = <T>(f: (a: AuditToStore) => T) => audits.map(f);
  const rows: { id: string; dp_id: string }[] = await m.query(
    `INSERT INTO dp_audit (${AUDIT_COLUMNS})
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::date[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[],
                          $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::int[], $16::boolean[], $17::jsonb[],
                          $18::jsonb[], $19::date[], $20::boolean[], $21::text[], $22::int[], $23::int[], $24::date[])
     ON CONFLICT (council, dp_id, window_to) DO NOTHING
     RETURNING id::text, dp_id`,
    [
      col((a) => a.council),
      col((a) => a.figures.dpId),
      col((a) => a.figures.window.from),
      col((a) => a.figures.window.to),
      col((a) => a.figures.contributionsFrom),
      col((a) => a.figures.balancePence.toString()),
      col((a) => a.figures.expectedContributionsPence.toString()),
      col((a) => a.figures.receivedContributionsPence.toString()),
      col((a) => a.figures.liabilitiesPence.toString()),
      col((a) => a.figures.contingencyPence.toString()),
      col((a) => a.figures.surplusPence.toString()),
      col((a) => a.figures.contributionRefundPence.toString()),
      col((a) => a.figures.councilExcessPence.toString()),
      col((a) => a.figures.missedContributionsPence.toString()),
      col((a) => a.figures.missedStreak),
      col((a) => a.figures.missedEscalated),
      col((a) => JSON.stringify(a.figures.flags.map(flagJson))),
      col((a) => JSON.stringify(a.figures.contributionItemIds)),
      col((a) => a.figures.review.due),
      col((a) => a.figures.review.overdue),
      col((a) => a.accountKind),
      col((a) => a.dpVersion),
      col((a) => a.payeeVersion),
      col((a) => a.nightDate),
    ],
  );
  return rows.map((r) => ({ dpId: r.dp_id, auditId: r.id }));
}

interface StoredAuditRow {
  id: string;
  council: string;
  dp_id: string;
  window_from: string;
  window_to: string;
  contributions_from: string;
  balance_pence: string;
  expected_contributions_pence: string;
  received_contributions_pence: string;
  liabilities_pence: string;
  contingency_pence: string;
  surplus_pence: string;
  contribution_refund_pence: string;
  council_excess_pence: string;
  missed_contributions_pence: string;
  missed_streak: number;
  missed_escalated: boolean;
  flags: { txnId: string; kind: SpendFlag['kind']; mcc: string | null; amountPence: string }[];
  contribution_items: string[];
  review_due: string;
  review_overdue: boolean;
  account_kind: AccountKind;
}

export interface StoredAudit {
  id: string;
  council: string;
  accountKind: AccountKind;
  figures: AuditFigures;
}

function fromRow(r: StoredAuditRow): StoredAudit {
  return {
    id: r.id,
    council: r.council,
    accountKind: r.account_kind,
    figures: {
      dpId: r.dp_id,
      window: { from: r.window_from, to: r.window_to },
      contributionsFrom: r.contributions_from,
      balancePence: BigInt(r.balance_pence),
      expectedContributionsPence: BigInt(r.expected_contributions_pence),
      receivedContributionsPence: BigInt(r.received_contributions_pence),
      liabilitiesPence: BigInt(r.liabilities_pence),
      contingencyPence: BigInt(r.contingency_pence),
      surplusPence: BigInt(r.surplus_pence),
      contributionRefundPence: BigInt(r.contribution_refund_pence),
      councilExcessPence: BigInt(r.council_excess_pence),
      missedContributionsPence: BigInt(r.missed_contributions_pence),
      missedStreak: r.missed_streak,
      missedEscalated: r.missed_escalated,
      flags: r.flags.map((f) => ({ txnId: f.txnId, kind: f.kind, mcc: f.mcc, amountPence: BigInt(f.amountPence) })),
      review: { due: r.review_due, overdue: r.review_overdue },
      contributionItemIds: r.contribution_items,
    },
  };
}

const STORED_SELECT = `SELECT id::text, council, dp_id, window_from::text, window_to::text, contributions_from::text, balance_pence::text,
  expected_contributions_pence::text, received_contributions_pence::text, liabilities_pence::text, contingency_pence::text,
  surplus_pence::text, contribution_refund_pence::text, council_excess_pence::text, missed_contributions_pence::text,
  missed_streak, missed_escalated, flags, contribution_items, review_due::text, review_overdue, account_kind FROM dp_audit`;

/** The DP's latest stored audit (optionally the latest whose window ended on or before `to`). */
export async function latestAudit(m: EntityManager, council: string, dpId: string, to?: CivilDate): Promise<StoredAudit | null> {
  const rows: StoredAuditRow[] = await m.query(
    `${STORED_SELECT} WHERE council = $1 AND dp_id = $2 AND ($3::date IS NULL OR window_to <= $3) ORDER BY window_to DESC LIMIT 1`,
    [council, dpId, to ?? null],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Stored audits of a DP whose windows overlap [from, to], oldest first. */
export async function auditsBetween(m: EntityManager, council: string, dpId: string, from: CivilDate, to: CivilDate): Promise<StoredAudit[]> {
  const rows: StoredAuditRow[] = await m.query(
    `${STORED_SELECT} WHERE council = $1 AND dp_id = $2 AND window_to >= $3 AND window_from <= $4 ORDER BY window_to`,
    [council, dpId, from, to],
  );
  return rows.map(fromRow);
}

/** The council that holds a DP (the pack names only the DP). */
export async function councilsOfDp(m: EntityManager, dpId: string): Promise<string[]> {
  const rows: { council: string }[] = await m.query(`SELECT council FROM direct_payment WHERE dp_id = $1 ORDER BY council`, [dpId]);
  return rows.map((r) => r.council);
}
