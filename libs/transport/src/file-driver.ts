import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { DirEntry, EntryKind, FileDriver } from './driver';

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;
}

function kindOf(st: { isFile(): boolean; isDirectory(): boolean }): EntryKind {
  return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await fsp.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Best effort: some file systems refuse fsync on a directory.
  }
}

/** Local file system driver for `file://` endpoints. */
export class LocalFileDriver implements FileDriver {
  async list(dir: string): Promise<DirEntry[]> {
    const names = await fsp.readdir(dir);
    const out: DirEntry[] = [];
    for (const name of names) {
      const e = await this.stat(path.join(dir, name));
      if (e !== undefined) out.push({ ...e, name });
      // A name that is not UTF-8 comes back with U+FFFD and cannot be opened by it: list it anyway,
      // so the intake reports it instead of it sitting in the inbox unseen.
      else if (name.includes('\ufffd')) out.push({ name, kind: 'file', size: 0, mtimeMs: 0 });
    }
    return out;
  }

  async stat(p: string): Promise<DirEntry | undefined> {
    try {
      const st = await fsp.lstat(p);
      return { name: path.basename(p), kind: kindOf(st), size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
    } catch (err) {
      if (this.isNotFound(err)) return undefined;
      throw err;
    }
  }

  readFile(p: string): Promise<Buffer> {
    return fsp.readFile(p);
  }

  createReadStream(p: string): Readable {
    return createReadStream(p);
  }

  async writeNew(p: string, data: Buffer): Promise<void> {
    const h = await fsp.open(p, 'wx', 0o640);
    try {
      let off = 0;
      while (off < data.length) {
        const { bytesWritten } = await h.write(data, off, data.length - off);
        off += bytesWritten;
      }
      await h.sync();
    } finally {
      await h.close();
    }
  }

  async renameNoClobber(from: string, to: string): Promise<'RENAMED' | 'TARGET_EXISTS'> {
    try {
      // link() fails with EEXIST when the target exists: an atomic no-clobber rename in two steps.
      await fsp.link(from, to);
    } catch (err) {
      const code = errCode(err);
      if (code === 'EEXIST') return 'TARGET_EXISTS';
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
      // File systems without hard links: check then rename (a small race, only on such systems).
      if ((await this.stat(to)) !== undefined) return 'TARGET_EXISTS';
      await fsp.rename(from, to);
      await fsyncDir(path.dirname(to));
      return 'RENAMED';
    }
    await fsp.unlink(from);
    await fsyncDir(path.dirname(to));
    return 'RENAMED';
  }

  async renameReplace(from: string, to: string): Promise<void> {
    await fsp.rename(from, to);
    await fsyncDir(path.dirname(to));
  }

  async remove(p: string): Promise<void> {
    try {
      await fsp.unlink(p);
    } catch (err) {
      if (!this.isNotFound(err)) throw err;
    }
  }

  async mkdirp(p: string): Promise<void> {
    await fsp.mkdir(p, { recursive: true });
  }

  isNotFound(err: unknown): boolean {
    return errCode(err) === 'ENOENT';
  }

  async close(): Promise<void> {}
}
