import type { EntityManager } from 'typeorm';

/**
 * Transaction-scoped advisory locks, one helper for every aggregate. A lock is named by a scope
 * and the parts that narrow it (council first), joined with ':' into a text key; PostgreSQL turns
 * the key into the 64-bit lock number with `hashtextextended(key, 0)`. The keys are exactly the
 * texts the per-aggregate SQL built before (`'payment-run:' || council`, ...), so workers of any
 * version and the data already written agree on the numbers. Changing a scope's spelling changes
 * its lock: don't.
 */
export type LockScope =
  /** Payment runs and officers' decisions on a council's lines and runs. */
  | 'payment-run'
  /** Officer cases: finding writes per council and case kind. */
  | 'officer-case'
  /** Raising and delivering invoices (health reclaim, recovery, contribution). */
  | 'invoices'
  /** The reconcile stage. */
  | 'reconcile'
  /** Care-record extract imports. */
  | 'care_extract'
  /** Card transaction files per council and provider. */
  | 'card_txn'
  /** Bank statements per council and account. */
  | 'bank_statement';

/** The text key of a lock: scope, council and any narrowing parts joined with ':'. Pure. */
export function advisoryLockKey(scope: LockScope, council: string, ...parts: string[]): string {
  return [scope, council, ...parts].join(':');
}

const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`;
const TRY_LOCK_SQL = `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok`;

/** Waits for the (scope, council, parts) lock and holds it until the transaction ends. */
export async function lockCouncil(m: EntityManager, scope: LockScope, council: string, ...parts: string[]): Promise<void> {
  await m.query(LOCK_SQL, [advisoryLockKey(scope, council, ...parts)]);
}

/** Takes the (scope, council, parts) lock for the rest of the transaction if it is free; false when another holds it. */
export async function tryLockCouncil(m: EntityManager, scope: LockScope, council: string, ...parts: string[]): Promise<boolean> {
  const [row]: { ok: boolean }[] = await m.query(TRY_LOCK_SQL, [advisoryLockKey(scope, council, ...parts)]);
  return row?.ok === true;
}
