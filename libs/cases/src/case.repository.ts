/**
 * All SQL of the officer-case aggregate (officer_case, officer_case_key, officer_case_evidence,
 * officer_case_event). Callers pass an EntityManager (usually inside a transaction).
 */
import type { EntityManager } from 'typeorm';
import { lockCouncil, updateReturning as returning } from '@dpb/persistence';
import type { CivilDate, Pence } from '@dpb/common';
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
  await lockCouncil(m, 'officer-case', council, kind);
}

/** A finding's key: the same (council, kind, dedup key) never feeds a second case. */
export interface FindingKey {
  council: string;
  kind: CaseKind;
  dedupKey: string;
}

interface CaseKeyRow {
  council: string;
  kind: CaseKind;
  dedup_key: string;
  case_id: string;
}

/** The cases already fed by some of `keys` (one row per recorded key). */
export async function casesByKeys(m: EntityManager, keys: readonly FindingKey[]): Promise<CaseKeyRow[]> {
  if (!keys.length) return [];
  return m.query(
    `SELECT k.council, k.kind, k.dedup_key, k.case_id::text AS case_id
       FROM officer_case_key k
       JOIN (SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::text[]) AS u(council, kind, dedup_key)) u USING (council, kind, dedup_key)`,
    [keys.map((k) => k.council), keys.map((k) => k.kind), keys.map((k) => k.dedupKey)],
  );
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

/** A DP's cases of one kind. */
export interface DpKind {
  council: string;
  dpId: string;
  kind: CaseKind;
}

/** The OPEN and PROPOSED cases of the given DPs and kinds, locked, in id order (the newest last). */
export async function activeCasesOfDps(m: EntityManager, subjects: readonly DpKind[]): Promise<CaseRow[]> {
  if (!subjects.length) return [];
  return m.query(
    `SELECT c.* FROM officer_case c
      WHERE (c.council, c.dp_id, c.kind) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))
        AND c.status IN ('OPEN', 'PROPOSED')
      ORDER BY c.id FOR UPDATE OF c`,
    [subjects.map((s) => s.council), subjects.map((s) => s.dpId), subjects.map((s) => s.kind)],
  );
}

/** `n` new case ids, ascending (the order the cases are opened in). */
export async function newCaseIds(m: EntityManager, n: number): Promise<string[]> {
  if (n <= 0) return [];
  const rows: { id: string }[] = await m.query(`SELECT nextval(pg_get_serial_sequence('officer_case', 'id'))::text AS id FROM generate_series(1, $1::int)`, [n]);
  return rows.map((r) => BigInt(r.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
}

const penceText = (p: Pence | null): string | null => (p === null ? null : p.toString());

/** Inserts cases under ids from `newCaseIds` (one statement). */
export async function insertCases(m: EntityManager, cases: readonly (NewCase & { id: string; updatedOn: CivilDate })[]): Promise<void> {
  if (!cases.length) return;
  await m.query(
    `INSERT INTO officer_case (id, council, dp_id, kind, amount_pence, opened_on, updated_on, escalated, source, detail)
     SELECT u.id, u.council, u.dp_id, u.kind, u.amount_pence, u.opened_on, u.updated_on, u.escalated, u.source, u.detail::jsonb
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::date[], $7::date[], $8::boolean[], $9::text[], $10::text[])
            AS u(id, council, dp_id, kind, amount_pence, opened_on, updated_on, escalated, source, detail)`,
    [
      cases.map((c) => c.id), cases.map((c) => c.council), cases.map((c) => c.dpId), cases.map((c) => c.kind), cases.map((c) => penceText(c.amountPence)),
      cases.map((c) => c.on), cases.map((c) => c.updatedOn), cases.map((c) => c.escalated), cases.map((c) => c.source), cases.map((c) => JSON.stringify(c.detail)),
    ],
  );
}

/** Records findings' keys for their cases; answers the keys inserted (a key already taken by any case is not). */
export async function insertCaseKeys(m: EntityManager, keys: readonly (FindingKey & { caseId: string })[]): Promise<FindingKey[]> {
  if (!keys.length) return [];
  const rows = await returning<CaseKeyRow>(
    m,
    `INSERT INTO officer_case_key (council, kind, dedup_key, case_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
     ON CONFLICT DO NOTHING RETURNING council, kind, dedup_key`,
    [keys.map((k) => k.council), keys.map((k) => k.kind), keys.map((k) => k.dedupKey), keys.map((k) => k.caseId)],
  );
  return rows.map((r) => ({ council: r.council, kind: r.kind, dedupKey: r.dedup_key }));
}

/** Appends evidence in the order given (each type + id once per case); answers how many were new. */
export async function appendEvidence(m: EntityManager, evidence: readonly (CaseEvidence & { caseId: string })[]): Promise<number> {
  if (!evidence.length) return 0;
  const rows = await returning<{ ref: string }>(
    m,
    `INSERT INTO officer_case_evidence (case_id, type, ref)
     SELECT e.case_id, e.type, e.ref FROM unnest($1::bigint[], $2::text[], $3::text[]) WITH ORDINALITY AS e(case_id, type, ref, n) ORDER BY e.n
     ON CONFLICT DO NOTHING RETURNING ref`,
    [evidence.map((e) => e.caseId), evidence.map((e) => e.type), evidence.map((e) => e.id)],
  );
  return rows.length;
}

/** Findings' updates of active cases, one per case: amount (null = keep), escalation, updated_on, detail merged. */
export async function updateFromFindings(
  m: EntityManager,
  updates: readonly { caseId: string; amountPence: Pence | null; escalate: boolean; on: CivilDate; detail: CaseDetail }[],
): Promise<void> {
  if (!updates.length) return;
  await m.query(
    `UPDATE officer_case c SET amount_pence = coalesce(u.amount_pence, c.amount_pence), escalated = c.escalated OR u.escalate,
            updated_on = greatest(c.updated_on, u.on_date), detail = c.detail || u.detail::jsonb
       FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::date[], $5::text[]) AS u(id, amount_pence, escalate, on_date, detail)
      WHERE c.id = u.id`,
    [updates.map((u) => u.caseId), updates.map((u) => penceText(u.amountPence)), updates.map((u) => u.escalate), updates.map((u) => u.on), updates.map((u) => JSON.stringify(u.detail))],
  );
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

/** Appends history rows, in the order given. */
export async function insertCaseEvents(m: EntityManager, events: readonly NewCaseEvent[]): Promise<void> {
  if (!events.length) return;
  await m.query(
    `INSERT INTO officer_case_event (case_id, actor, action, outcome, status_before, status_after, amount_pence, reason, detail)
     SELECT e.case_id, e.actor, e.action, e.outcome, e.status_before, e.status_after, e.amount_pence, e.reason, e.detail::jsonb
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[])
            WITH ORDINALITY AS e(case_id, actor, action, outcome, status_before, status_after, amount_pence, reason, detail, n)
      ORDER BY e.n`,
    [
      events.map((e) => e.caseId), events.map((e) => e.actor), events.map((e) => e.action), events.map((e) => e.outcome), events.map((e) => e.statusBefore),
      events.map((e) => e.statusAfter), events.map((e) => penceText(e.amountPence)), events.map((e) => e.reason ?? null), events.map((e) => JSON.stringify(e.detail ?? {})),
    ],
  );
}

export function insertCaseEvent(m: EntityManager, e: NewCaseEvent): Promise<void> {
  return insertCaseEvents(m, [e]);
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
export async function dpsWithOpenDeathCase(m: Pick<EntityManager, 'query'>, council: string): Promise<Set<string>> {
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
