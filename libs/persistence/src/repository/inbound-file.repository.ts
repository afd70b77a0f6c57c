import type { EntityManager } from 'typeorm';
import { tryTransactionLock } from './advisory-lock';

/*
 * The inbound-file ledger's data access (table `inbound_file`): the intake's claims and outcomes
 * (`FileLedger`) and the reads other checks make of it.
 */

export type InboundSource = 'care' | 'bank' | 'card' | 'ar';
export type LedgerState = 'APPLIED' | 'QUARANTINED' | 'RETRY';

export interface LedgerEntry {
  id: string;
  source: InboundSource;
  council: string | null;
  name: string;
  size: string;
  sha256: string;
  state: LedgerState;
  format: string | null;
  records: number | null;
}

/** Why a read of a file failed without a verdict on its content (a crash or a time-out). */
export interface ReadFailure {
  rule: 'READER_FAILED' | 'READER_TIMEOUT';
  /** The error's class and code only: messages may quote the file's content. */
  detail: string;
  /** Reads of these bytes that failed so far. */
  count: number;
}

export interface FileIdentity {
  source: InboundSource;
  council: string | null;
  name: string;
  size: number;
  sha256: string;
}

/**
 * The inbound-file ledger: every file is identified by (source, SHA-256) and applied at most once.
 * `claimForApply` runs inside the transaction that writes the file's data, so the ledger row and
 * the data commit or roll back together; two workers racing on the same bytes serialise on a
 * transaction-scoped advisory lock and the unique constraint, and the loser sees `null`.
 */
export class FileLedger {
  async find(m: EntityManager, source: InboundSource, sha256: string): Promise<LedgerEntry | null> {
    const rows: LedgerEntry[] = await m.query(
      `SELECT id, source, council, name, size, sha256, state, format, records
         FROM inbound_file WHERE source = $1 AND sha256 = $2`,
      [source, sha256],
    );
    return rows[0] ?? null;
  }

  /**
   * Inside the caller's transaction: returns the ledger id to attach data to, or null when these
   * bytes were already applied (or are being applied by another worker right now).
   */
  async claimForApply(m: EntityManager, f: FileIdentity, format: string): Promise<string | null> {
    if (!(await tryTransactionLock(m, `${f.source}:${f.sha256}`))) return null;
    const rows: { id: string }[] = await m.query(
      `INSERT INTO inbound_file (source, council, name, size, sha256, state, format)
       VALUES ($1, $2, $3, $4, $5, 'APPLIED', $6)
       ON CONFLICT (source, sha256) DO UPDATE
         SET state = 'APPLIED', name = EXCLUDED.name, council = EXCLUDED.council,
             format = EXCLUDED.format, error = NULL, updated_at = now()
         WHERE inbound_file.state = 'RETRY'
       RETURNING id`,
      [f.source, f.council, f.name, f.size, f.sha256, format],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Counts one more read of these bytes, in its own transaction, BEFORE the read starts (a read
   * that crashes the process is counted too). Creates the row in state RETRY when the bytes are
   * new. Returns the number of reads so far, or null when the bytes were meanwhile applied or
   * quarantined.
   */
  async countReadAttempt(m: EntityManager, f: FileIdentity): Promise<{ attempts: number; lastFailure: ReadFailure | null } | null> {
    const rows: { read_attempts: number; error: unknown }[] = await m.query(
      `INSERT INTO inbound_file (source, council, name, size, sha256, state, read_attempts)
       VALUES ($1, $2, $3, $4, $5, 'RETRY', 1)
       ON CONFLICT (source, sha256) DO UPDATE
         SET read_attempts = inbound_file.read_attempts + 1, updated_at = now()
         WHERE inbound_file.state = 'RETRY'
       RETURNING read_attempts, error`,
      [f.source, f.council, f.name, f.size, f.sha256],
    );
    const row = rows[0];
    if (!row) return null;
    const err = row.error as { readFailure?: ReadFailure } | null;
    return { attempts: row.read_attempts, lastFailure: err?.readFailure ?? null };
  }

  /** Remembers why a read failed, and how many reads failed so far (kept until the file is
   * applied or quarantined). */
  async recordReadFailure(m: EntityManager, source: InboundSource, sha256: string, failure: Omit<ReadFailure, 'count'>): Promise<void> {
    await m.query(
      `UPDATE inbound_file
          SET error = jsonb_build_object('readFailure', $3::jsonb
                || jsonb_build_object('count', COALESCE((error->'readFailure'->>'count')::int, 0) + 1)),
              updated_at = now()
        WHERE source = $1 AND sha256 = $2 AND state = 'RETRY'`,
      [source, sha256, JSON.stringify({ rule: failure.rule, detail: failure.detail })],
    );
  }

  /** Takes back a read counted by `countReadAttempt` that failed for the platform's reasons
   * (database or SFTP down), not the file's. */
  async uncountReadAttempt(m: EntityManager, source: InboundSource, sha256: string): Promise<void> {
    await m.query(
      `UPDATE inbound_file SET read_attempts = greatest(read_attempts - 1, 0), updated_at = now()
        WHERE source = $1 AND sha256 = $2 AND state = 'RETRY'`,
      [source, sha256],
    );
  }

  /** The database session (backend process id) of the applying transaction. */
  async sessionId(m: EntityManager): Promise<number> {
    const rows: { pid: number }[] = await m.query(`SELECT pg_backend_pid() AS pid`);
    return rows[0].pid;
  }

  /** Ends a session from another connection: its open transaction is rolled back by the server
   * and nothing more can be written through it (a reader that ignored its time-out). */
  async endSession(m: EntityManager, pid: number): Promise<void> {
    await m.query(`SELECT pg_terminate_backend($1, 5000)`, [pid]);
  }

  /** What the applier made of the file (inside the applying transaction). */
  async setOutcome(m: EntityManager, id: string, format: string, records: number): Promise<void> {
    await m.query(`UPDATE inbound_file SET format = $2, records = $3, updated_at = now() WHERE id = $1`, [id, format, records]);
  }

  /** Records a rejection (its own transaction). An already applied file is never downgraded. */
  async recordQuarantine(m: EntityManager, f: FileIdentity, format: string | null, error: object): Promise<void> {
    await m.query(
      `INSERT INTO inbound_file (source, council, name, size, sha256, state, format, error)
       VALUES ($1, $2, $3, $4, $5, 'QUARANTINED', $6, $7)
       ON CONFLICT (source, sha256) DO UPDATE
         SET state = 'QUARANTINED', error = EXCLUDED.error, name = EXCLUDED.name, updated_at = now()
         WHERE inbound_file.state <> 'APPLIED'`,
      [f.source, f.council, f.name, f.size, f.sha256, format, JSON.stringify(error)],
    );
  }

  /**
   * `dpbridge retry FILE`: lets quarantined bytes be processed once more. (The UPDATE goes through a
   * CTE because TypeORM returns `[rows, count]` for a bare UPDATE.)
   */
  async markRetry(m: EntityManager, source: InboundSource, sha256: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `WITH u AS (UPDATE inbound_file SET state = 'RETRY', read_attempts = 0, updated_at = now()
        WHERE source = $1 AND sha256 = $2 AND state = 'QUARANTINED' RETURNING id) SELECT id FROM u`,
      [source, sha256],
    );
    return rows.length > 0;
  }

  async findQuarantinedByName(m: EntityManager, name: string): Promise<LedgerEntry[]> {
    const rows: LedgerEntry[] = await m.query(
      `SELECT id, source, council, name, size, sha256, state, format, records
         FROM inbound_file WHERE name = $1 AND state = 'QUARANTINED' ORDER BY updated_at DESC`,
      [name],
    );
    return rows;
  }
}

// Reads of the ledger for checks outside the intake.

/** How many files of one source were taken for the council after `fromMs` (epoch ms), whatever their outcome. */
export async function countInboundFilesSince(m: EntityManager, source: string, council: string, fromMs: number): Promise<number> {
  const rows: { n: number }[] = await m.query(
    `SELECT count(*)::int AS n FROM inbound_file WHERE source = $1 AND council = $2 AND created_at > to_timestamp($3::double precision / 1000)`,
    [source, council, fromMs],
  );
  return rows[0]?.n ?? 0;
}

export interface QuarantinedFileRow {
  source: string;
  name: string;
  /** ISO 8601, UTC. */
  updated_at: string;
}

/** The most recently quarantined files (newest first). */
export async function listQuarantined(m: EntityManager, limit = 50): Promise<QuarantinedFileRow[]> {
  const rows: QuarantinedFileRow[] = await m.query(
    `SELECT source, name, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
       FROM inbound_file WHERE state = 'QUARANTINED' ORDER BY updated_at DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
