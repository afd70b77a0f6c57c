import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

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
  return tryTransactionLock(m, advisoryLockKey(scope, council, ...parts));
}

/** The transaction-scoped lock on any text key (e.g. the inbound ledger's `source:sha256`) if it is free. */
export async function tryTransactionLock(m: EntityManager, key: string): Promise<boolean> {
  const [row]: { ok: boolean }[] = await m.query(TRY_LOCK_SQL, [key]);
  return row?.ok === true;
}

/**
 * A session lock on a text key, on a connection of its own, held until `release()` (or until
 * PostgreSQL closes the connection, e.g. when the process dies). Waits, polling every `pollMs`,
 * while another session holds it.
 */
export async function holdSessionLock(ds: DataSource, key: string, pollMs = 500): Promise<{ release(): Promise<void> }> {
  const qr: QueryRunner = ds.createQueryRunner();
  await qr.connect();
  try {
    for (;;) {
      const [{ ok }]: { ok: boolean }[] = await qr.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok`, [key]);
      if (ok) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } catch (e) {
    await qr.release().catch(() => undefined);
    throw e;
  }
  return {
    async release() {
      try {
        await qr.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
      } catch {
        // The connection is gone (e.g. PostgreSQL restarted): the lock went with it.
      } finally {
        await qr.release().catch(() => undefined);
      }
    },
  };
}

/**
 * Runs `fn` holding the migrations' session lock (a fixed number, not a text key: processes of
 * every version agree on it) on the given connection, which stays open until `fn` has finished.
 */
export async function withMigrationLock<T>(qr: QueryRunner, lock: bigint, fn: () => Promise<T>): Promise<T> {
  await qr.query('SELECT pg_advisory_lock($1)', [lock.toString()]);
  try {
    return await fn();
  } finally {
    await qr.query('SELECT pg_advisory_unlock($1)', [lock.toString()]);
  }
}
