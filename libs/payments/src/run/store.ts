/**
 * Writes a planned run in the run's transaction: bulk statements of at most CHUNK rows through
 * jsonb_to_recordset (one parameter per statement, whatever the row count).
 */
import type { EntityManager } from 'typeorm';
import { toCanonical } from '@dpb/common';
import type { LoadedDp, RunPlan } from './plan';

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
}

export async function storePlan(m: EntityManager, run: RunRow, plan: RunPlan, dps: LoadedDp[]): Promise<void> {
  const totals: Record<string, string> = {};
  for (const [f, v] of plan.regularTotals) totals[f] = v.toString();
  await m.query(
    `INSERT INTO payment_run (run_id, council, run_date, sequence, state, hold_reasons, regular_totals)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [run.runId, run.council, run.runDate, run.sequence, run.state, run.holdReasons, JSON.stringify(totals)],
  );

  // Credits first (lines point at them).
  const creditIds = new Map<number, string>();
  if (plan.credits.length) {
    const rows = plan.credits.map((c) => ({
      council: run.council,
      run_id: run.runId,
      payee_id: c.payeeId,
      channel: c.channel,
      vendor_no: c.vendorNo,
      sort_code: c.sortCode,
      account_number: c.accountNumber,
      account_name: c.accountName,
      bank_hash: c.bankHash,
      card_provider: c.cardProvider,
      card_account_ref: c.cardAccountRef,
      payment_ref: c.paymentRef,
      end_to_end_id: c.endToEndId,
      amount_pence: c.amountPence,
    }));
    for (let i = 0; i < rows.length; i += CHUNK) {
      const got: { id: string; payment_ref: string }[] = await m.query(
        `INSERT INTO credit (council, run_id, payee_id, channel, vendor_no, sort_code, account_number, account_name,
                             bank_hash, card_provider, card_account_ref, payment_ref, end_to_end_id, amount_pence)
         SELECT council, run_id, payee_id, channel, vendor_no, sort_code, account_number, account_name,
                bank_hash, card_provider, card_account_ref, payment_ref, end_to_end_id, amount_pence
           FROM jsonb_populate_recordset(NULL::credit, $1::jsonb)
         RETURNING id, payment_ref`,
        [JSON.stringify(toCanonical(rows.slice(i, i + CHUNK)))],
      );
      const byRef = new Map(got.map((g) => [g.payment_ref, g.id]));
      for (const c of plan.credits.slice(i, i + CHUNK)) creditIds.set(c.index, byRef.get(c.paymentRef)!);
    }
  }

  const offsets = plan.credits.flatMap((c) =>
    c.fileLines
      .filter((l) => l.payablePence < 0n)
      .map((l) => ({ credit_id: creditIds.get(c.index), dp_id: l.dpId, period_start: l.periodStart, period_end: l.periodEnd, cost_centre: l.costCentre, gl_account: l.glAccount, amount_pence: l.payablePence })),
  );
  await insertRows(
    m,
    `INSERT INTO credit_offset (credit_id, dp_id, period_start, period_end, cost_centre, gl_account, amount_pence)
     SELECT credit_id, dp_id, period_start, period_end, cost_centre, gl_account, amount_pence
       FROM jsonb_populate_recordset(NULL::credit_offset, $1::jsonb)`,
    offsets,
  );

  await insertRows(
    m,
    `INSERT INTO payment_line (council, run_id, dp_id, person_id, payee_id, kind, frequency, cost_centre, gl_account,
                               period_start, period_end, one_off_id, cause_extract, gross_pence, contribution_pence,
                               payable_pence, state, hold_reasons, basis_hash, released_run_id, credit_id, facts)
     SELECT council, run_id, dp_id, person_id, payee_id, kind, frequency, cost_centre, gl_account,
            period_start, period_end, one_off_id, cause_extract, gross_pence, contribution_pence,
            payable_pence, state, hold_reasons, basis_hash, released_run_id, credit_id, facts
       FROM jsonb_populate_recordset(NULL::payment_line, $1::jsonb)`,
    plan.lines.map((l) => ({
      council: run.council,
      run_id: run.runId,
      dp_id: l.dpId,
      person_id: l.personId,
      payee_id: l.payeeId,
      kind: l.kind,
      frequency: l.frequency,
      cost_centre: l.costCentre,
      gl_account: l.glAccount,
      period_start: l.periodStart,
      period_end: l.periodEnd,
      one_off_id: l.oneOffId,
      cause_extract: l.causeExtract,
      gross_pence: l.grossPence,
      contribution_pence: l.contributionPence,
      payable_pence: l.payablePence,
      state: l.holdReasons.length ? 'HELD' : 'RELEASED',
      hold_reasons: l.holdReasons,
      basis_hash: l.basisHash,
      released_run_id: l.holdReasons.length ? null : run.runId,
      credit_id: l.creditIndex ? creditIds.get(l.creditIndex) : null,
      facts: l.facts,
    })),
  );

  for (const o of plan.officerLines) {
    await m.query(
      `UPDATE payment_line SET gross_pence = $2, contribution_pence = $3, payable_pence = $4,
              released_run_id = $5, credit_id = $6 WHERE id = $1`,
      [o.id, o.grossPence.toString(), o.contributionPence.toString(), o.payablePence.toString(), run.runId, o.creditIndex ? creditIds.get(o.creditIndex) : null],
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

  // Calculation inputs behind the lines (for `dpbridge explain`) and the basis each DP's paid
  // periods were last checked against.
  const touchedDps = new Set<string>([...plan.lines.map((l) => l.dpId), ...plan.recoveries.map((r) => r.dpId)]);
  const officerDps = await dpsOfLines(m, plan.officerLines.map((o) => o.id));
  officerDps.forEach((d) => touchedDps.add(d));
  const current = dps.filter((d) => touchedDps.has(d.calc.dpId));
  const checkedRows = current.map((d) => ({ council: run.council, dp_id: d.calc.dpId, basis_hash: d.basisHash }));
  await insertRows(
    m,
    `INSERT INTO dp_checked_basis (council, dp_id, basis_hash)
     SELECT council, dp_id, basis_hash FROM jsonb_populate_recordset(NULL::dp_checked_basis, $1::jsonb)
     ON CONFLICT (council, dp_id) DO UPDATE SET basis_hash = EXCLUDED.basis_hash`,
    checkedRows,
  );
  const basisRows = current.map((d) => ({ basis_hash: d.basisHash, council: run.council, dp_id: d.calc.dpId, calc: toCanonical(d.calc) }));
  await insertRows(
    m,
    `INSERT INTO calc_basis (basis_hash, council, dp_id, calc)
     SELECT basis_hash, council, dp_id, calc FROM jsonb_populate_recordset(NULL::calc_basis, $1::jsonb)
     ON CONFLICT (basis_hash) DO NOTHING`,
    basisRows,
  );
}

async function dpsOfLines(m: EntityManager, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows: { dp_id: string }[] = await m.query(`SELECT DISTINCT dp_id FROM payment_line WHERE id = ANY ($1)`, [ids]);
  return rows.map((r) => r.dp_id);
}
