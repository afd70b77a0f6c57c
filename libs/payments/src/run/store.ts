/**
 * Writes a planned run in the run's transaction: credits, lines, offsets, checked bases and
 * calculation inputs by COPY; the small rest (recoveries, carried offsets) by statements of at
 * most CHUNK rows through jsonb_populate_recordset (one parameter per statement).
 */
import type { EntityManager } from 'typeorm';
import { copyRows, type CopyValue } from '@dpb/persistence';
import { toCanonical } from '@dpb/common';
import type { LoadedDp, RunPlan } from './plan';
import { calcToJson } from '../officer/explain-amount';
// The recovery repository imports nothing of payments but officer/db.ts (no cycle).
import { insertDeductions } from '@dpb/cases/recovery.repository';

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

/** Stores the plan; returns the stored credits' ids by plan credit index. */
export async function storePlan(m: EntityManager, run: RunRow, plan: RunPlan, dps: LoadedDp[]): Promise<Map<number, string>> {
  const totals: Record<string, string> = {};
  for (const [f, v] of plan.regularTotals) totals[f] = v.toString();
  await m.query(
    `INSERT INTO payment_run (run_id, council, run_date, sequence, state, hold_reasons, regular_totals, period_grid)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [run.runId, run.council, run.runDate, run.sequence, run.state, run.holdReasons, JSON.stringify(totals), run.periodGrid],
  );

  // Credits first (lines point at them): ids drawn from the sequence, rows loaded by COPY.
  const creditIds = new Map<number, string>();
  if (plan.credits.length) {
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
  }
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

  // Recomputed now and paid under the DP's current payee and coding (as the files show it): one
  // statement for all of them.
  if (plan.officerLines.length) {
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

  // What the run took back for APPROVED cases recovered by offset (once per case and run).
  await insertDeductions(m, run.council, run.runId, plan.deductions);

  // Offsets still owed, per payee and DP.
  const touched = [...plan.carry.keys()];
  if (touched.length) {
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

  await m.query(
    `INSERT INTO payment_ref_counter (council, next) VALUES ($1, $2)
     ON CONFLICT (council) DO UPDATE SET next = EXCLUDED.next`,
    [run.council, plan.nextRefSeq.toString()],
  );

  // The calculation input every DP was planned with, where it differs from the one recorded: the
  // next run's horizon (load.ts) and its re-check of paid periods rely on it. The input itself
  // goes to calc_basis (for `dpbridge explain`) once a line or recovery of the DP needs it. On a
  // quiet night, a handful of rows.
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
  return creditIds;
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
