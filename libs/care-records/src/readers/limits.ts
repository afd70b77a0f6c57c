/**
 * Limits that keep a hostile or broken care-record file from exhausting the worker: zip entry
 * count, total inflated size and compression ratio (counted while the entries inflate, never
 * after), XML depth and field length, CSV field length. A file over a limit is rejected whole
 * with the limit's rule; the intake quarantines it and the night goes on.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { MosaicParseError } from '../validation/errors';

export interface ReaderLimits {
  /** Entries in a zip (all entries, not only the CSV files). */
  zipMaxEntries: number;
  /** Sum of the inflated bytes of the zip's entries. */
  zipMaxInflatedBytes: number;
  /** Inflated bytes per compressed byte of one entry (checked once an entry passes 1 MiB). */
  zipMaxRatio: number;
  /** Element nesting of an XML extract. */
  xmlMaxDepth: number;
  /** Characters of one XML attribute value or text run. */
  xmlMaxFieldChars: number;
  /** Characters of one CSV field. */
  csvMaxFieldChars: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  zipMaxEntries: 64,
  zipMaxInflatedBytes: 512 * 1024 ** 2,
  zipMaxRatio: 200,
  xmlMaxDepth: 32,
  xmlMaxFieldChars: 4096,
  csvMaxFieldChars: 4096,
};

/** Entries smaller than this are never judged by their ratio (tiny files compress oddly). */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

/** Rules of whole-file rejections by a reader (they name no value and no entry name). */
export type FileRule =
  | 'ZIP_UNREADABLE'
  | 'ZIP_ENTRY_NAME'
  | 'ZIP_TOO_MANY_ENTRIES'
  | 'ZIP_INFLATED_TOO_LARGE'
  | 'ZIP_COMPRESSION_RATIO'
  | 'XML_TOO_DEEP'
  | 'FIELD_TOO_LONG'
  | 'INVALID_ENCODING';

/** The whole file is rejected by one rule (a limit, a broken container or encoding). */
export class FileRejected extends MosaicParseError {
  constructor(
    readonly rule: FileRule,
    message: string,
  ) {
    super(message);
    this.name = 'FileRejected';
  }
}

export function resolveLimits(limits?: Partial<ReaderLimits>): ReaderLimits {
  return { ...DEFAULT_READER_LIMITS, ...limits };
}

/** Shared budget of inflated bytes over all the entries of one zip. */
export interface InflateBudget {
  used: number;
}

/**
 * A pass-through that counts one zip entry's inflated bytes as they come and fails the stream as
 * soon as the entry's ratio or the zip's total goes over its limit (or the read is aborted), and
 * checks that the bytes are UTF-8.
 */
export function guardEntry(
  entryLabel: string,
  compressedSize: number,
  budget: InflateBudget,
  limits: ReaderLimits,
  signal?: AbortSignal,
): Transform {
  let entryBytes = 0;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      if (signal?.aborted) return cb(signal.reason instanceof Error ? signal.reason : new Error('read aborted'));
      entryBytes += chunk.length;
      budget.used += chunk.length;
      if (budget.used > limits.zipMaxInflatedBytes) {
        return cb(new FileRejected('ZIP_INFLATED_TOO_LARGE', `zip inflates to more than ${limits.zipMaxInflatedBytes} bytes`));
      }
      if (entryBytes > RATIO_FLOOR_BYTES && entryBytes > limits.zipMaxRatio * Math.max(compressedSize, 1)) {
        return cb(new FileRejected('ZIP_COMPRESSION_RATIO', `${entryLabel} inflates more than ${limits.zipMaxRatio} times its compressed size`));
      }
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        return cb(new FileRejected('INVALID_ENCODING', `${entryLabel} is not valid UTF-8`));
      }
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      try {
        decoder.decode();
      } catch {
        return cb(new FileRejected('INVALID_ENCODING', `${entryLabel} is not valid UTF-8`));
      }
      cb();
    },
  });
}
