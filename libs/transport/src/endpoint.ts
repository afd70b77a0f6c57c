import type { Readable } from 'node:stream';
import type { CompletenessVerdict, FileObservation } from './completeness';
import type { NameProblem } from './file-names';

/** A file in the inbox root that may be picked up. */
export interface CandidateFile extends FileObservation {
  readonly name: string;
  /** The sender's `<name>.done` marker is present. */
  readonly hasDoneMarker: boolean;
  /** Larger than maxFileBytes: quarantine it, do not read it. */
  readonly tooLarge: boolean;
  /** Why the name is unusable (control characters, "..", separators, too long...), or null.
   * Such a file is quarantined under a generated name; its name is never logged. */
  readonly nameProblem: NameProblem | null;
}

export interface MoveResult {
  /** Path of the stored file relative to the endpoint root, e.g. `archive/2026/11/20/x.xml`. */
  readonly storedAs: string;
  /** An identical file was already stored there; the inbox copy was removed, nothing else changed. */
  readonly duplicate: boolean;
}

export type DeliveryResult =
  | { readonly status: 'DELIVERED'; readonly sha256: string }
  | { readonly status: 'ALREADY_DELIVERED'; readonly sha256: string };

export interface DeliverOptions {
  /** Called with the bytes read back from the temporary file; throw to abort the delivery. */
  readonly verify?: (readBack: Buffer) => void;
}

/**
 * One inbox or outbox, opened for one job over one connection. All names are plain file names in
 * the endpoint's root folder (no separators).
 */
export interface Endpoint {
  /** The endpoint URL without any password. */
  readonly url: string;
  /** How long a file without a `.done` marker must keep its size and mtime (the setting). */
  readonly stabilityMs: number;

  /** Regular files in the root, excluding sub-folders, temp names (`.*`, `*.tmp`, `*.part`,
   * `*.filepart`) and `.done` markers; sorted by name. */
  listCandidates(): Promise<CandidateFile[]>;
  /** Size and mtime of a file in the root, or undefined if absent. */
  stat(name: string): Promise<FileObservation | undefined>;
  /**
   * Complete when the `.done` marker exists; else when size and mtime equal `previous` (an earlier
   * observation, e.g. the last poll's); without `previous`, two stats `stabilityMs` apart
   * (stabilityMs 0 with no `previous` gives "not complete": there is no evidence).
   */
  isComplete(name: string, previous?: FileObservation): Promise<boolean>;
  checkCompleteness(name: string, previous?: FileObservation): Promise<CompletenessVerdict>;
  /** Whole file; TOO_LARGE when above maxFileBytes. */
  readFile(name: string): Promise<Buffer>;
  /** Streaming read for large files; TOO_LARGE when above maxFileBytes. */
  openReadStream(name: string): Promise<Readable>;
  /** Lower-case hex SHA-256 of the file, streamed. */
  sha256(name: string): Promise<string>;

  /** Moves to `archive/YYYY/MM/DD/<name>` (or `<name>.<sha8>` if a different file holds the name). */
  archive(name: string, civilDate: string): Promise<MoveResult>;
  /** Moves to `quarantine/<name>` and writes `quarantine/<stored name>.error.json`. A name with a
   * `nameProblem` is stored as `quarantine/unsafe-name-<hash>`; the report keeps the original. */
  quarantine(name: string, errorReport: object): Promise<MoveResult>;
  /** Moves a quarantined file (by its stored name) back into the inbox under its original name. */
  release(storedName: string): Promise<{ readonly name: string }>;

  /** Atomic, no-clobber delivery via a temporary name. */
  deliver(name: string, content: Buffer, options?: DeliverOptions): Promise<DeliveryResult>;

  /** Closes the connection (bounded by endTimeoutMs). Never throws; safe to call twice. */
  close(): Promise<void>;
}

export interface EndpointOptions {
  /** SFTP private key: a file path or the key itself. */
  readonly privateKey?: string | Buffer;
  readonly passphrase?: string;
  /** Pinned SFTP host keys: a map or the `"host:port SHA256:xxx,host2:22 SHA256:yyy"` string. */
  readonly knownHosts?: string | ReadonlyMap<string, string>;
  /** SSH handshake until ready. Default 20 000. */
  readonly connectTimeoutMs?: number;
  /** Each single operation (stat, list, read, write, rename...). Default 120 000. */
  readonly operationTimeoutMs?: number;
  /** Closing the connection. Default 5 000. */
  readonly endTimeoutMs?: number;
  /** Default 2 GiB (2 147 483 648 bytes). */
  readonly maxFileBytes?: number;
  /** Stability window for isComplete without a previous observation. Default 5 000. */
  readonly stabilityMs?: number;
  /** Longest inbound name taken as it is, in UTF-8 bytes. Default 200. */
  readonly maxNameBytes?: number;
  /** Files below this size are never complete without a marker. Default 1. */
  readonly minBytes?: number;
  /** SSH keep-alive interval. Default 15 000. */
  readonly keepaliveIntervalMs?: number;
  /** Source of the random part of temporary names (tests). */
  readonly randomToken?: () => string;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024;
