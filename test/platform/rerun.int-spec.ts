/**
 * Operators cannot make a night worse: a re-run of a night still running is refused; a forced one
 * starts a new flow that never runs a stage beside the old one (night lock, flow number), and the
 * report still counts what the first flow did. Bytes another worker is applying right now are not
 * a duplicate: the intake fails (and is retried) rather than report nothing to do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { FlowProducer } from 'bullmq';
import { bullOptions } from '@dpb/platform';
import { sha256Hex } from '@dpb/common';
import { createMosaicApplier } from '@dpb/care-records/import/applier';
import { enqueueNight, intakeInbox, NightStillRunning, rerunNight, waitForNight, withEndpoint } from '@dpb/pipeline';
import { bootstrap } from '@dpb/pipeline/nest/roles';
import { obliterateQueues } from '../support/fleet';
import { createHarness, type Harness } from '../support/council-harness';
import { sampleExtractXml } from '../support/extracts';

const CODE = 'PR1';
const NIGHT = '2026-11-23';
let h: Harness;
let app: INestApplicationContext;
let flows: FlowProducer;

beforeAll(async () => {
  h = await createHarness(CODE);
  app = await bootstrap(['worker'], h.env);
  flows = new FlowProducer(bullOptions(h.env));
}, 60_000);

afterAll(async () => {
  await flows?.close();
  await app?.close();
  await obliterateQueues(h.env);
  await h.close();
});

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it('refuses a re-run while the night runs; a forced one never runs beside it, and the report counts both flows', async () => {
  fs.writeFileSync(path.join(h.dirs.care, `${CODE}-extract.xml`), await sampleExtractXml(CODE, { dps: 1500 }));
  await enqueueNight(h.ds, flows, CODE, NIGHT);
  await until('care-in to run', async () =>
    ((await h.ds.query(`SELECT 1 FROM night_stage WHERE council = $1 AND stage = 'care-in' AND state = 'RUNNING'`, [CODE])) as unknown[]).length > 0);

  await expect(rerunNight(h.ds, flows, CODE, NIGHT, 'care-in')).rejects.toBeInstanceOf(NightStillRunning);
  const forced = await rerunNight(h.ds, flows, CODE, NIGHT, 'care-in', { force: true });
  expect(forced.jobId).toBe(`${CODE}.${NIGHT}.report.r1`);

  const outcome = await waitForNight(h.ds, CODE, NIGHT, 120_000, () => undefined, 100);
  expect(outcome.ok).toBe(true);

  const [night]: { state: string; flow_seq: number }[] = await h.ds.query(`SELECT state, flow_seq FROM night WHERE council = $1`, [CODE]);
  expect(night).toEqual({ state: 'DONE', flow_seq: 1 });
  // Never two stages of the night at once: the attempts' time spans do not overlap.
  const attempts: { flow_seq: number; stage: string; state: string; started_at: Date; finished_at: Date }[] = await h.ds.query(
    `SELECT flow_seq, stage, state, started_at, finished_at FROM night_stage_attempt WHERE council = $1 ORDER BY started_at`, [CODE]);
  for (let i = 1; i < attempts.length; i++) expect(attempts[i].started_at.getTime()).toBeGreaterThanOrEqual(attempts[i - 1].finished_at.getTime());
  // The old flow stopped after the stage it was running; the new one ran every stage.
  expect(attempts.filter((a) => a.flow_seq === 0).map((a) => a.stage)).toEqual(['care-in']);
  expect(attempts.filter((a) => a.flow_seq === 1).map((a) => a.stage)).toEqual(['care-in', 'payment-run', 'bank-in', 'reconcile', 'reclaim', 'report']);

  const [{ runs }]: { runs: number }[] = await h.ds.query(`SELECT count(*)::int AS runs FROM payment_run WHERE council = $1`, [CODE]);
  expect(runs).toBe(1);
  const [report]: { summary: { counts: Record<string, unknown>; warnings: string[] } }[] = await h.ds.query(
    `SELECT summary FROM night_stage WHERE council = $1 AND stage = 'report'`, [CODE]);
  const delivered = fs.readdirSync(h.dirs.finance).length + fs.readdirSync(h.dirs.cardout).length;
  expect(delivered).toBeGreaterThanOrEqual(3);
  expect(report.summary.counts).toMatchObject({ 'care files applied': 1, flows: 2, 'files delivered': delivered });
  expect(report.summary.warnings.join('\n')).not.toMatch(/no care-record extract arrived/);
}, 180_000);

it('does not count bytes another worker is applying as a duplicate: the intake fails and is retried', async () => {
  const bytes = await sampleExtractXml(CODE, { dps: 5, seed: 'held-elsewhere', date: '2026-11-30' });
  fs.writeFileSync(path.join(h.dirs.care, 'held.xml'), bytes);
  const intake = () => withEndpoint(h.council.endpoints.careInbox, h.env, (endpoint) =>
    intakeInbox({ ds: h.ds, endpoint, applier: createMosaicApplier(), council: CODE, nightDate: '2026-11-24', log: h.log }));
  const other = h.ds.createQueryRunner();
  await other.connect();
  try {
    await other.startTransaction();
    await other.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`care:${sha256Hex(bytes)}`]);
    await expect(intake()).rejects.toThrow(/being applied by another worker/);
    await other.rollbackTransaction();
  } finally {
    await other.release();
  }
  const s = await intake();
  expect({ applied: s.applied, duplicates: s.duplicates, files: s.files.map((f) => f.outcome) }).toEqual({ applied: 1, duplicates: 0, files: ['APPLIED'] });
}, 60_000);
