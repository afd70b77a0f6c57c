/**
 * SQL of officers' liabilities (`dp_liability`) and their insert-only trail (`liability_action`).
 * A liability is never deleted: removal records who removed it and from which day.
 */
import type { EntityManager } from 'typeorm';
import type { CivilDate } from '@dpb/common';

export const LIABILITY_KINDS = ['WAGES', 'HMRC', 'PENSION', 'INVOICE', 'OTHER'] as const;
export type LiabilityKind = (typeof LIABILITY_KINDS)[number];

interface LiabilityRow {
  id: string;
  council: string;
  dp_id: string;
  kind: LiabilityKind;
  amount_pence: string;
  owed_on: string;
  recorded_by: string;
  recorded_at: Date;
  removed_by: string | null;
  removed_on: string | null;
}

export interface Liability {
  id: string;
  council: string;
  dpId: string;
  kind: LiabilityKind;
  amountPence: bigint;
  owedOn: CivilDate;
  recordedBy: string;
  recordedAt: string;
  removedBy: string | null;
  removedOn: CivilDate | null;
}

const SELECT = `SELECT id::text, council, dp_id, kind, amount_pence::text, owed_on::text, recorded_by, recorded_at, removed_by, removed_on::text FROM dp_liability`;

function fromRow(r: LiabilityRow): Liability {
  return {
    id: r.id,
    council: r.council,
    dpId: r.dp_id,
    kind: r.kind,
    amountPence: BigInt(r.amount_pence),
    owedOn: r.owed_on,
    recordedBy: r.recorded_by,
    recordedAt: new Date(r.recorded_at).toISOString(),
    removedBy: r.removed_by,
    removedOn: r.removed_on,
  };
}

export async function dpExists(m: EntityManager, council: string, dpId: string): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM direct_payment WHERE council = $1 AND dp_id = $2`, [council, dpId]);
  return rows.length > 0;
}

export async function insertLiability(
  m: EntityManager,
  l: { council: string; dpId: string; kind: LiabilityKind; amountPence: bigint; owedOn: CivilDate; officer: string },
): Promise<Liability> {
  const [row]: LiabilityRow[] = await m.query(
    `INSERT INTO dp_liability (council, dp_id, kind, amount_pence, owed_on, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id::text, council, dp_id, kind, amount_pence::text, owed_on::text, recorded_by, recorded_at, removed_by, removed_on::text`,
    [l.council, l.dpId, l.kind, l.amountPence.toString(), l.owedOn, l.officer],
  );
  return fromRow(row);
}

/** The liability, locked for update. */
export async function lockLiability(m: EntityManager, id: string): Promise<Liability | null> {
  const rows: LiabilityRow[] = await m.query(`${SELECT} WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function markRemoved(m: EntityManager, id: string, officer: string, removedOn: CivilDate): Promise<void> {
  await m.query(`UPDATE dp_liability SET removed_by = $2, removed_on = $3, removed_at = now() WHERE id = $1 AND removed_by IS NULL`, [id, officer, removedOn]);
}

export async function listLiabilities(m: EntityManager, f: { council?: string; dpId?: string; includeRemoved?: boolean }): Promise<Liability[]> {
  const rows: LiabilityRow[] = await m.query(
    `${SELECT} WHERE ($1::text IS NULL OR council = $1) AND ($2::text IS NULL OR dp_id = $2) AND ($3 OR removed_by IS NULL)
      ORDER BY council, dp_id, id`,
    [f.council ?? null, f.dpId ?? null, f.includeRemoved ?? false],
  );
  return rows.map(fromRow);
}

export interface LiabilityActionRow {
  council: string;
  liabilityId: string | null;
  dpId: string;
  action: 'ADD' | 'REMOVE';
  officer: string;
  outcome: 'DONE' | 'ALREADY_DONE' | 'REFUSED';
  via: string;
  reason?: string | null;
}

export async function recordLiabilityAction(m: EntityManager, a: LiabilityActionRow): Promise<void> {
  await m.query(
    `INSERT INTO liability_action (council, liability_id, dp_id, action, officer, outcome, via, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [a.council, a.liabilityId, a.dpId, a.action, a.officer, a.outcome, a.via, a.reason ?? null],
  );
}
