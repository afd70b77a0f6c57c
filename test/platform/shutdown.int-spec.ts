/**
 * SIGTERM during a job: a real worker process is signalled while it imports a large care-record
 * extract. The job finishes (once), the worker drains and exits, and the night goes on with
 * another worker without repeating the stage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FlowProducer } from 'bullmq';
import { bullOptions } from '@dpb/platform';
import { enqueueNight, waitForNight } from '@dpb/pipeline';
import { obliterateQueues } from '../support/fleet';
import { createHarness, type Harness } from '../support/council-harness';
import { sampleExtractXml } from '../support/extracts';

const CODE = 'PS1';
const NIGHT = '2026-11-23';
const ROOT = path.resolve(__dirname, '..', '..');
let h: Harness;

function startWorker(): { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: string | null }> } {
  let out = '';
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts', 'ts-register.js'), path.join(ROOT, 'test', 'support', 'worker-process.ts')], {
    cwd: ROOT,
    env: { ...h.rawEnv, LOG_LEVEL: 'info', LOG_FORMAT: 'json', DPB_SHUTDOWN_GRACE_MS: '60000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  h = await createHarness(CODE);
});
afterAll(async () => {
  await obliterateQueues(h.env);
  await h.close();
});

it('lets the running job finish on SIGTERM, then exits; the night continues elsewhere', async () => {
  fs.writeFileSync(path.join(h.dirs.care, 'big.xml'), await sampleExtractXml(CODE, { dps: 6000 }));
  const w = startWorker();
  await until('worker start', async () => w.output().includes('workers started'), 60_000);
  const flows = new FlowProducer(bullOptions(h.env));
  try {
    await enqueueNight(h.ds, flows, CODE, NIGHT);
    await until(
      'care-in to start',
      async () => ((await h.ds.query(`SELECT 1 FROM night_stage WHERE council = $1 AND stage = 'care-in' AND state = 'RUNNING'`, [CODE])) as unknown[]).length > 0,
      30_000,
    );
    w.child.kill('SIGTERM');
    const exit = await w.exited;
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    expect(w.output()).toContain('draining workers');
    expect(w.output()).toContain('workers drained');

    const stages: { stage: string; state: string; attempts: number }[] = await h.ds.query(
      `SELECT stage, state, attempts FROM night_stage WHERE council = $1 AND night_date = $2`,
      [CODE, NIGHT],
    );
    expect(stages.find((s) => s.stage === 'care-in')).toEqual({ stage: 'care-in', state: 'DONE', attempts: 1 });
    const [{ n }]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM direct_payment WHERE council = $1`, [CODE]);
    expect(n).toBe(6000);

    // A second worker picks the night up where it stopped; care-in is not run again.
    const w2 = startWorker();
    try {
      const outcome = await waitForNight(h.ds, CODE, NIGHT, 120_000, () => undefined, 100);
      expect(outcome.ok).toBe(true);
      const after: { attempts: number }[] = await h.ds.query(
        `SELECT attempts FROM night_stage WHERE council = $1 AND night_date = $2 AND stage = 'care-in'`,
        [CODE, NIGHT],
      );
      expect(after[0].attempts).toBe(1);
    } finally {
      w2.child.kill('SIGTERM');
      await w2.exited;
    }
  } finally {
    await flows.close();
  }
}, 180_000);
