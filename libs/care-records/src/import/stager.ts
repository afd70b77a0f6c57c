/**
 * Writes validated records to the database in batches while the file is still being read: each
 * batch is one COPY ... FROM STDIN into a TEMP staging table on the transaction's own connection
 * (pool queries cannot carry COPY, and the rows must roll back with the transaction), then one
 * set-based merge statement, then the staging table is emptied. Node reads and validates the
 * next batch while PostgreSQL merges this one (at most one batch in flight), so the two use
 * both cores. Each batch is a complete COPY: a failure while reading the file never leaves the
 * connection half-way through one. Memory: one batch per kind.
 */
import type { EntityManager } from 'typeorm';
import type { ClientBase } from 'pg';
import { transactionClient } from '@dpb/persistence';
import { copyAndMergeStage, type MergeCounts, type StageKind } from './care-records.repository';

export type { MergeCounts };


/** Records per kind held before a batch is written. */
export const DEFAULT_BATCH_ROWS = 10_000;

const KINDS: readonly StageKind[] = ['person', 'payee', 'dp', 'dpLate'];

export class BatchWriter {
  private readonly buffers: Record<StageKind, string[]> = { person: [], payee: [], dp: [], dpLate: [] };
  readonly rows: Record<StageKind, number> = { person: 0, payee: 0, dp: 0, dpLate: 0 };
  readonly counts: Record<'person' | 'payee' | 'dp', MergeCounts> = {
    person: { added: 0, changed: 0, unchanged: 0 },
    payee: { added: 0, changed: 0, unchanged: 0 },
    dp: { added: 0, changed: 0, unchanged: 0 },
  };
  private readonly conn: ClientBase;
  /** The batch being written while the caller goes on reading. */
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly m: EntityManager,
    private readonly council: string,
    private readonly extractRef: string,
    private readonly batchRows = DEFAULT_BATCH_ROWS,
  ) {
    this.conn = transactionClient(m);
  }

  /**
   * Adds one COPY line. A DP batch is written only after every person and payee read before it,
   * so its references are in place; DPs read before their person or payee go to `dpLate`, which
   * is written last.
   */
  async add(kind: StageKind, line: string): Promise<void> {
    const buf = this.buffers[kind];
    buf.push(line);
    this.rows[kind]++;
    if (buf.length < this.batchRows || kind === 'dpLate') return;
    if (kind === 'dp') {
      await this.write('person');
      await this.write('payee');
    }
    await this.write(kind);
  }

  /** Writes everything still buffered (late DPs last) and waits until PostgreSQL has merged it. */
  async finish(): Promise<void> {
    for (const k of KINDS) await this.write(k);
    await this.inflight;
  }

  private async write(kind: StageKind): Promise<void> {
    const lines = this.buffers[kind];
    if (lines.length === 0) return;
    this.buffers[kind] = [];
    await this.inflight;
    const writing = this.copyAndMerge(kind, lines.join(''));
    writing.catch(() => undefined); // surfaced by the next await of `inflight`
    this.inflight = writing;
  }

  private async copyAndMerge(kind: StageKind, text: string): Promise<void> {
    const r = await copyAndMergeStage(this.m, this.conn, kind, this.council, this.extractRef, text);
    const c = this.counts[kind === 'dpLate' ? 'dp' : kind];
    c.added += r.added;
    c.changed += r.changed;
    c.unchanged += r.unchanged;
  }
}
