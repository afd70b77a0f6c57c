/**
 * All SQL of the officer-case aggregate (officer_case, officer_case_key, officer_case_evidence,
 * officer_case_event). Callers pass an EntityManager (usually inside a transaction).
 */
import type { EntityManager } from 'typeorm';
import type { CivilDate, Pence } from '@dpb/common';
import { updateReturning as returning } from '@dpb/payments/officer/db';
import type { CaseDetail, CaseEvent, CaseEvidence, CaseFilters, CaseKind, CaseStatus, CaseSummary } from './model';

export interface CaseRow {
  id: string;
  council: string;
  dp_id: string | null;
  kind: CaseKind;
  status: CaseStatus;
  amount_pence: string | null;
  opened_on: string;
  updated_on: string;
  escalated: boolean;
  source: string;
  detail: CaseDetail;
  proposed_by: string | null;
  proposed_at: Date | null;
  decided_by: string | null;
  decided_at: Date | null;
  closed_by: string | null;
  closed_at: Date | null;
}

interface EvidenceRow {
  case_id: string;
  type: string;
  ref: string;
}

interface EventRow {
  at: Date;
  actor: string;
  action: CaseEvent['action'];
  outcome: CaseEvent['outcome'];
  status_before: CaseStatus | null;
  status_after: CaseStatus | null;
  amount_pence: string | null;
  reason: string | null;
}

export interface NewCase {
  council: string;
  dpId: string | null;
  kind: CaseKind;
  amountPence: Pence | null;
  on: CivilDate;
  escalated: boolean;
  source: string;
  detail: CaseDetail;
}

export interface NewCaseEvent {
  caseId: string;
  actor: string;
  action: CaseEvent['action'];
  outcome: CaseEvent['outcome'];
  statusBefore: CaseStatus | null;
  statusAfter: CaseStatus | null;
  amountPence: Pence | null;
  reason?: string | null;
  detail?: CaseDetail;
}

const pence = (v: string | null): Pence | null => (v === null ? null : BigInt(v));

export function toSummary(r: CaseRow, evidence: CaseEvidence[]): CaseSummary {
  return {
    id: r.id,
    council: r.council,
    dpId: r.dp_id,
    kind: r.kind,
    status: r.status,
    amountPence: pence(r.amount_pence),
    openedOn: r.opened_on,
    updatedOn: r.updated_on,
    escalated: r.escalated,
    source: r.source,
    proposedBy: r.proposed_by,
    decidedBy: r.decided_by,
    closedBy: r.closed_by,
    evidence,
    detail: r.detail ?? {},
  };
}

/** Serialises finding writes per council and kind (a second worker waits, then finds the key). */
export async function lockCaseKind(m: EntityManager, council: string, kind: CaseKind): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('officer-case:' || $1 || ':' || $2, 0))`, [council, kind]);
}

export async function caseIdByKey(m: EntityManager, council: string, kind: CaseKind, dedupKey: string): Promise<string | null> {
  const [r]: { case_id: string }[] = await m.query(`SELECT case_id FROM officer_case_key WHERE council = $1 AND kind = $2 AND dedup_key = $3`, [council, kind, dedupKey]);
  return r?.case_id ?? null;
}

/** Of `keys`, those that already opened or updated a case (of the council and kind). */
export async function knownKeys(m: EntityManager, council: string, kind: CaseKind, keys: readonly string[]): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows: { dedup_key: string }[] = await m.query(
    `SELECT dedup_key FROM officer_case_key WHERE council = $1 AND kind = $2 AND dedup_key = ANY($3::text[])`,
    [council, kind, keys],
  );
  return new Set(rows.map((r) => r.dedup_key));
}

/** The DP's newest OPEN or PROPOSED case of a kind, locked. */
export async function activeCaseOfDp(m: EntityManager, council: string, dpId: string, kind: CaseKind): Promise<CaseRow | null> {
  const [r]: CaseRow[] = await m.query(
    `SELECT * FROM officer_case WHERE council = $1 AND dp_id = $2 AND kind = $3 AND status IN ('OPEN', 'PROPOSED') ORDER BY id DESC LIMIT 1 FOR UPDATE`,
    [council, dpId, kind],
  );
  return r ?? null;
}

export async function insertCase(m: EntityManager, c: NewCase): Promise<CaseRow> {
  const [r]: CaseRow[] = await m.query(
    `INSERT INTO officer_case (council, dp_id, kind, amount_pence, opened_on, updated_on, escalated, source, detail)
     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) RETURNING *`,
    [c.council, c.dpId, c.kind, c.amountPence === null ? null : c.amountPence.toString(), c.on, c.escalated, c.source, JSON.stringify(c.detail)],
  );
  return r;
}

/** Records a finding's key for a case; false when the key was already taken (by any case). */
export async function insertCaseKey(m: EntityManager, council: string, kind: CaseKind, dedupKey: string, caseId: string): Promise<boolean> {
  const rows = await returning<{ case_id: string }>(
    m,
    `INSERT INTO officer_case_key (council, kind, dedup_key, case_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING case_id`,
    [council, kind, dedupKey, caseId],
  );
  return rows.length === 1;
}

/** Appends evidence (each type + id once per case); answers how many were new. */
export async function appendEvidence(m: EntityManager, caseId: string, evidence: readonly CaseEvidence[]): Promise<number> {
  if (!evidence.length) return 0;
  const rows = await returning<{ ref: string }>(
    m,
    `INSERT INTO officer_case_evidence (case_id, type, ref)
     SELECT $1, e.type, e.ref FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS e(type, ref, n) ORDER BY e.n
     ON CONFLICT DO NOTHING RETURNING ref`,
    [caseId, evidence.map((e) => e.type), evidence.map((e) => e.id)],
  );
  return rows.length;
}

/** A finding's update of an active case: amount (null = keep), escalation, updated_on, detail merged. */
export async function updateFromFinding(
  m: EntityManager,
  caseId: string,
  u: { amountPence: Pence | null; escalate: boolean; on: CivilDate; detail: CaseDetail },
): Promise<CaseRow> {
  const [r] = await returning<CaseRow>(
    m,
    `UPDATE officer_case SET amount_pence = coalesce($2, amount_pence), escalated = escalated OR $3,
            updated_on = greatest(updated_on, $4::date), detail = detail || $5::jsonb
      WHERE id = $1 RETURNING *`,
    [caseId, u.amountPence === null ? null : u.amountPence.toString(), u.escalate, u.on, JSON.stringify(u.detail)],
  );
  return r;
}

export async function caseById(m: EntityManager, id: string, forUpdate = false): Promise<CaseRow | null> {
  const [r]: CaseRow[] = await m.query(`SELECT * FROM officer_case WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r ?? null;
}

export async function setProposed(m: EntityManager, id: string, by: string, amountPence: Pence | null): Promise<CaseRow> {
  const [r] = await returning<CaseRow>(
    m,
    `UPDATE officer_case SET status = 'PROPOSED', proposed_by = $2, proposed_at = now(), amount_pence = coalesce($3, amount_pence),
            decided_by = NULL, decided_at = NULL
      WHERE id = $1 RETURNING *`,
    [id, by, amountPence === null ? null : amountPence.toString()],
  );
  return r;
}

export async function setDecided(m: EntityManager, id: string, status: 'APPROVED' | 'REJECTED', by: string): Promise<CaseRow> {
  const [r] = await returning<CaseRow>(
    m,
    `UPDATE officer_case SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1 AND status = 'PROPOSED' RETURNING *`,
    [id, status, by],
  );
  return r;
}

export async function setClosed(m: EntityManager, id: string, by: string): Promise<CaseRow> {
  const [r] = await returning<CaseRow>(m, `UPDATE officer_case SET status = 'CLOSED', closed_by = $2, closed_at = now() WHERE id = $1 RETURNING *`, [id, by]);
  return r;
}

export async function insertCaseEvent(m: EntityManager, e: NewCaseEvent): Promise<void> {
  await m.query(
    `INSERT INTO officer_case_event (case_id, actor, action, outcome, status_before, status_after, amount_pence, reason, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.caseId, e.actor, e.action, e.outcome, e.statusBefore, e.statusAfter, e.amountPence === null ? null : e.amountPence.toString(), e.reason ?? null, JSON.stringify(e.detail ?? {})],
  );
}

export async function listCaseRows(m: EntityManager, f: CaseFilters): Promise<CaseRow[]> {
  const where: string[] = ['true'];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (f.council) add('council = ?', f.council);
  if (f.dpId) add('dp_id = ?', f.dpId);
  if (f.kind) add('kind = ?', f.kind);
  if (f.status) add('status = ?', f.status);
  const limit = Math.min(Math.max(f.limit ?? 500, 1), 5000);
  return m.query(`SELECT * FROM officer_case WHERE ${where.join(' AND ')} ORDER BY opened_on DESC, id DESC LIMIT ${limit}`, args);
}

/** Evidence of several cases, in the order it was added. */
export async function evidenceOf(m: EntityManager, caseIds: readonly string[]): Promise<Map<string, CaseEvidence[]>> {
  const out = new Map<string, CaseEvidence[]>();
  if (!caseIds.length) return out;
  const rows: EvidenceRow[] = await m.query(`SELECT case_id, type, ref FROM officer_case_evidence WHERE case_id = ANY($1::bigint[]) ORDER BY case_id, seq`, [caseIds]);
  for (const r of rows) {
    const list = out.get(r.case_id) ?? [];
    list.push({ type: r.type, id: r.ref });
    out.set(r.case_id, list);
  }
  return out;
}

export async function historyOf(m: EntityManager, caseId: string): Promise<CaseEvent[]> {
  const rows: EventRow[] = await m.query(
    `SELECT at, actor, action, outcome, status_before, status_after, amount_pence, reason FROM officer_case_event WHERE case_id = $1 ORDER BY id`,
    [caseId],
  );
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    outcome: r.outcome,
    statusBefore: r.status_before,
    statusAfter: r.status_after,
    amountPence: pence(r.amount_pence),
    reason: r.reason,
  }));
}

/** DPs named by a DEATH case not yet CLOSED (its DP and its `dp` evidence): their lines are held until an officer closes it. */
export async function dpsWithOpenDeathCase(m: EntityManager, council: string): Promise<Set<string>> {
  const rows: { dp_id: string }[] = await m.query(
    `SELECT c.dp_id FROM officer_case c WHERE c.council = $1 AND c.kind = 'DEATH' AND c.status <> 'CLOSED' AND c.dp_id IS NOT NULL
     UNION
     SELECT e.ref FROM officer_case c JOIN officer_case_evidence e ON e.case_id = c.id AND e.type = 'dp'
      WHERE c.council = $1 AND c.kind = 'DEATH' AND c.status <> 'CLOSED'`,
    [council],
  );
  return new Set(rows.map((r) => r.dp_id));
}

/** Counts of cases by kind a source opened on a date (the night summary). */
export async function casesOpenedOn(m: EntityManager, council: string, on: CivilDate, source: string): Promise<Record<string, number>> {
  const rows: { kind: string; n: number }[] = await m.query(
    `SELECT kind, count(*)::int AS n FROM officer_case WHERE council = $1 AND opened_on = $2 AND source = $3 GROUP BY kind ORDER BY kind`,
    [council, on, source],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}
