/**
 * All SQL of a case's recovery (recovery_choice, recovery_deduction): how an APPROVED case is
 * recovered (INVOICE or OFFSET, chosen once) and what payment runs took back for OFFSET cases.
 * Imports only types of payments (the payment run loads and stores through it, so no cycle).
 */
import type { EntityManager } from 'typeorm';
import type { CivilDate, Pence } from '@dpb/common';
import type { CaseRecoveryView } from './model';
import type { OpenOffsetRecovery, RecoveryDeduction } from '@dpb/payments/rules/recovery-offset';
import { managerOf as mgr, type Db } from '@dpb/persistence';

export type RecoveryMethod = 'INVOICE' | 'OFFSET';

export interface RecoveryChoice {
  council: string;
  caseId: string;
  dpId: string;
  method: RecoveryMethod;
  reason: string;
  amountPence: Pence;
  chosenOn: CivilDate;
}

/** A case's recovery as `dpbridge cases show` prints it (recoveredPence: OFFSET, taken from payments so far; INVOICE, what finance's open items say the person paid). */
export type CaseRecovery = CaseRecoveryView;

/** Records each case's method; a case that has one keeps it. Returns every case's method (new or old) and the cases chosen now. */
export async function chooseRecoveryMethods(
  m: EntityManager,
  choices: readonly RecoveryChoice[],
): Promise<{ methods: Map<string, RecoveryMethod>; chosenNow: Set<string> }> {
  if (!choices.length) return { methods: new Map(), chosenNow: new Set() };
  const council = choices[0].council;
  const inserted: { case_id: string }[] = await m.query(
    `INSERT INTO recovery_choice (council, case_id, dp_id, method, reason, amount_pence, chosen_on)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::date[])
     ON CONFLICT (council, case_id) DO NOTHING RETURNING case_id`,
    [council, choices.map((c) => c.caseId), choices.map((c) => c.dpId), choices.map((c) => c.method), choices.map((c) => c.reason),
      choices.map((c) => c.amountPence.toString()), choices.map((c) => c.chosenOn)],
  );
  const rows: { case_id: string; method: RecoveryMethod }[] = await m.query(
    `SELECT case_id, method FROM recovery_choice WHERE council = $1 AND case_id = ANY($2::text[])`,
    [council, choices.map((c) => c.caseId)],
  );
  return { methods: new Map(rows.map((r) => [r.case_id, r.method])), chosenNow: new Set(inserted.map((r) => r.case_id)) };
}

/**
 * OFFSET cases of the council with an amount still outstanding, by case id. `db` may be any query
 * runner (the payment run's load passes its one-query-at-a-time queue).
 */
export async function openOffsetRecoveries(db: Db | Pick<EntityManager, 'query'>, council: string): Promise<OpenOffsetRecovery[]> {
  const rows: { case_id: string; dp_id: string; reason: string; outstanding: string }[] = await db.query(
    `SELECT c.case_id, c.dp_id, c.reason, (c.amount_pence - coalesce(sum(d.amount_pence), 0))::text AS outstanding
       FROM recovery_choice c LEFT JOIN recovery_deduction d ON d.council = c.council AND d.case_id = c.case_id
      WHERE c.council = $1 AND c.method = 'OFFSET'
      GROUP BY c.council, c.case_id, c.dp_id, c.reason, c.amount_pence
     HAVING c.amount_pence > coalesce(sum(d.amount_pence), 0)
      ORDER BY c.case_id::bigint`,
    [council],
  );
  return rows.map((r) => ({ caseId: r.case_id, dpId: r.dp_id, reason: r.reason, outstandingPence: BigInt(r.outstanding) }));
}

/** A run's deductions (the primary key refuses a second one per case and run). */
export async function insertDeductions(m: EntityManager, council: string, runId: string, deductions: readonly RecoveryDeduction[]): Promise<void> {
  if (!deductions.length) return;
  await m.query(
    `INSERT INTO recovery_deduction (council, case_id, run_id, dp_id, amount_pence, outstanding_pence)
     SELECT $1, c, $2, d, a, o FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS u (c, d, a, o)`,
    [council, runId, deductions.map((d) => d.caseId), deductions.map((d) => d.dpId), deductions.map((d) => d.amountPence.toString()),
      deductions.map((d) => d.outstandingPence.toString())],
  );
}

/** What a run took back, by DP and case. */
export async function deductionsOfRun(db: Db, runId: string, dpId?: string): Promise<RecoveryDeduction[]> {
  const rows: { case_id: string; dp_id: string; reason: string; amount_pence: string; outstanding_pence: string }[] = await mgr(db).query(
    `SELECT d.case_id, d.dp_id, c.reason, d.amount_pence::text, d.outstanding_pence::text
       FROM recovery_deduction d JOIN recovery_choice c ON c.council = d.council AND c.case_id = d.case_id
      WHERE d.run_id = $1 AND ($2::text IS NULL OR d.dp_id = $2)
      ORDER BY d.dp_id, d.case_id::bigint`,
    [runId, dpId ?? null],
  );
  return rows.map((r) => ({ caseId: r.case_id, dpId: r.dp_id, reason: r.reason, amountPence: BigInt(r.amount_pence), outstandingPence: BigInt(r.outstanding_pence) }));
}

/** How a case is being recovered (null: not chosen yet, i.e. not approved or not yet seen by the reclaim stage). */
export async function recoveryOfCase(db: Db, council: string, caseId: string): Promise<CaseRecovery | null> {
  const m = mgr(db);
  const [c]: { method: RecoveryMethod; reason: string; amount_pence: string }[] = await m.query(
    `SELECT method, reason, amount_pence::text FROM recovery_choice WHERE council = $1 AND case_id = $2`,
    [council, caseId],
  );
  if (!c) return null;
  const amount = BigInt(c.amount_pence);
  const ds: { run_id: string; amount_pence: string }[] = await m.query(
    `SELECT d.run_id, d.amount_pence::text FROM recovery_deduction d JOIN payment_run r ON r.run_id = d.run_id
      WHERE d.council = $1 AND d.case_id = $2 ORDER BY r.run_date, d.run_id`,
    [council, caseId],
  );
  const [inv]: { paid_pence: string }[] = await m.query(
    `SELECT paid_pence::text FROM invoice WHERE council = $1 AND case_id = $2 AND kind = 'RECOVERY'`,
    [council, caseId],
  );
  const deductions = ds.map((d) => ({ runId: d.run_id, amountPence: BigInt(d.amount_pence) }));
  const recovered = c.method === 'OFFSET' ? deductions.reduce((t, d) => t + d.amountPence, 0n) : inv ? BigInt(inv.paid_pence) : 0n;
  return {
    method: c.method, reason: c.reason, amountPence: amount, recoveredPence: recovered, outstandingPence: amount - recovered,
    fullyRecovered: recovered >= amount, deductions,
  };
}

/**
 * OFFSET cases with an amount outstanding whose DP has no later payments to take it from: the DP
 * ended before `night`, or is no longer in the care records. Left for an officer (docs/reclaims.md).
 */
export async function stalledOffsetRecoveries(db: Db, council: string, night: CivilDate): Promise<string[]> {
  const rows: { case_id: string }[] = await mgr(db).query(
    `SELECT c.case_id FROM recovery_choice c
       LEFT JOIN direct_payment p ON p.council = c.council AND p.dp_id = c.dp_id
      WHERE c.council = $1 AND c.method = 'OFFSET' AND (p.dp_id IS NULL OR p.end_date < $2)
        AND c.amount_pence > (SELECT coalesce(sum(d.amount_pence), 0) FROM recovery_deduction d WHERE d.council = c.council AND d.case_id = c.case_id)
      ORDER BY c.case_id::bigint`,
    [council, night],
  );
  return rows.map((r) => r.case_id);
}
