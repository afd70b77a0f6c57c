import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { judgeCompleteness, type CompletenessVerdict, type FileObservation } from './completeness';
import type { FileDriver } from './driver';
import type { CandidateFile, DeliverOptions, DeliveryResult, Endpoint, MoveResult } from './endpoint';
import { DeliveryConflictError, TransportError } from './errors';
import {
  ARCHIVE_DIR,
  ERROR_REPORT_SUFFIX,
  NAME_MAX_BYTES,
  QUARANTINE_DIR,
  archiveDir,
  assertPlainName,
  assertSegment,
  nameProblem,
  quarantineNameFor,
  disambiguatedName,
  doneMarkerName,
  isCandidateName,
  isTempName,
  tempNameFor,
} from './file-names';
import { delay, withIdleTimeout, withTimeout } from './timeouts';

export interface DriverEndpointSettings {
  readonly operationTimeoutMs: number;
  readonly maxFileBytes: number;
  readonly stabilityMs: number;
  readonly minBytes: number;
  /** Longest inbound name taken as it is (bytes); longer names are quarantined under a safe name. */
  readonly maxNameBytes?: number;
  readonly randomToken: () => string;
}

const join = path.posix.join;

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function defaultRandomToken(): string {
  return randomBytes(6).toString('hex');
}

/** The endpoint semantics, implemented once over any FileDriver (local or SFTP). */
export class DriverEndpoint implements Endpoint {
  constructor(
    private readonly driver: FileDriver,
    private readonly root: string,
    readonly url: string,
    private readonly s: DriverEndpointSettings,
  ) {}

  get stabilityMs(): number {
    return this.s.stabilityMs;
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /** Runs one driver operation under the operation timeout and maps its errors. */
  private async op<T>(what: string, file: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(
        fn(),
        this.s.operationTimeoutMs,
        `endpoint ${this.url}: ${what} of ${file} timed out`,
      );
    } catch (err) {
      if (err instanceof TransportError) throw err;
      if (this.driver.isNotFound(err)) {
        throw new TransportError('NOT_FOUND', `endpoint ${this.url}: ${file} not found (${what})`, {
          cause: err,
        });
      }
      throw new TransportError('IO_FAILED', `endpoint ${this.url}: ${what} of ${file} failed`, {
        cause: err,
      });
    }
  }

  private p(rel: string): string {
    return join(this.root, rel);
  }

  private async statFile(rel: string): Promise<FileObservation | undefined> {
    const e = await this.op('stat', rel, () => this.driver.stat(this.p(rel)));
    return e?.kind === 'file' ? { size: e.size, mtimeMs: e.mtimeMs } : undefined;
  }

  private async requireFile(rel: string): Promise<FileObservation> {
    const st = await this.statFile(rel);
    if (st === undefined) throw new TransportError('NOT_FOUND', `endpoint ${this.url}: ${rel} not found`);
    return st;
  }

  private assertReadable(rel: string, size: number): void {
    if (size > this.s.maxFileBytes) {
      throw new TransportError(
        'TOO_LARGE',
        `endpoint ${this.url}: ${rel} is ${size} bytes, above the limit of ${this.s.maxFileBytes}; quarantine it unread`,
      );
    }
  }

  private async hashOf(rel: string): Promise<string> {
    const stream = withIdleTimeout(
      this.driver.createReadStream(this.p(rel)),
      this.s.operationTimeoutMs,
      `endpoint ${this.url}: reading ${rel} stalled`,
    );
    const hash = createHash('sha256');
    try {
      for await (const chunk of stream) hash.update(chunk as Buffer);
    } catch (err) {
      if (err instanceof TransportError) throw err;
      if (this.driver.isNotFound(err)) {
        throw new TransportError('NOT_FOUND', `endpoint ${this.url}: ${rel} not found (hash)`, {
          cause: err,
        });
      }
      throw new TransportError('IO_FAILED', `endpoint ${this.url}: hash of ${rel} failed`, { cause: err });
    }
    return hash.digest('hex');
  }

  /** Whether the sender's `.done` marker exists (a name too long to have one has none). */
  private async hasDoneMarker(name: string): Promise<boolean> {
    const marker = doneMarkerName(name);
    if (Buffer.byteLength(marker) > NAME_MAX_BYTES) return false;
    return (await this.statFile(marker)) !== undefined;
  }

  private async removeDoneMarker(name: string): Promise<void> {
    const marker = doneMarkerName(name);
    if (Buffer.byteLength(marker) > NAME_MAX_BYTES) return;
    await this.op('remove', marker, () => this.driver.remove(this.p(marker)));
  }

  private async removeQuietly(rel: string): Promise<void> {
    try {
      await this.op('remove', rel, () => this.driver.remove(this.p(rel)));
    } catch {
      // best effort
    }
  }

  /**
   * Moves `fromRel` into folder `dirRel` under `name`, never replacing anything: an identical file
   * already there makes this a duplicate (source removed); a different one makes the stored name
   * `<name>.<sha8>`.
   */
  private async moveNoClobber(fromRel: string, dirRel: string, name: string): Promise<MoveResult> {
    await this.op('mkdir', dirRel, () => this.driver.mkdirp(this.p(dirRel)));
    const target = join(dirRel, name);
    const r = await this.op('rename', fromRel, () =>
      this.driver.renameNoClobber(this.p(fromRel), this.p(target)),
    );
    if (r === 'RENAMED') return { storedAs: target, duplicate: false };

    const srcSha = await this.hashOf(fromRel);
    if ((await this.hashOf(target)) === srcSha) {
      await this.op('remove', fromRel, () => this.driver.remove(this.p(fromRel)));
      return { storedAs: target, duplicate: true };
    }
    const alt = join(dirRel, disambiguatedName(name, srcSha));
    const r2 = await this.op('rename', fromRel, () =>
      this.driver.renameNoClobber(this.p(fromRel), this.p(alt)),
    );
    if (r2 === 'RENAMED') return { storedAs: alt, duplicate: false };
    if ((await this.hashOf(alt)) === srcSha) {
      await this.op('remove', fromRel, () => this.driver.remove(this.p(fromRel)));
      return { storedAs: alt, duplicate: true };
    }
    throw new TransportError(
      'CONFLICT',
      `endpoint ${this.url}: cannot store ${fromRel}: ${alt} holds other content`,
    );
  }

  /** Writes our own small file atomically: temp name, then replace. */
  private async writeAtomicReplace(rel: string, data: Buffer): Promise<void> {
    const tmp = join(path.posix.dirname(rel), tempNameFor(path.posix.basename(rel), this.s.randomToken()));
    try {
      await this.op('write', tmp, () => this.driver.writeNew(this.p(tmp), data));
      await this.op('rename', tmp, () => this.driver.renameReplace(this.p(tmp), this.p(rel)));
    } finally {
      await this.removeQuietly(tmp);
    }
  }

  // ---- inbound --------------------------------------------------------------------------------

  async listCandidates(): Promise<CandidateFile[]> {
    const entries = await this.op('list', '.', () => this.driver.list(this.root));
    const files = new Set(entries.filter((e) => e.kind === 'file').map((e) => e.name));
    return entries
      .filter((e) => e.kind === 'file' && isCandidateName(e.name))
      .map((e) => ({
        name: e.name,
        size: e.size,
        mtimeMs: e.mtimeMs,
        hasDoneMarker: files.has(doneMarkerName(e.name)),
        tooLarge: e.size > this.s.maxFileBytes,
        nameProblem: nameProblem(e.name, this.s.maxNameBytes),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async stat(name: string): Promise<FileObservation | undefined> {
    assertSegment(name);
    return this.statFile(name);
  }

  async checkCompleteness(name: string, previous?: FileObservation): Promise<CompletenessVerdict> {
    assertSegment(name);
    const first = await this.requireFile(name);
    const hasDoneMarker = await this.hasDoneMarker(name);
    const policy = { stabilityMs: 0, minBytes: this.s.minBytes };
    if (hasDoneMarker || previous !== undefined) {
      const prev = previous === undefined ? undefined : { ...previous, stableSinceMs: 0 };
      return judgeCompleteness({ name, ...first, hasDoneMarker }, prev, 0, policy);
    }
    if (this.s.stabilityMs <= 0) {
      // No earlier observation and no wait: nothing proves the file has stopped growing.
      return judgeCompleteness({ name, ...first, hasDoneMarker }, undefined, 0, policy);
    }
    await delay(this.s.stabilityMs);
    const second = await this.requireFile(name);
    const markerNow = await this.hasDoneMarker(name);
    return judgeCompleteness(
      { name, ...second, hasDoneMarker: markerNow },
      { ...first, stableSinceMs: 0 },
      this.s.stabilityMs,
      { stabilityMs: this.s.stabilityMs, minBytes: this.s.minBytes },
    );
  }

  async isComplete(name: string, previous?: FileObservation): Promise<boolean> {
    return (await this.checkCompleteness(name, previous)).complete;
  }

  async readFile(name: string): Promise<Buffer> {
    assertSegment(name);
    this.assertReadable(name, (await this.requireFile(name)).size);
    const data = await this.op('read', name, () => this.driver.readFile(this.p(name)));
    this.assertReadable(name, data.length); // it may have grown since the stat
    return data;
  }

  async openReadStream(name: string): Promise<Readable> {
    assertSegment(name);
    this.assertReadable(name, (await this.requireFile(name)).size);
    return withIdleTimeout(
      this.driver.createReadStream(this.p(name)),
      this.s.operationTimeoutMs,
      `endpoint ${this.url}: reading ${name} stalled`,
    );
  }

  async sha256(name: string): Promise<string> {
    assertSegment(name);
    await this.requireFile(name);
    return this.hashOf(name);
  }

  async archive(name: string, civilDate: string): Promise<MoveResult> {
    assertSegment(name);
    if (nameProblem(name, this.s.maxNameBytes)) {
      throw new TransportError('INVALID_NAME', `endpoint ${this.url}: a file with an unusable name is quarantined, never archived`);
    }
    const dir = archiveDir(civilDate);
    await this.clearReservedFile(ARCHIVE_DIR);
    await this.requireFile(name);
    // Marker first: a marker left behind would make a later file of the same name look complete.
    await this.removeDoneMarker(name);
    return this.moveNoClobber(name, dir, name);
  }

  /**
   * A FILE posing as our `archive` or `quarantine` folder would make every move fail: it is
   * quarantined first (under a generated name, with its report), whatever is being moved.
   */
  private async clearReservedFile(dir: typeof ARCHIVE_DIR | typeof QUARANTINE_DIR): Promise<void> {
    const e = await this.op('stat', dir, () => this.driver.stat(this.p(dir)));
    if (e?.kind === 'file') {
      await this.quarantine(dir, { problems: [{ rule: 'UNSAFE_FILE_NAME', detail: 'RESERVED' }], hint: `a file named like the ${dir} folder` });
    }
  }

  async quarantine(name: string, errorReport: object): Promise<MoveResult> {
    assertSegment(name);
    if (name !== QUARANTINE_DIR) await this.clearReservedFile(QUARANTINE_DIR);
    const st = await this.requireFile(name);
    // A hostile name is never reused: the file is stored under a generated name and the original
    // is kept, JSON-escaped, in the report.
    const problem = nameProblem(name, this.s.maxNameBytes);
    await this.removeDoneMarker(name);
    let from = name;
    if (name === QUARANTINE_DIR) {
      // A FILE named like our folder: move it aside first, or the folder cannot be made.
      from = tempNameFor(quarantineNameFor(name), this.s.randomToken());
      await this.op('rename', name, () => this.driver.renameNoClobber(this.p(name), this.p(from)));
    }
    const moved = await this.moveNoClobber(from, QUARANTINE_DIR, problem ? quarantineNameFor(name) : name);
    const reportRel = moved.storedAs + ERROR_REPORT_SUFFIX;
    // An identical file already quarantined keeps its original report.
    if (moved.duplicate && (await this.statFile(reportRel)) !== undefined) return moved;
    const body = {
      file: name,
      ...(problem ? { fileNameProblem: problem } : {}),
      storedAs: moved.storedAs,
      sizeBytes: st.size,
      error: errorReport,
    };
    await this.writeAtomicReplace(reportRel, Buffer.from(JSON.stringify(body, null, 2) + '\n', 'utf8'));
    return moved;
  }

  async release(storedName: string): Promise<{ readonly name: string }> {
    assertPlainName(storedName);
    const fromRel = join(QUARANTINE_DIR, storedName);
    await this.requireFile(fromRel);
    const reportRel = fromRel + ERROR_REPORT_SUFFIX;
    const original = await this.originalName(reportRel, storedName);
    const r = await this.op('rename', fromRel, () =>
      this.driver.renameNoClobber(this.p(fromRel), this.p(original)),
    );
    if (r === 'TARGET_EXISTS') {
      if ((await this.hashOf(fromRel)) !== (await this.hashOf(original))) {
        throw new TransportError(
          'CONFLICT',
          `endpoint ${this.url}: cannot release ${storedName}: the inbox already holds a different ${original}`,
        );
      }
      await this.op('remove', fromRel, () => this.driver.remove(this.p(fromRel)));
    }
    await this.op('remove', reportRel, () => this.driver.remove(this.p(reportRel)));
    return { name: original };
  }

  /** The inbox name recorded in the error report, or the stored name itself. */
  private async originalName(reportRel: string, storedName: string): Promise<string> {
    if ((await this.statFile(reportRel)) === undefined) return storedName;
    try {
      const data = await this.op('read', reportRel, () => this.driver.readFile(this.p(reportRel)));
      const parsed: unknown = JSON.parse(data.toString('utf8'));
      const file = (parsed as { file?: unknown } | null)?.file;
      if (typeof file === 'string' && nameProblem(file, this.s.maxNameBytes) === null) {
        assertPlainName(file);
        return file;
      }
    } catch {
      // unreadable report: fall back to the stored name
    }
    return storedName;
  }

  // ---- outbound -------------------------------------------------------------------------------

  async deliver(name: string, content: Buffer, options: DeliverOptions = {}): Promise<DeliveryResult> {
    assertPlainName(name);
    if (isTempName(name)) {
      throw new TransportError('INVALID_NAME', `endpoint ${this.url}: ${name} looks like a temporary name`);
    }
    const sha256 = sha256Hex(content);
    if ((await this.statFile(name)) !== undefined) {
      const r = await this.compareExisting(name, sha256);
      await this.removeStaleTemps(name);
      return r;
    }

    const tmp = tempNameFor(name, this.s.randomToken());
    try {
      await this.op('write', tmp, () => this.driver.writeNew(this.p(tmp), content));
      const readBack = await this.op('read back', tmp, () => this.driver.readFile(this.p(tmp)));
      if (sha256Hex(readBack) !== sha256) {
        throw new TransportError(
          'IO_FAILED',
          `endpoint ${this.url}: read-back of ${name} differs from what was written`,
        );
      }
      options.verify?.(readBack);
      const r = await this.op('rename', tmp, () => this.driver.renameNoClobber(this.p(tmp), this.p(name)));
      const result: DeliveryResult = r === 'RENAMED' ? { status: 'DELIVERED', sha256 } : await this.compareExisting(name, sha256);
      await this.removeStaleTemps(name);
      return result;
    } finally {
      await this.removeQuietly(tmp);
    }
  }

  /**
   * Once `name` is in place with the right content, temporary copies of it left by a delivery that
   * was cut off (worker killed, connection dropped) are garbage: they are removed, best effort.
   */
  private async removeStaleTemps(name: string): Promise<void> {
    const prefix = `.${name}.`;
    const entries = await this.driver.list(this.root).catch(() => []);
    for (const e of entries) {
      if (e.kind === 'file' && e.name.startsWith(prefix) && e.name.endsWith('.tmp')) await this.removeQuietly(e.name);
    }
  }

  private async compareExisting(name: string, sha256: string): Promise<DeliveryResult> {
    const existing = await this.hashOf(name);
    if (existing === sha256) return { status: 'ALREADY_DELIVERED', sha256 };
    throw new DeliveryConflictError(
      `endpoint ${this.url}: ${name} already exists with different content; not overwritten`,
      existing,
      sha256,
    );
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
