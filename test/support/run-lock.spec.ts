import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireRunLock, releaseRunLock } from './run-lock';

describe('integration run lock', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-lock-'));
  const file = path.join(dir, 'run.lock');
  const quiet = (): void => undefined;

  afterEach(() => fs.rmSync(file, { force: true }));

  it('is taken by this process and released again', async () => {
    await acquireRunLock(file, 1000, quiet);
    expect(fs.readFileSync(file, 'utf8')).toBe(String(process.pid));
    releaseRunLock(file);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('takes over a lock whose process has exited', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = child.pid!;
    await new Promise((r) => child.once('exit', r));
    fs.writeFileSync(file, String(deadPid));
    await acquireRunLock(file, 1000, quiet);
    expect(fs.readFileSync(file, 'utf8')).toBe(String(process.pid));
  });

  it('waits for a live holder, then gives up with its pid named', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      fs.writeFileSync(file, String(child.pid));
      const lines: string[] = [];
      await expect(acquireRunLock(file, 600, (l) => lines.push(l))).rejects.toThrow(`pid ${child.pid}`);
      expect(lines).toHaveLength(1);
      releaseRunLock(file); // not ours: must stay
      expect(fs.readFileSync(file, 'utf8')).toBe(String(child.pid));
    } finally {
      child.kill();
    }
  });
});
