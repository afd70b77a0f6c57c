/**
 * The payment run aggregate's SQL: payment_run, payment_line, credit, credit_offset, the run's
 * recovery proposals, carried offsets and checked bases; officers' holds and decisions on them.
 *
 * Writes a planned run in the run's transaction: credits, lines, offsets, checked bases and
 * calculation inputs by COPY; the small rest (recoveries, carried offsets) by statements of at
 * most CHUNK rows through jsonb_populate_recordset (one parameter per statement).
 */
import type { EntityManager } from 'typeorm';
import { copyRows, updateReturning, type CopyValue } from '@dpb/persistence';
import { toCanonical } from '@dpb/common';
import type { LoadedDp, LoadedPayee, OfficerReleasedLine, RunPlan } from './plan';
import type { Basis, Frequency, FundingStream } from '../rules';
import type { TermsJson } from '@dpb/care-records/terms-json';
import { calcToJson } from './calc-basis';
// The recovery repository imports only types of payments (no cycle).
import { insertDeductions, openOffsetRecoveries } from '@dpb/cases/recovery.repository';
// The case repository imports nothing of payments (no cycle with the cases service).
import { dpsWithOpenDeathCase } from '@dpb/cases/case.repository';

const CHUNK = 5000;

async function insertRows(m: EntityManager, sql: string, rows: unknown[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await m.query(sql, [JSON.stringify(toCanonical(rows.slice(i, i + CHUNK)))]);
  }
}

export interface RunRow {
  runId: string;
  council: string;
  runDate: string;
  sequence: number;
  state: 'HELD' | 'AWAITING_APPROVAL' | 'RELEASED';
  holdReasons: string[];
  /** periodGrid(settings) the run enumerated periods on (load.ts). */
  periodGrid: string;
}

/** Stores the plan, table by table; returns the stored credits' ids by plan credit index. */
export async function storePlan(m: EntityManager, run: RunRow, plan: RunPlan, dps: LoadedDp[]): Promise<Map<number, string>> {
  await insertRun(m, run, plan);
  // Credits first (lines and offsets point at them).
  const creditIds = await storeCredits(m, run, plan);
  await storeCreditOffsets(m, plan, creditIds);
  await storeLines(m, run, plan, creditIds);
  await payOfficerLines(m, run, plan, creditIds);
  await storeRecoveries(m, run, plan);
  // What the run took back for APPROVED cases recovered by offset (once per case and run).
  await insertDeductions(m, run.council, run.runId, plan.deductions);
  await storeCarries(m, run, plan);
  await m.query(
    `INSERT INTO payment_ref_counter (council, next) VALUES ($1, $2)
     ON CONFLICT (council) DO UPDATE SET next = EXCLUDED.next`,
    [run.council, plan.nextRefSeq.toString()],
  );
  await storeCheckedBases(m, run, plan, dps);
  return creditIds;
}

async function insertRun(m: EntityManager, run: RunRow, plan: RunPlan): Promise<void> {
  const totals: Record<string, string> = {};
  for (const [f, v] of plan.regularTotals) totals[f] = v.toString();
  await m.query(
    `INSERT INTO payment_run (run_id, council, run_date, sequence, state, hold_reasons, regular_totals, period_grid)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [run.runId, run.council, run.runDate, run.sequence, run.state, run.holdReasons, JSON.stringify(totals), run.periodGrid],
  );
}

/** The credits: ids drawn from the sequence, rows loaded by COPY. Returns the ids by plan credit index. */
async function storeCredits(m: EntityManager, run: RunRow, plan: RunPlan): Promise<Map<number, string>> {
  const creditIds = new Map<number, string>();
  if (!plan.credits.length) return creditIds;
  const ids: { id: string }[] = await m.query(`SELECT nextval('credit_id_seq')::text AS id FROM generate_series(1, $1)`, [plan.credits.length]);
  plan.credits.forEach((c, k) => creditIds.set(c.index, ids[k].id));
  await copyRows(
    m,
    'credit',
    ['id', 'council', 'run_id', 'payee_id', 'channel', 'vendor_no', 'sort_code', 'account_number', 'account_name',
      'bank_hash', 'card_provider', 'card_account_ref', 'payment_ref', 'end_to_end_id', 'amount_pence'],
    lazyMap(plan.credits, (c) => [creditIds.get(c.index)!, run.council, run.runId, c.payeeId, c.channel, c.vendorNo, c.sortCode,
      c.accountNumber, c.accountName, c.bankHash, c.cardProvider, c.cardAccountRef, c.paymentRef, c.endToEndId, c.amountPence]),
  );
  return creditIds;
}

/** Each credit's netting offsets (its file lines below zero), by COPY. */
async function storeCreditOffsets(m: EntityManager, plan: RunPlan, creditIds: Map<number, string>): Promise<void> {
  await copyRows(
    m,
    'credit_offset',
    ['credit_id', 'dp_id', 'period_start', 'period_end', 'cost_centre', 'gl_account', 'amount_pence'],
    plan.credits.flatMap((c) =>
      c.fileLines
        .filter((l) => l.payablePence < 0n)
        .map((l) => [creditIds.get(c.index)!, l.dpId, l.periodStart, l.periodEnd, l.costCentre, l.glAccount, l.payablePence]),
    ),
  );
}

/** The run's new lines, by COPY: held ones HELD, the rest RELEASED into this run. */
async function storeLines(m: EntityManager, run: RunRow, plan: RunPlan, creditIds: Map<number, string>): Promise<void> {
  await copyRows(
    m,
    'payment_line',
    ['council', 'run_id', 'dp_id', 'person_id', 'payee_id', 'kind', 'frequency', 'cost_centre', 'gl_account', 'period_start',
      'period_end', 'one_off_id', 'cause_extract', 'gross_pence', 'contribution_pence', 'payable_pence', 'state', 'hold_reasons',
      'basis_hash', 'released_run_id', 'credit_id', 'facts'],
    lazyMap(plan.lines, (l) => [run.council, run.runId, l.dpId, l.personId, l.payeeId, l.kind, l.frequency, l.costCentre, l.glAccount,
      l.periodStart, l.periodEnd, l.oneOffId, l.causeExtract, l.grossPence, l.contributionPence, l.payablePence,
      l.holdReasons.length ? 'HELD' : 'RELEASED', l.holdReasons, l.basisHash, l.holdReasons.length ? null : run.runId,
      l.creditIndex ? creditIds.get(l.creditIndex)! : null, l.facts]),
  );
}

/**
 * Lines an officer released since the last run: recomputed now and paid under the DP's current
 * payee and coding (as the files show it), one statement for all of them.
 */
async function payOfficerLines(m: EntityManager, run: RunRow, plan: RunPlan, creditIds: Map<number, string>): Promise<void> {
  if (!plan.officerLines.length) return;
  const o = plan.officerLines;
  await m.query(
    `UPDATE payment_line l SET gross_pence = u.gross, contribution_pence = u.contribution, payable_pence = u.payable,
            released_run_id = $1, credit_id = u.credit_id, payee_id = coalesce(u.payee_id, l.payee_id),
            cost_centre = coalesce(u.cost_centre, l.cost_centre), gl_account = coalesce(u.gl_account, l.gl_account)
       FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::text[])
            AS u (id, gross, contribution, payable, credit_id, payee_id, cost_centre, gl_account)
      WHERE l.id = u.id`,
    [run.runId, o.map((x) => x.id), o.map((x) => x.grossPence.toString()), o.map((x) => x.contributionPence.toString()),
      o.map((x) => x.payablePence.toString()), o.map((x) => (x.creditIndex ? creditIds.get(x.creditIndex)! : null)),
      o.map((x) => x.coding?.payeeId ?? null), o.map((x) => x.coding?.costCentre ?? null), o.map((x) => x.coding?.glAccount ?? null)],
  );
}

async function storeRecoveries(m: EntityManager, run: RunRow, plan: RunPlan): Promise<void> {
  await insertRows(
    m,
    `INSERT INTO recovery_proposal (council, dp_id, reason, period_start, period_end, amount_pence, run_id, cause_extract, evidence)
     SELECT council, dp_id, reason, period_start, period_end, amount_pence, run_id, cause_extract, evidence
       FROM jsonb_populate_recordset(NULL::recovery_proposal, $1::jsonb)`,
    plan.recoveries.map((r) => ({
      council: run.council,
      dp_id: r.dpId,
      reason: r.reason,
      period_start: r.periodStart,
      period_end: r.periodEnd,
      amount_pence: r.amountPence,
      run_id: run.runId,
      cause_extract: r.causeExtract,
      evidence: { source: 'payment-run', runId: run.runId },
    })),
  );
}

/** Offsets still owed, per payee and DP: every payee the run touched gets its new balances. */
async function storeCarries(m: EntityManager, run: RunRow, plan: RunPlan): Promise<void> {
  const touched = [...plan.carry.keys()];
  if (!touched.length) return;
  await m.query(`DELETE FROM payee_carry WHERE council = $1 AND payee_id = ANY ($2)`, [run.council, touched]);
  const carryRows = [...plan.carry].flatMap(([payeeId, byDp]) =>
    [...byDp].map(([dpId, amount]) => ({ council: run.council, payee_id: payeeId, dp_id: dpId, amount_pence: amount })),
  );
  await insertRows(
    m,
    `INSERT INTO payee_carry (council, payee_id, dp_id, amount_pence)
     SELECT council, payee_id, dp_id, amount_pence FROM jsonb_populate_recordset(NULL::payee_carry, $1::jsonb)`,
    carryRows,
  );
}

/**
 * The calculation input every DP was planned with, where it differs from the one recorded: the
 * next run's horizon (load.ts) and its re-check of paid periods rely on it. The input itself goes
 * to calc_basis (for `dpbridge explain`) once a line or recovery of the DP needs it. On a quiet
 * night, a handful of rows.
 */
async function storeCheckedBases(m: EntityManager, run: RunRow, plan: RunPlan, dps: LoadedDp[]): Promise<void> {
  const withLines = new Set<string>([...plan.lines.map((l) => l.dpId), ...plan.recoveries.map((r) => r.dpId), ...plan.officerLines.map((o) => o.dpId)]);
  const changed = (d: LoadedDp) => d.checkedBasisHash !== d.basisHash;
  const needsCalc = (d: LoadedDp) => withLines.has(d.calc.dpId) && (changed(d) || !d.checkedCalcStored);
  const recorded = dps.filter((d) => changed(d) || needsCalc(d));
  const checkedRow = (d: LoadedDp) => [run.council, d.calc.dpId, d.basisHash, withLines.has(d.calc.dpId)];
  const checkedColumns = ['council', 'dp_id', 'basis_hash', 'calc_stored'];
  // A DP never planned has no row (runs of a council are serialised by the run lock): plain COPY.
  await copyRows(m, 'dp_checked_basis', checkedColumns, recorded.filter((d) => d.checkedBasisHash === null).map(checkedRow));
  await copyMerge(m, 'dp_checked_basis', checkedColumns, recorded.filter((d) => d.checkedBasisHash !== null).map(checkedRow),
    'ON CONFLICT (council, dp_id) DO UPDATE SET basis_hash = EXCLUDED.basis_hash, calc_stored = EXCLUDED.calc_stored');
  // A DP planned before can have its input stored already (its terms went back to earlier ones);
  // one never planned cannot (the hash covers the DP id; calc_basis is per council).
  const calcColumns = ['basis_hash', 'council', 'dp_id', 'calc'];
  const calcRow = (d: LoadedDp) => [d.basisHash, run.council, d.calc.dpId, calcToJson(d.calc)];
  const calcs = dps.filter(needsCalc);
  await copyRows(m, 'calc_basis', calcColumns, calcs.filter((d) => d.checkedBasisHash === null).map(calcRow));
  await copyMerge(m, 'calc_basis', calcColumns, calcs.filter((d) => d.checkedBasisHash !== null).map(calcRow), 'ON CONFLICT (council, basis_hash) DO NOTHING');
}

/**
 * Bulk upsert: COPY into a TEMP table shaped like `table` (dropped at commit or rollback), then one
 * INSERT ... SELECT with the given conflict clause.
 */
async function copyMerge(m: EntityManager, table: string, columns: readonly string[], rows: CopyValue[][], onConflict: string): Promise<void> {
  if (!rows.length) return;
  const staging = `${table}_incoming`;
  await m.query(`CREATE TEMP TABLE IF NOT EXISTS ${staging} (LIKE ${table}) ON COMMIT DROP`);
  await m.query(`TRUNCATE ${staging}`);
  await copyRows(m, staging, columns, rows);
  const cols = columns.join(', ');
  await m.query(`INSERT INTO ${table} (${cols}) SELECT ${cols} FROM ${staging} ${onConflict}`);
}

/** Rows made as COPY reads them, not all at once (a run has hundreds of thousands). */
function* lazyMap<T>(items: readonly T[], row: (t: T) => CopyValue[]): Generator<CopyValue[]> {
  for (const t of items) yield row(t);
}

// ---- Reads and officers' decisions on runs, lines and credits --------------------------------

export type RunState = 'HELD' | 'AWAITING_APPROVAL' | 'RELEASED' | 'DELIVERED';
export type LineState = 'HELD' | 'RELEASED' | 'CANCELLED';

/** A `payment_run` row as officers decide on it. */
export interface PaymentRunRow {
  run_id: string;
  council: string;
  run_date: string;
  sequence: number;
  state: RunState;
  hold_reasons: string[];
  holds_released_by: string | null;
  approved_by: string | null;
  approved_at: Date | null;
}

/** A run with its line, credit and amount counts (amounts as pg returns bigint: text). */
export interface RunListRow extends PaymentRunRow {
  lines: number;
  held: number;
  credits: number;
  payable: string;
  held_pence: string;
}

/** A whole `payment_line` row (amounts as text). */
export interface PaymentLineRow {
  id: string;
  council: string;
  run_id: string;
  dp_id: string;
  person_id: string;
  payee_id: string;
  kind: 'REGULAR' | 'ADJUSTMENT' | 'ONE_OFF';
  frequency: string;
  cost_centre: string;
  gl_account: string;
  period_start: string;
  period_end: string;
  one_off_id: string | null;
  gross_pence: string;
  contribution_pence: string;
  payable_pence: string;
  state: LineState;
  hold_reasons: string[];
  basis_hash: string;
  released_run_id: string | null;
  credit_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  facts: Record<string, unknown>;
}

/** The columns of a line the run's files and manifest need. */
export type RunLineRow = Pick<
  PaymentLineRow,
  | 'dp_id' | 'person_id' | 'payee_id' | 'kind' | 'period_start' | 'period_end' | 'cost_centre' | 'gl_account' | 'gross_pence'
  | 'contribution_pence' | 'payable_pence' | 'hold_reasons' | 'credit_id' | 'released_run_id'
>;

export interface CreditRow {
  id: string;
  payee_id: string;
  channel: 'BANK' | 'CARD';
  vendor_no: string;
  sort_code: string;
  account_number: string;
  account_name: string;
  card_provider: string | null;
  card_account_ref: string | null;
  payment_ref: string;
  end_to_end_id: string;
  amount_pence: string;
  run_id: string;
}

export interface CreditOffsetRow {
  credit_id: string;
  dp_id: string;
  period_start: string;
  period_end: string;
  cost_centre: string;
  gl_account: string;
  amount_pence: string;
}

export interface RecoveryProposalRow {
  dp_id: string;
  reason: string;
  period_start: string;
  period_end: string;
  amount_pence: string;
}

export interface RunHeaderRow {
  council: string;
  run_date: string;
  sequence: number;
  state: RunState;
}

export interface RunTotalsRow {
  state: RunState;
  hold_reasons: string[];
  lines: number;
  held: number;
  payable: string;
  held_pence: string;
  credits: number;
  recoveries: number;
}

export async function runStateOf(m: EntityManager, runId: string): Promise<RunState | null> {
  const rows: { state: RunState }[] = await m.query(`SELECT state FROM payment_run WHERE run_id = $1`, [runId]);
  return rows[0]?.state ?? null;
}

export async function setRunManifest(m: EntityManager, runId: string, manifestJson: string, manifestBytes: unknown): Promise<void> {
  await m.query(`UPDATE payment_run SET manifest = $2, manifest_bytes = $3 WHERE run_id = $1`, [runId, manifestJson, manifestBytes]);
}

/** The run's state and counts: lines (held = not released into it), credits, recoveries. */
export async function runTotals(m: EntityManager, runId: string): Promise<RunTotalsRow> {
  const [r]: { state: RunState; hold_reasons: string[] }[] = await m.query(`SELECT state, hold_reasons FROM payment_run WHERE run_id = $1`, [runId]);
  const [l]: { lines: number; held: number; payable: string; held_pence: string }[] = await m.query(
    `SELECT count(*)::int AS lines,
            count(*) FILTER (WHERE released_run_id IS DISTINCT FROM $1)::int AS held,
            coalesce(sum(payable_pence) FILTER (WHERE released_run_id = $1), 0) AS payable,
            coalesce(sum(payable_pence) FILTER (WHERE released_run_id IS DISTINCT FROM $1), 0) AS held_pence
       FROM payment_line WHERE run_id = $1 OR released_run_id = $1`,
    [runId],
  );
  const [c]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM credit WHERE run_id = $1`, [runId]);
  const [rec]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM recovery_proposal WHERE run_id = $1`, [runId]);
  return { ...r, ...l, credits: c.n, recoveries: rec.n };
}

export async function recoveryProposalsOfRun(m: EntityManager, runId: string): Promise<RecoveryProposalRow[]> {
  return m.query(`SELECT dp_id, reason, period_start, period_end, amount_pence FROM recovery_proposal WHERE run_id = $1`, [runId]);
}

export async function runHeader(m: EntityManager, runId: string): Promise<RunHeaderRow | null> {
  const [run]: RunHeaderRow[] = await m.query(`SELECT council, run_date, sequence, state FROM payment_run WHERE run_id = $1`, [runId]);
  return run ?? null;
}

export async function creditsOfRun(m: EntityManager, runId: string): Promise<CreditRow[]> {
  return m.query(`SELECT * FROM credit WHERE run_id = $1`, [runId]);
}

export async function creditOffsetsOfRun(m: EntityManager, runId: string): Promise<CreditOffsetRow[]> {
  return m.query(`SELECT o.* FROM credit_offset o JOIN credit c ON c.id = o.credit_id WHERE c.run_id = $1`, [runId]);
}

const RUN_LINE_COLS = `dp_id, person_id, payee_id, kind, period_start, period_end, cost_centre, gl_account, gross_pence,
            contribution_pence, payable_pence, hold_reasons, credit_id, released_run_id`;

/** Lines of the run and lines of earlier runs released into it. */
export async function linesOfRun(m: EntityManager, runId: string): Promise<RunLineRow[]> {
  return m.query(`SELECT ${RUN_LINE_COLS} FROM payment_line WHERE run_id = $1 OR released_run_id = $1`, [runId]);
}

/** Lines of earlier runs an officer released into this run. */
export async function linesReleasedIntoRun(m: EntityManager, runId: string): Promise<RunLineRow[]> {
  return m.query(`SELECT ${RUN_LINE_COLS} FROM payment_line WHERE released_run_id = $1 AND run_id <> $1`, [runId]);
}

export interface HeldLineQuery {
  council?: string;
  runId?: string;
  dpId?: string;
  reason?: string;
  limit: number;
}

/** Lines still HELD, oldest run first. */
export async function heldLines(m: EntityManager, q: HeldLineQuery): Promise<PaymentLineRow[]> {
  const where = [`state = 'HELD'`];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (q.council) add('council = ?', q.council);
  if (q.runId) add('run_id = ?', q.runId);
  if (q.dpId) add('dp_id = ?', q.dpId);
  if (q.reason) add('? = ANY (hold_reasons)', q.reason);
  return m.query(
    `SELECT * FROM payment_line WHERE ${where.join(' AND ')} ORDER BY council, run_id, dp_id, period_start, kind, id LIMIT ${Math.trunc(q.limit)}`,
    args,
  );
}

export async function paymentLine(m: EntityManager, id: string): Promise<PaymentLineRow | null> {
  const [l]: PaymentLineRow[] = await m.query(`SELECT * FROM payment_line WHERE id = $1`, [id]);
  return l ?? null;
}

export async function councilOfLine(m: EntityManager, id: string): Promise<string | null> {
  const [found]: { council: string }[] = await m.query(`SELECT council FROM payment_line WHERE id = $1`, [id]);
  return found?.council ?? null;
}

export async function lineForUpdate(m: EntityManager, id: string): Promise<PaymentLineRow> {
  const [line]: PaymentLineRow[] = await m.query(`SELECT * FROM payment_line WHERE id = $1 FOR UPDATE`, [id]);
  return line;
}

/** Decides a HELD line (RELEASED or CANCELLED) under the officer's name; undefined when it is no longer HELD. */
export async function decideHeldLine(m: EntityManager, id: string, to: Exclude<LineState, 'HELD'>, officer: string): Promise<PaymentLineRow> {
  const [after] = await updateReturning<PaymentLineRow>(
    m,
    `UPDATE payment_line SET state = $2, decided_by = $3, decided_at = now() WHERE id = $1 AND state = 'HELD' RETURNING *`,
    [id, to, officer],
  );
  return after;
}

export interface RunQuery {
  council?: string;
  state?: RunState;
  limit: number;
}

/** Runs with their counts, newest first. */
export async function listRunRows(m: EntityManager, q: RunQuery): Promise<RunListRow[]> {
  const where: string[] = ['true'];
  const args: unknown[] = [];
  if (q.council) {
    args.push(q.council);
    where.push(`r.council = $${args.length}`);
  }
  if (q.state) {
    args.push(q.state);
    where.push(`r.state = $${args.length}`);
  }
  return m.query(
    `SELECT r.run_id, r.council, r.run_date, r.sequence, r.state, r.hold_reasons, r.holds_released_by, r.approved_by, r.approved_at,
            coalesce(l.lines, 0) AS lines, coalesce(l.held, 0) AS held, coalesce(l.payable, 0) AS payable, coalesce(l.held_pence, 0) AS held_pence,
            (SELECT count(*)::int FROM credit c WHERE c.run_id = r.run_id) AS credits
       FROM payment_run r
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS lines, count(*) FILTER (WHERE state = 'HELD')::int AS held,
                sum(payable_pence) FILTER (WHERE state = 'RELEASED' AND released_run_id = r.run_id) AS payable,
                sum(payable_pence) FILTER (WHERE state = 'HELD') AS held_pence
           FROM payment_line WHERE run_id = r.run_id OR released_run_id = r.run_id) l ON true
      WHERE ${where.join(' AND ')}
      ORDER BY r.run_date DESC, r.council, r.sequence DESC
      LIMIT ${Math.trunc(q.limit)}`,
    args,
  );
}

export async function councilOfRun(m: EntityManager, runId: string): Promise<string | null> {
  const [found]: { council: string }[] = await m.query(`SELECT council FROM payment_run WHERE run_id = $1`, [runId]);
  return found?.council ?? null;
}

export async function runForUpdate(m: EntityManager, runId: string): Promise<PaymentRunRow> {
  const [run]: PaymentRunRow[] = await m.query(`SELECT * FROM payment_run WHERE run_id = $1 FOR UPDATE`, [runId]);
  return run;
}

/** A HELD run's holds released by `officer` into `next` (RELEASED or AWAITING_APPROVAL). */
export async function releaseRunHolds(m: EntityManager, runId: string, next: RunState, officer: string): Promise<PaymentRunRow> {
  const [after] = await updateReturning<PaymentRunRow>(
    m,
    `UPDATE payment_run SET state = $2, holds_released_by = $3 WHERE run_id = $1 AND state = 'HELD' RETURNING *`,
    [runId, next, officer],
  );
  return after;
}

/** A run awaiting approval approved by `officer` (RELEASED). */
export async function approveRunRow(m: EntityManager, runId: string, officer: string): Promise<PaymentRunRow> {
  const [after] = await updateReturning<PaymentRunRow>(
    m,
    `UPDATE payment_run SET state = 'RELEASED', approved_by = $2, approved_at = now() WHERE run_id = $1 AND state = 'AWAITING_APPROVAL' RETURNING *`,
    [runId, officer],
  );
  return after;
}

export async function runDateAndState(m: EntityManager, runId: string): Promise<{ run_id: string; run_date: string; state: RunState }> {
  const [r]: { run_id: string; run_date: string; state: RunState }[] = await m.query(`SELECT run_id, run_date, state FROM payment_run WHERE run_id = $1`, [runId]);
  return r;
}

/** The calculation input stored under a basis hash (null when not stored). */
export async function calcBasis(m: EntityManager, council: string, basisHash: string): Promise<{ calc: unknown } | null> {
  const [row]: { calc: unknown }[] = await m.query(`SELECT calc FROM calc_basis WHERE council = $1 AND basis_hash = $2`, [council, basisHash]);
  return row ?? null;
}

/** The DP's other stored calculation inputs, by basis hash. */
export async function otherCalcBases(m: EntityManager, council: string, dpId: string, exceptHash: string): Promise<{ basis_hash: string; calc: unknown }[]> {
  return m.query(`SELECT basis_hash, calc FROM calc_basis WHERE council = $1 AND dp_id = $2 AND basis_hash <> $3 ORDER BY basis_hash`, [council, dpId, exceptHash]);
}

export async function creditById(m: EntityManager, creditId: string): Promise<Pick<CreditRow, 'payment_ref' | 'end_to_end_id' | 'amount_pence' | 'run_id'> | null> {
  const [c]: Pick<CreditRow, 'payment_ref' | 'end_to_end_id' | 'amount_pence' | 'run_id'>[] = await m.query(
    `SELECT payment_ref, end_to_end_id, amount_pence, run_id FROM credit WHERE id = $1`,
    [creditId],
  );
  return c ?? null;
}

/** What delivery needs of a run: its state and the manifest recorded for it. */
export interface RunManifestRow {
  state: RunState;
  manifest: { held?: boolean; files?: unknown } | null;
  manifest_bytes: Buffer | null;
}

export async function findRunManifest(m: EntityManager, runId: string): Promise<RunManifestRow | null> {
  const rows: RunManifestRow[] = await m.query(`SELECT state, manifest, manifest_bytes FROM payment_run WHERE run_id = $1`, [runId]);
  return rows[0] ?? null;
}

/** A released run whose files were all delivered: DELIVERED, with the manifest delivered last. */
export async function markRunDelivered(m: EntityManager, runId: string, head: object, manifestBytes: Buffer): Promise<void> {
  await m.query(`UPDATE payment_run SET state = 'DELIVERED', manifest = $2, manifest_bytes = $3 WHERE run_id = $1 AND state = 'RELEASED'`, [
    runId,
    JSON.stringify(head),
    manifestBytes,
  ]);
}

// The run's input reads (loadRunInput). Each takes a query runner (the run's queue, queuedReads
// below, or an EntityManager) and returns its promise untouched: no async wrapper, so a failure is
// seen where the caller awaits it.

/** What runs a query: the run's one-at-a-time queue, or an EntityManager. */
type SqlRunner = Pick<EntityManager, 'query'>;

/**
 * A query runner over the run's connection that sends its queries one after another, in call
 * order: the next goes out as soon as the one before has finished (in that query's own completion,
 * before any caller resumes), so PostgreSQL runs it while this process works through the rows of
 * the one before. Never two at once on one client (pg deprecates queueing a query behind a running
 * one). A failure is seen where the caller awaits the query's promise.
 */
export function queuedReads(m: SqlRunner): SqlRunner {
  const waiting: (() => void)[] = [];
  let running = false;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows typed by the read functions
  const query = (sql: string, params?: unknown[]): Promise<any> => {
    const p = new Promise((resolve, reject) => {
      const run = (): void => {
        running = true;
        const next = (): void => {
          running = false;
          waiting.shift()?.();
        };
        m.query(sql, params).then((rows) => (next(), resolve(rows)), (e: unknown) => (next(), reject(e)));
      };
      if (running) waiting.push(run);
      else run();
    });
    p.catch(() => undefined); // awaited by the caller; a failure surfaces there
    return p;
  };
  return { query };
}

/** A read sent now and awaited later: not an unhandled rejection meanwhile (the await sees it). */
function sentNow<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/**
 * Every read of the run's input that needs no other's result, sent at once through one queue on
 * the run's connection (inside its transaction), in this order; the two that need the DPs first
 * (`takenRegularUpTo`, `releasedPeriodGroups`) join the same queue when called.
 */
export function runInputReads(m: SqlRunner, council: string, runDate: string, horizon: string | null) {
  const q = queuedReads(m);
  return {
    dps: runInputDps(q, council),
    lastCredit: lastBankCreditPerPayee(q, council),
    checked: checkedBases(q, council),
    taken: takenLines(q, council, horizon),
    previousRegular: latestRegularLines(q, council),
    officer: officerReleasedLines(q, council),
    carries: payeeCarries(q, council),
    runs: earlierRunTotals(q, council, runDate),
    counter: paymentRefCounter(q, council),
    // DPs named by a DEATH case not yet closed: their lines are held (DEATH_CASE).
    deathCase: sentNow(dpsWithOpenDeathCase(q, council)),
    // APPROVED cases recovered from later payments (docs/reclaims.md).
    recoveryOffsets: sentNow(openOffsetRecoveries(q, council)),
    takenRegularUpTo: (dpIds: string[], upTo: string) => takenRegularUpTo(q, council, dpIds, upTo),
    releasedPeriodGroups: (dpIds: string[]) => releasedPeriodGroups(q, council, dpIds),
  };
}

/** The run's input reads, sent (runInputReads). */
export type RunInputReads = ReturnType<typeof runInputReads>;

/**
 * Identifies a DP's calculation input (its frequency, dates, basis, funding, terms and the
 * person's date of death): lines computed from equal inputs carry equal hashes. Computed by Postgres over the stored
 * row (`terms` is jsonb, so its text is canonical); `d` is direct_payment, `p` is person.
 */
export const BASIS_HASH_SQL = `encode(sha256(convert_to(concat_ws('|', d.dp_id, d.frequency, d.basis, d.funding_stream,
  d.start_date::text, coalesce(d.end_date::text, '-'), coalesce(p.date_of_death::text, '-'), d.terms::text), 'UTF8')), 'hex')`;

/** A DP with its person's and payee's columns, as the run reads it. */
export interface RunInputDpRow {
  dp_id: string;
  person_id: string;
  payee_id: string;
  frequency: Frequency;
  basis: Basis;
  funding_stream: FundingStream;
  cost_centre: string;
  gl_account: string;
  start_date: string;
  end_date: string | null;
  terms: TermsJson;
  missing_from_full: boolean;
  cause_extract: string;
  date_of_death: string | null;
  basis_hash_calc: string;
  account_type: LoadedPayee['accountType'];
  vendor_no: string | null;
  modulus_valid: boolean | null;
  bacs_return_blocked: boolean;
  bank_hash: string | null;
  sort_code: string | null;
  account_number: string | null;
  account_name: string | null;
  card_provider: string | null;
  card_account_ref: string | null;
}

/** The council's latest run before `runDate`, and whether any run exists on or after it. */
export async function lastRunBefore(m: SqlRunner, council: string, runDate: string): Promise<{ run_date: string | null; period_grid: string | null; later: boolean }> {
  const [r]: { run_date: string | null; period_grid: string | null; later: boolean }[] = await m.query(
    `SELECT p.run_date, p.period_grid, EXISTS (SELECT 1 FROM payment_run WHERE council = $1 AND run_date >= $2) AS later
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (SELECT run_date, period_grid FROM payment_run WHERE council = $1 AND run_date < $2
                           ORDER BY run_date DESC, sequence DESC LIMIT 1) p ON true`,
    [council, runDate],
  );
  return r;
}

export function runInputDps(q: SqlRunner, council: string): Promise<RunInputDpRow[]> {
  return q.query(
    `SELECT d.dp_id, d.person_id, d.payee_id, d.frequency, d.basis, d.funding_stream, d.cost_centre, d.gl_account,
            d.start_date, d.end_date, d.terms, d.missing_from_full,
            greatest(d.extract_ref, p.extract_ref)::text AS cause_extract, p.date_of_death,
            ${BASIS_HASH_SQL} AS basis_hash_calc,
            y.account_type, y.vendor_no, y.modulus_valid, y.bacs_return_blocked, y.bank_hash,
            y.sort_code, y.account_number, y.account_name, y.card_provider, y.card_account_ref
       FROM direct_payment d
       JOIN person p ON p.council = d.council AND p.person_id = d.person_id
       JOIN payee y ON y.council = d.council AND y.payee_id = d.payee_id
      WHERE d.council = $1
      ORDER BY d.dp_id`,
    [council],
  );
}

/** Per payee, the newest BANK credit (an index descent each: flat as credits accumulate). */
export function lastBankCreditPerPayee(q: SqlRunner, council: string): Promise<{ payee_id: string; bank_hash: string | null }[]> {
  return q.query(
    `SELECT y.payee_id, c.bank_hash FROM payee y
       CROSS JOIN LATERAL (SELECT bank_hash FROM credit c
                            WHERE c.council = y.council AND c.payee_id = y.payee_id AND c.channel = 'BANK'
                            ORDER BY c.id DESC LIMIT 1) c
      WHERE y.council = $1`,
    [council],
  );
}

export function checkedBases(q: SqlRunner, council: string): Promise<{ dp_id: string; basis_hash: string; calc_stored: boolean }[]> {
  return q.query(`SELECT dp_id, basis_hash, calc_stored FROM dp_checked_basis WHERE council = $1`, [council]);
}

export interface TakenLineRow {
  dp_id: string;
  kind: string;
  period_start: string;
  one_off_id: string | null;
}

/** Periods after the horizon (all of them without one) and every one-off. */
export function takenLines(q: SqlRunner, council: string, horizon: string | null): Promise<TakenLineRow[]> {
  return q.query(
    horizon === null
      ? `SELECT dp_id, kind, period_start, one_off_id FROM payment_line WHERE council = $1 AND kind IN ('REGULAR', 'ONE_OFF')`
      : `SELECT dp_id, kind, period_start, one_off_id FROM payment_line
          WHERE council = $1 AND ((kind = 'REGULAR' AND period_start > $2) OR kind = 'ONE_OFF')`,
    horizon === null ? [council] : [council, horizon],
  );
}

/** The regular periods on or before the horizon of DPs walked from go-live despite it. */
export function takenRegularUpTo(q: SqlRunner, council: string, dpIds: string[], horizon: string): Promise<TakenLineRow[]> {
  return q.query(
    `SELECT dp_id, kind, period_start, NULL AS one_off_id FROM payment_line
      WHERE council = $1 AND kind = 'REGULAR' AND dp_id = ANY ($2) AND period_start <= $3`,
    [council, dpIds, horizon],
  );
}

/** Per DP, its latest REGULAR line that was not cancelled (an index descent each). */
export function latestRegularLines(q: SqlRunner, council: string): Promise<{ dp_id: string; payable_pence: string; period_end: string; payable_days: string; period_days: string }[]> {
  return q.query(
    `SELECT d.dp_id, l.payable_pence, l.period_end, l.facts->>'payableDays' AS payable_days, l.facts->>'periodDays' AS period_days
       FROM direct_payment d
       CROSS JOIN LATERAL (SELECT payable_pence, period_end, facts FROM payment_line l
                            WHERE l.council = d.council AND l.dp_id = d.dp_id AND l.kind = 'REGULAR' AND l.state <> 'CANCELLED'
                            ORDER BY l.period_start DESC LIMIT 1) l
      WHERE d.council = $1`,
    [council],
  );
}

/** Lines an officer released that no run has paid yet. */
export function officerReleasedLines(
  q: SqlRunner,
  council: string,
): Promise<{ id: string; dp_id: string; kind: OfficerReleasedLine['kind']; period_start: string; period_end: string; one_off_id: string | null; payable_pence: string }[]> {
  return q.query(
    `SELECT id, dp_id, kind, period_start, period_end, one_off_id, payable_pence FROM payment_line
      WHERE council = $1 AND state = 'RELEASED' AND released_run_id IS NULL ORDER BY id`,
    [council],
  );
}

export function payeeCarries(q: SqlRunner, council: string): Promise<{ payee_id: string; dp_id: string; amount_pence: string }[]> {
  return q.query(`SELECT payee_id, dp_id, amount_pence FROM payee_carry WHERE council = $1`, [council]);
}

/** Regular totals of the council's runs before `runDate`, newest first. */
export function earlierRunTotals(q: SqlRunner, council: string, runDate: string): Promise<{ regular_totals: Record<string, string> }[]> {
  return q.query(`SELECT regular_totals FROM payment_run WHERE council = $1 AND run_date < $2 ORDER BY run_date DESC, sequence DESC`, [council, runDate]);
}

export function paymentRefCounter(q: SqlRunner, council: string): Promise<{ next: string }[]> {
  return q.query(`SELECT next FROM payment_ref_counter WHERE council = $1`, [council]);
}

/** Released periods of the DPs whose calculation input changed, with what was paid and proposed for recovery. */
export function releasedPeriodGroups(
  q: SqlRunner,
  council: string,
  dpIds: string[],
): Promise<{ dp_id: string; period_start: string; period_end: string; frequency: Frequency; gross: string; contribution: string; payable: string; last_basis: string; recovered: string }[]> {
  return q.query(
    `SELECT l.dp_id, l.period_start, l.period_end, min(l.frequency) AS frequency,
            sum(l.gross_pence) AS gross, sum(l.contribution_pence) AS contribution, sum(l.payable_pence) AS payable,
            (array_agg(l.basis_hash ORDER BY l.id DESC))[1] AS last_basis,
            coalesce((SELECT sum(r.amount_pence) FROM recovery_proposal r
                       WHERE r.council = l.council AND r.dp_id = l.dp_id AND r.period_start = l.period_start
                         AND r.state <> 'REJECTED'), 0) AS recovered
       FROM payment_line l
      WHERE l.council = $1 AND l.dp_id = ANY ($2) AND l.state = 'RELEASED' AND l.released_run_id IS NOT NULL
        AND l.kind IN ('REGULAR', 'ADJUSTMENT')
      GROUP BY l.council, l.dp_id, l.period_start, l.period_end
      ORDER BY l.dp_id, l.period_start`,
    [council, dpIds],
  );
}
