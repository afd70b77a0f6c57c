/**
 * All SQL of payment confirmation (card_load_match, bacs_run_match, bacs_run_match_entry) and
 * the reads it needs: delivered card loads and runs not yet confirmed, LOAD items and bank
 * debits not yet matched, payment-account credits not matched as returns, Bacs returns and
 * recovery proposals to turn into cases.
 */
import type { EntityManager } from 'typeorm';
import { lockCouncil } from '@dpb/persistence';
import type { CivilDate, Pence } from '@dpb/common';
import type { AdvisedReturn, BacsRunMatch, BankCreditEntry, BankDebit, CardLoadItem, CardLoadMatch, NamedCredit } from './rules';

export interface PendingCardLoadRow {
  credit_id: string;
  run_id: string;
  run_date: string;
  provider: string;
  account_ref: string;
  amount_pence: string;
  payment_ref: string;
}

export interface LoadItemRow {
  provider: string;
  txn_id: string;
  account_ref: string;
  amount_minor: string;
  posting_date: string;
  reference: string | null;
}

export interface PendingRunRow {
  run_id: string;
  run_date: string;
  total_pence: string;
}

export interface RunCreditRow {
  credit_id: string;
  payment_ref: string;
  end_to_end_id: string;
  amount_pence: string;
}

export interface DebitRow {
  id: string;
  amount_minor: string;
  day: string;
  reference: string | null;
  end_to_end_id: string | null;
}

export interface MatchedReturnRow {
  id: string;
  amount_minor: string;
  deceased: boolean;
  reason_code: string | null;
  credit_id: string;
  run_id: string;
  payee_id: string;
  return_date: string | null;
}

export interface CreditLinesRow {
  credit_id: string;
  dp_ids: string[];
  person_ids: string[];
}

export interface RecoveryRow {
  id: string;
  dp_id: string;
  reason: string;
  period_start: string | null;
  period_end: string | null;
  amount_pence: string;
  run_id: string | null;
}

/** Serialises reconciliation per council (concurrent workers, re-runs). */
export async function lockReconciliation(m: EntityManager, council: string): Promise<void> {
  await lockCouncil(m, 'reconcile', council);
}

/** Card loads of runs delivered on or after `since`, not yet confirmed. */
export async function pendingCardLoads(m: EntityManager, council: string, since: CivilDate): Promise<PendingCardLoadRow[]> {
  return m.query(
    `SELECT c.id AS credit_id, c.run_id, r.run_date, upper(c.card_provider) AS provider, c.card_account_ref AS account_ref,
            c.amount_pence, c.payment_ref
       FROM credit c
       JOIN payment_run r ON r.run_id = c.run_id AND r.state = 'DELIVERED'
      WHERE r.council = $1 AND r.run_date >= $2 AND c.channel = 'CARD'
        AND NOT EXISTS (SELECT 1 FROM card_load_match x WHERE x.credit_id = c.id)
      ORDER BY c.id`,
    [council, since],
  );
}

/** Settled LOAD credits on the council's cards, posted on or after `from`, not yet matched (providers are stored upper-case). */
export async function unmatchedLoadItems(m: EntityManager, council: string, from: CivilDate): Promise<LoadItemRow[]> {
  return m.query(
    `SELECT t.provider, t.txn_id, t.account_ref, t.amount_minor, t.posting_date, t.reference
       FROM card_txn t
      WHERE t.council = $1 AND t.type = 'LOAD' AND t.status = 'SETTLED' AND t.amount_minor > 0 AND t.posting_date >= $2
        AND NOT EXISTS (SELECT 1 FROM card_load_match x WHERE x.council = t.council AND x.provider = t.provider AND x.txn_id = t.txn_id)
      ORDER BY t.posting_date, t.provider, t.txn_id`,
    [council, from],
  );
}

export function toLoadItem(r: LoadItemRow): CardLoadItem {
  return { provider: r.provider, txnId: r.txn_id, accountRef: r.account_ref, amountPence: BigInt(r.amount_minor), postingDate: r.posting_date, reference: r.reference };
}

/** Records card-load matches; a side already matched (a concurrent worker) is skipped. Answers how many were new. */
export async function insertCardLoadMatches(m: EntityManager, council: string, matches: readonly CardLoadMatch[], on: CivilDate): Promise<number> {
  if (!matches.length) return 0;
  const rows: { credit_id: string }[] = await m.query(
    `INSERT INTO card_load_match (credit_id, council, provider, txn_id, matched_by, matched_on)
     SELECT x.credit_id::bigint, $1, t.provider, x.txn_id, x.by, $5
       FROM unnest($2::text[], $3::text[], $4::text[], $6::text[]) AS x(credit_id, provider, txn_id, by)
       JOIN card_txn t ON t.council = $1 AND t.provider = x.provider AND t.txn_id = x.txn_id
     ON CONFLICT DO NOTHING RETURNING credit_id`,
    [council, matches.map((x) => x.creditId), matches.map((x) => x.provider), matches.map((x) => x.txnId), on, matches.map((x) => x.by)],
  );
  return rows.length;
}

/** Runs delivered on or after `since` whose payment file has not been seen debited, with the file's total (all the run's credits). */
export async function pendingRuns(m: EntityManager, council: string, since: CivilDate): Promise<PendingRunRow[]> {
  return m.query(
    `SELECT r.run_id, r.run_date, t.total_pence
       FROM payment_run r
       JOIN LATERAL (SELECT sum(c.amount_pence)::text AS total_pence FROM credit c WHERE c.run_id = r.run_id) t ON t.total_pence IS NOT NULL
      WHERE r.council = $1 AND r.state = 'DELIVERED' AND r.run_date >= $2
        AND NOT EXISTS (SELECT 1 FROM bacs_run_match b WHERE b.run_id = r.run_id)
      ORDER BY r.run_date, r.run_id`,
    [council, since],
  );
}

export async function creditsOfRun(m: EntityManager, runId: string): Promise<RunCreditRow[]> {
  return m.query(`SELECT id AS credit_id, payment_ref, end_to_end_id, amount_pence FROM credit WHERE run_id = $1 ORDER BY id`, [runId]);
}

/** Accounts the council's posted bank statements are for. */
export async function statementAccounts(m: EntityManager, council: string): Promise<string[]> {
  const rows: { account: string }[] = await m.query(`SELECT DISTINCT account FROM bank_statement WHERE council = $1 AND state = 'POSTED' ORDER BY account`, [council]);
  return rows.map((r) => r.account);
}

/** Booked debits on the given accounts from `from` on, not reversals, not yet confirming a run. */
export async function unmatchedDebits(m: EntityManager, council: string, accounts: readonly string[], from: CivilDate): Promise<DebitRow[]> {
  if (!accounts.length) return [];
  return m.query(
    `SELECT e.id, e.amount_minor, coalesce(e.booking_date, e.value_date)::text AS day, e.reference, e.end_to_end_id
       FROM bank_ledger_entry e
      WHERE e.council = $1 AND e.account = ANY($2::text[]) AND e.amount_minor < 0 AND e.status = 'BOOKED' AND NOT e.reversal
        AND coalesce(e.booking_date, e.value_date) >= $3
        AND NOT EXISTS (SELECT 1 FROM bacs_run_match_entry x WHERE x.bank_entry_id = e.id)
      ORDER BY day, e.id`,
    [council, accounts, from],
  );
}

export function toBankDebit(r: DebitRow): BankDebit {
  return { entryId: r.id, amountPence: -BigInt(r.amount_minor), bookingDate: r.day, reference: r.reference, endToEndId: r.end_to_end_id };
}

/** Records a run's confirmation; false when the run or one of its entries was already matched. */
export async function insertRunMatch(m: EntityManager, council: string, match: BacsRunMatch, totalPence: Pence, on: CivilDate): Promise<boolean> {
  const run: unknown[] = await m.query(
    `INSERT INTO bacs_run_match (run_id, council, matched_by, total_pence, matched_on) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING run_id`,
    [match.runId, council, match.by, totalPence.toString(), on],
  );
  if (!run.length) return false;
  await m.query(`INSERT INTO bacs_run_match_entry (bank_entry_id, run_id) SELECT unnest($1::bigint[]), $2`, [match.entryIds, match.runId]);
  return true;
}

export interface CreditEntryRow {
  id: string;
  amount_minor: string;
  day: string;
  reference: string | null;
  end_to_end_id: string | null;
}

export interface NamedCreditRow {
  credit_id: string;
  run_id: string;
  payment_ref: string;
  end_to_end_id: string;
}

export interface AdvisedReturnRow {
  id: string;
  credit_id: string;
  amount_minor: string;
}

/**
 * Booked credits on the given accounts from `from` on that bank-in did not match as a Bacs
 * return of ours (their own `bacs_return` row is not MATCHED).
 */
export async function unexplainedCredits(m: EntityManager, council: string, accounts: readonly string[], from: CivilDate): Promise<CreditEntryRow[]> {
  if (!accounts.length) return [];
  return m.query(
    `SELECT e.id, e.amount_minor, coalesce(e.booking_date, e.value_date)::text AS day, e.reference, e.end_to_end_id
       FROM bank_ledger_entry e
      WHERE e.council = $1 AND e.account = ANY($2::text[]) AND e.amount_minor > 0 AND e.status = 'BOOKED'
        AND coalesce(e.booking_date, e.value_date) >= $3
        AND NOT EXISTS (SELECT 1 FROM bacs_return r WHERE r.bank_entry_id = e.id AND r.state = 'MATCHED')
      ORDER BY day, e.id`,
    [council, accounts, from],
  );
}

export function toBankCredit(r: CreditEntryRow): BankCreditEntry {
  return { entryId: r.id, amountPence: BigInt(r.amount_minor), bookingDate: r.day, reference: r.reference, endToEndId: r.end_to_end_id };
}

/** The council's credits whose payment reference or EndToEndId is one of `names`. */
export async function creditsNamed(m: EntityManager, council: string, names: readonly string[]): Promise<NamedCredit[]> {
  if (!names.length) return [];
  const rows: NamedCreditRow[] = await m.query(
    `SELECT id AS credit_id, run_id, payment_ref, end_to_end_id FROM credit
      WHERE council = $1 AND (payment_ref = ANY($2::text[]) OR end_to_end_id = ANY($2::text[]))
      ORDER BY id`,
    [council, names],
  );
  return rows.map((r) => ({ creditId: r.credit_id, runId: r.run_id, paymentRef: r.payment_ref, endToEndId: r.end_to_end_id }));
}

/** The council's runs whose id is one of `names`. */
export async function runsNamed(m: EntityManager, council: string, names: readonly string[]): Promise<string[]> {
  if (!names.length) return [];
  const rows: { run_id: string }[] = await m.query(`SELECT run_id FROM payment_run WHERE council = $1 AND run_id = ANY($2::text[]) ORDER BY run_id`, [council, names]);
  return rows.map((r) => r.run_id);
}

/** Matched Bacs returns of the given credits advised outside the bank statement (ARUCS: no bank entry of their own). */
export async function advisedReturns(m: EntityManager, council: string, creditIds: readonly string[]): Promise<AdvisedReturn[]> {
  if (!creditIds.length) return [];
  const rows: AdvisedReturnRow[] = await m.query(
    `SELECT id, credit_id, amount_minor FROM bacs_return
      WHERE council = $1 AND state = 'MATCHED' AND bank_entry_id IS NULL AND credit_id = ANY($2::bigint[])
      ORDER BY id`,
    [council, creditIds],
  );
  return rows.map((r) => ({ returnId: r.id, creditId: r.credit_id, amountPence: BigInt(r.amount_minor) }));
}

/** Matched Bacs returns and the credit (and run) each returned. */
export async function matchedReturns(m: EntityManager, council: string): Promise<MatchedReturnRow[]> {
  return m.query(
    `SELECT r.id, r.amount_minor, r.deceased, r.reason_code, r.credit_id, c.run_id, r.payee_id, r.return_date::text AS return_date
       FROM bacs_return r
       JOIN credit c ON c.id = r.credit_id
      WHERE r.council = $1 AND r.state = 'MATCHED'
      ORDER BY r.id`,
    [council],
  );
}

/** The DPs and persons each credit paid (its lines; found through the run that paid them). */
export async function linesOfCredits(m: EntityManager, credits: readonly { creditId: string; runId: string }[]): Promise<Map<string, CreditLinesRow>> {
  if (!credits.length) return new Map();
  const rows: CreditLinesRow[] = await m.query(
    `SELECT l.credit_id, array_agg(DISTINCT l.dp_id ORDER BY l.dp_id) AS dp_ids, array_agg(DISTINCT l.person_id ORDER BY l.person_id) AS person_ids
       FROM payment_line l
      WHERE l.released_run_id = ANY($1::text[]) AND l.credit_id = ANY($2::bigint[])
      GROUP BY l.credit_id`,
    [[...new Set(credits.map((c) => c.runId))], credits.map((c) => c.creditId)],
  );
  return new Map(rows.map((r) => [r.credit_id, r]));
}

/** Every DP of the given persons, by id. */
export async function dpsOfPersons(m: EntityManager, council: string, personIds: readonly string[]): Promise<string[]> {
  if (!personIds.length) return [];
  const rows: { dp_id: string }[] = await m.query(
    `SELECT dp_id FROM direct_payment WHERE council = $1 AND person_id = ANY($2::text[]) ORDER BY dp_id`,
    [council, personIds],
  );
  return rows.map((r) => r.dp_id);
}

/** Recovery proposals the payment run raised (overpayments, payments after death). */
export async function runRecoveries(m: EntityManager, council: string): Promise<RecoveryRow[]> {
  return m.query(
    `SELECT id, dp_id, reason, period_start::text AS period_start, period_end::text AS period_end, amount_pence, run_id
       FROM recovery_proposal WHERE council = $1 AND reason IN ('OVERPAYMENT', 'PAYMENT_AFTER_DEATH', 'DEATH') ORDER BY id`,
    [council],
  );
}

export interface ConfirmationCounts {
  cardLoadsConfirmed: number;
  runsConfirmed: number;
}

/** Confirmations recorded on a night (for the night's summary). */
export async function confirmedOn(m: EntityManager, council: string, on: CivilDate): Promise<ConfirmationCounts> {
  const [r]: { loads: number; runs: number }[] = await m.query(
    `SELECT (SELECT count(*)::int FROM card_load_match WHERE council = $1 AND matched_on = $2) AS loads,
            (SELECT count(*)::int FROM bacs_run_match WHERE council = $1 AND matched_on = $2) AS runs`,
    [council, on],
  );
  return { cardLoadsConfirmed: r.loads, runsConfirmed: r.runs };
}
