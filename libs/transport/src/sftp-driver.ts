import * as path from 'node:path';
import type { Readable } from 'node:stream';
import SftpClient from 'ssh2-sftp-client';
import type { DirEntry, EntryKind, FileDriver } from './driver';
import { withTimeout } from './timeouts';

/** The part of ssh2-sftp-client this driver uses (a seam for unit tests). */
export interface SftpClientLike {
  list(dir: string): Promise<Array<{ type: string; name: string; size: number; modifyTime: number }>>;
  stat(p: string): Promise<{ size: number; modifyTime: number; isFile: boolean; isDirectory: boolean }>;
  get(p: string): Promise<string | NodeJS.WritableStream | Buffer>;
  createReadStream(p: string): Readable;
  put(
    data: Buffer,
    p: string,
    opts: { writeStreamOptions: { flags: string; mode: number } },
  ): Promise<string>;
  rename(from: string, to: string): Promise<string>;
  posixRename(from: string, to: string): Promise<string>;
  delete(p: string, notFoundOk: boolean): Promise<string>;
  mkdir(p: string, recursive: boolean): Promise<string>;
  end(): Promise<boolean>;
}

function errCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err
    ? (err as { code: unknown }).code
    : undefined;
}

/** Closes the raw SSH connection without waiting for the server (used after end() timed out). */
export function destroySshConnection(client: unknown): void {
  const raw = (client as { client?: { destroy?: () => void } }).client;
  try {
    raw?.destroy?.();
  } catch {
    // already gone
  }
}

/**
 * SFTP driver over ONE ssh2-sftp-client connection (never re-used after close). Operations run one
 * at a time (the endpoint awaits each); fastGet/fastPut are never used.
 */
export class SftpDriver implements FileDriver {
  private closed = false;

  constructor(
    private readonly client: SftpClientLike,
    private readonly endTimeoutMs: number,
  ) {}

  async list(dir: string): Promise<DirEntry[]> {
    const items = await this.client.list(dir);
    return items.map((i) => ({
      name: i.name,
      kind: (i.type === '-' ? 'file' : i.type === 'd' ? 'dir' : 'other') as EntryKind,
      size: i.size,
      mtimeMs: i.modifyTime,
    }));
  }

  async stat(p: string): Promise<DirEntry | undefined> {
    try {
      const st = await this.client.stat(p);
      return {
        name: path.posix.basename(p),
        kind: st.isFile ? 'file' : st.isDirectory ? 'dir' : 'other',
        size: st.size,
        mtimeMs: st.modifyTime,
      };
    } catch (err) {
      if (this.isNotFound(err)) return undefined;
      throw err;
    }
  }

  async readFile(p: string): Promise<Buffer> {
    const data = await this.client.get(p);
    if (!Buffer.isBuffer(data)) throw new Error('sftp get did not return a buffer');
    return data;
  }

  createReadStream(p: string): Readable {
    return this.client.createReadStream(p);
  }

  async writeNew(p: string, data: Buffer): Promise<void> {
    // 'wx' = O_CREAT|O_EXCL: never truncates an existing file.
    await this.client.put(data, p, { writeStreamOptions: { flags: 'wx', mode: 0o640 } });
  }

  async renameNoClobber(from: string, to: string): Promise<'RENAMED' | 'TARGET_EXISTS'> {
    try {
      // SSH_FXP_RENAME (not posix-rename) fails when the target exists; OpenSSH implements it
      // with link()+unlink(), so it is atomic and never replaces.
      await this.client.rename(from, to);
      return 'RENAMED';
    } catch (err) {
      if ((await this.stat(to)) !== undefined) return 'TARGET_EXISTS';
      throw err;
    }
  }

  async renameReplace(from: string, to: string): Promise<void> {
    await this.client.posixRename(from, to);
  }

  async remove(p: string): Promise<void> {
    await this.client.delete(p, true);
  }

  async mkdirp(p: string): Promise<void> {
    const parts = p.split('/').filter((s) => s !== '');
    let cur = '';
    for (const part of parts) {
      cur += '/' + part;
      const st = await this.stat(cur);
      if (st?.kind === 'dir') continue;
      try {
        await this.client.mkdir(cur, false);
      } catch (err) {
        // Another worker may have created it meanwhile.
        if ((await this.stat(cur))?.kind !== 'dir') throw err;
      }
    }
  }

  isNotFound(err: unknown): boolean {
    const code = errCode(err);
    return code === 'ENOENT' || code === 2;
  }

  /** Ends the connection under its own timeout; on timeout the socket is destroyed. Never throws. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await withTimeout(this.client.end(), this.endTimeoutMs, 'sftp end() timed out');
    } catch {
      destroySshConnection(this.client);
    }
  }
}

export { SftpClient };
