import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { SAFE_MESSAGE } from '@dpb/platform';
import type { InboundSource } from './repository/inbound-file.repository';

/** One problem in a rejected file: record, field and rule; never the value. */
export interface Problem {
  recordType?: string;
  recordId?: string;
  field?: string;
  rule: string;
  line?: number;
  /** The parser's message where there is no record to name (never carries values). */
  detail?: string;
}

/** Thrown by an applier for bad input: the file is quarantined and nothing from it is written. */
export class InputRejected extends Error {
  override readonly name = 'InputRejected';
  /** The message is a count and a rule code (never a value): logs keep it. */
  readonly [SAFE_MESSAGE] = true;
  constructor(
    readonly format: string | null,
    readonly problems: Problem[],
  ) {
    super(`input rejected: ${problems.length} problem(s), first rule ${problems[0]?.rule ?? 'unknown'}`);
  }
}

export interface ApplyInput {
  name: string;
  sha256: string;
  size: number;
  ledgerId: string;
  council: string;
  /** Opens a fresh stream over the file's bytes (may be called more than once). */
  open: () => Promise<Readable>;
  /** Aborted when the per-file reader time-out expires: stop reading and throw. */
  signal?: AbortSignal;
}

export interface ApplyResult {
  format: string;
  records: number;
  counts?: Record<string, number>;
  warnings?: string[];
}

/**
 * A capability's importer. `detectFormat` may read the head of the file; `apply` writes everything
 * through `m`, the transaction that also holds the ledger row, so the file's effect commits or
 * rolls back whole.
 */
export interface InboundApplier {
  source: InboundSource;
  apply(m: EntityManager, input: ApplyInput): Promise<ApplyResult>;
}


/** Collects a stream into one buffer (for formats read whole). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}
