/**
 * The officer_action audit trail: one row per decision (done, already done, or refused).
 * Only ids, states and rule names go in; never personal data.
 */
import type { EntityManager } from 'typeorm';

export type OfficerActionKind = 'LINE_RELEASE' | 'LINE_CANCEL' | 'RUN_RELEASE' | 'RUN_APPROVE';

export interface OfficerActionRow {
  council: string;
  action: OfficerActionKind;
  subjectKind: 'LINE' | 'RUN';
  subjectId: string;
  officer: string;
  outcome: 'DONE' | 'ALREADY_DONE' | 'REFUSED';
  stateBefore: string | null;
  stateAfter: string | null;
  /** A refusal code or the officer's own reason for a cancellation. */
  reason?: string | null;
  detail?: Record<string, string | number | boolean | null | string[]>;
}

export async function recordOfficerAction(m: EntityManager, a: OfficerActionRow): Promise<void> {
  await m.query(
    `INSERT INTO officer_action (council, action, subject_kind, subject_id, officer, outcome, state_before, state_after, reason, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [a.council, a.action, a.subjectKind, a.subjectId, a.officer, a.outcome, a.stateBefore, a.stateAfter, a.reason ?? null, JSON.stringify(a.detail ?? {})],
  );
}

export interface OfficerActionView extends Omit<OfficerActionRow, 'reason' | 'detail'> {
  id: string;
  reason: string | null;
  at: string;
}

/** The audit rows for one line or run, oldest first. */
export async function listOfficerActions(m: EntityManager, subjectKind: 'LINE' | 'RUN', subjectId: string): Promise<OfficerActionView[]> {
  const rows: {
    id: string; council: string; action: OfficerActionKind; subject_kind: 'LINE' | 'RUN'; subject_id: string; officer: string;
    outcome: OfficerActionView['outcome']; state_before: string | null; state_after: string | null; reason: string | null; at: Date;
  }[] = await m.query(`SELECT * FROM officer_action WHERE subject_kind = $1 AND subject_id = $2 ORDER BY id`, [subjectKind, subjectId]);
  return rows.map((r) => ({
    id: r.id,
    council: r.council,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    officer: r.officer,
    outcome: r.outcome,
    stateBefore: r.state_before,
    stateAfter: r.state_after,
    reason: r.reason,
    at: new Date(r.at).toISOString(),
  }));
}
