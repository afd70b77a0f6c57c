import type { Readable } from 'node:stream';

export type EntryKind = 'file' | 'dir' | 'other';

export interface DirEntry {
  readonly name: string;
  readonly kind: EntryKind;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * The few primitive operations an endpoint needs from a file system, local or remote. Paths are
 * absolute POSIX paths. Drivers throw their native errors; `isNotFound` recognises "no such file".
 */
export interface FileDriver {
  list(dir: string): Promise<DirEntry[]>;
  /** undefined when nothing exists at the path. Does not follow symbolic links. */
  stat(path: string): Promise<DirEntry | undefined>;
  readFile(path: string): Promise<Buffer>;
  createReadStream(path: string): Readable;
  /** Creates a NEW file (fails if the path exists) holding exactly `data`, flushed. */
  writeNew(path: string, data: Buffer): Promise<void>;
  /** Renames without ever replacing an existing target. */
  renameNoClobber(from: string, to: string): Promise<'RENAMED' | 'TARGET_EXISTS'>;
  /** Renames, atomically replacing any existing target (for our own sidecar files only). */
  renameReplace(from: string, to: string): Promise<void>;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): Promise<void>;
  /** Creates a folder and its parents; existing folders are fine, concurrent creation too. */
  mkdirp(path: string): Promise<void>;
  isNotFound(err: unknown): boolean;
  close(): Promise<void>;
}
