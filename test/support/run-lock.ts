// One integration run at a time per checkout: the runs share .stack/test and each one drops
// and recreates the test database. The lock file holds the Jest process id; a lock whose
// process is gone is stale and taken over.
import * as fs from 'node:fs';

function holder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, waiting up to `timeoutMs` for another live run to finish. */
export async function acquireRunLock(file: string, timeoutMs: number, log: (l: string) => void): Promise<void> {
  const end = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = holder(file);
    if (pid === process.pid) return;
    if (pid === undefined || !alive(pid)) {
      fs.rmSync(file, { force: true }); // stale
      continue;
    }
    if (Date.now() > end) throw new Error(`another integration run (pid ${pid}) holds ${file}`);
    if (!told) log(`waiting for another integration run (pid ${pid}) to finish`);
    told = true;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function releaseRunLock(file: string): void {
  if (holder(file) === process.pid) fs.rmSync(file, { force: true });
}
