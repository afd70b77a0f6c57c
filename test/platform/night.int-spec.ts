/**
 * One whole night through the real fleet code (worker role in this process, BullMQ on the real
 * Redis, PostgreSQL, file:// endpoints): it runs once however often it is enqueued, it survives
 * BullMQ forgetting its jobs, a re-run changes nothing, and no personal data from the care
 * records reaches the logs or Redis.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { FlowProducer, Queue } from 'bullmq';
import { ALL_QUEUES, bullOptions, connectRedis } from '@dpb/platform';
import { enqueueNight, rerunNight, waitForNight } from '@dpb/pipeline';
import { readMosaicXmlAll } from '@dpb/care-records';
import { closeFleet, startFleet } from '../support/fleet';
import { captureLogger, createHarness, type Harness } from '../support/council-harness';
import { sampleExtractXml } from '../support/extracts';

const CODE = 'PN1';
const NIGHT = '2026-11-23';
let h: Harness;
let app: INestApplicationContext;
let flows: FlowProducer;
let extract: Buffer;
const capture = captureLogger();

beforeAll(async () => {
  h = await createHarness(CODE, { env: { LOG_LEVEL: 'trace' } });
  extract = await sampleExtractXml(CODE, { dps: 60 });
  ({ app, flows } = await startFleet(h.env, capture.logger));
}, 60_000);

afterAll(async () => {
  await closeFleet(h.env, app, flows);
  await h.close();
});

const stageRows = (): Promise<{ stage: string; state: string; attempts: number }[]> =>
  h.ds.query(`SELECT stage, state, attempts FROM night_stage WHERE council = $1 AND night_date = $2 ORDER BY stage`, [CODE, NIGHT]);

describe('a night', () => {
  it('runs once however often it is enqueued, and delivers the payment files', async () => {
    fs.writeFileSync(path.join(h.dirs.care, `${CODE}-extract.xml`), extract);
    const [a, b] = await Promise.all([enqueueNight(h.ds, flows, CODE, NIGHT), enqueueNight(h.ds, flows, CODE, NIGHT)]);
    expect([a.enqueued, b.enqueued].sort()).toEqual([false, true]);
    const outcome = await waitForNight(h.ds, CODE, NIGHT, 60_000, () => undefined, 100);
    expect(outcome).toEqual({ ok: true, warnings: expect.any(Array) });
    const stages = await stageRows();
    expect(stages.map((s) => s.stage).sort()).toEqual(['bank-in', 'care-in', 'payment-run', 'reclaim', 'reconcile', 'report']);
    expect(stages.every((s) => s.state === 'DONE' && s.attempts === 1)).toBe(true);
    const files = fs.readdirSync(h.dirs.finance).sort();
    expect(files).toEqual(expect.arrayContaining([`${CODE}-20261123-1.manifest.json`, `${CODE}_20261123_1_SAP_IDOC.xml`, `${CODE}_20261123_1_BACS_STD18.txt`]));
    expect(files.some((f) => f.startsWith('.'))).toBe(false);
  }, 90_000);

  it('is not enqueued again after BullMQ has forgotten its jobs; a re-run from care-in changes nothing', async () => {
    const queues = ALL_QUEUES.map((n) => new Queue(n, bullOptions(h.env)));
    for (const q of queues) await q.obliterate({ force: true });
    await Promise.all(queues.map((q) => q.close()));
    const again = await enqueueNight(h.ds, flows, CODE, NIGHT);
    expect(again.enqueued).toBe(false);

    const [{ n: linesBefore }]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM payment_line WHERE council = $1`, [CODE]);
    const manifestBefore = fs.readFileSync(path.join(h.dirs.finance, `${CODE}-20261123-1.manifest.json`));
    fs.writeFileSync(path.join(h.dirs.care, `${CODE}-extract-again.xml`), extract);
    await rerunNight(h.ds, flows, CODE, NIGHT, 'care-in');
    const outcome = await waitForNight(h.ds, CODE, NIGHT, 60_000, () => undefined, 100);
    expect(outcome.ok).toBe(true);
    const [{ n: linesAfter }]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM payment_line WHERE council = $1`, [CODE]);
    expect(linesAfter).toBe(linesBefore);
    const [{ n: extracts }]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM care_extract WHERE council = $1`, [CODE]);
    expect(extracts).toBe(1);
    expect(fs.readFileSync(path.join(h.dirs.finance, `${CODE}-20261123-1.manifest.json`)).equals(manifestBefore)).toBe(true);
    const care: { summary: { counts: Record<string, number> } }[] = await h.ds.query(
      `SELECT summary FROM night_stage WHERE council = $1 AND night_date = $2 AND stage = 'care-in'`, [CODE, NIGHT]);
    expect(care[0].summary.counts).toMatchObject({ applied: 0, duplicates: 1 });
  }, 90_000);

  it('leaves no personal data from the care records in the logs or in Redis', async () => {
    expect(capture.lines.length).toBeGreaterThan(20);
    const parsed = await readMosaicXmlAll(extract);
    const secrets = new Set<string>();
    for (const p of parsed.persons) {
      const d = p.personal;
      [d.nhsNumber, d.dateOfBirth, d.firstName, d.lastName, d.address.line1, d.address.postcode].forEach((v) => v && secrets.add(v));
    }
    for (const y of parsed.payees) {
      [y.bank?.accountNumber, y.bank?.accountName, y.card?.accountRef].forEach((v) => v && secrets.add(v));
      if (y.bank) secrets.add(`"${y.bank.sortCode}"`);
    }
    expect(secrets.size).toBeGreaterThan(200);
    const logs = capture.lines.join('');
    const inLogs = [...secrets].filter((s) => logs.includes(s));
    expect(inLogs).toEqual([]);

    const redis = connectRedis(h.env.REDIS_URL);
    try {
      const keys = await redis.keys(`${h.env.DPB_QUEUE_PREFIX}:*`);
      expect(keys.length).toBeGreaterThan(0);
      let dump = '';
      for (const k of keys) {
        const type = await redis.type(k);
        if (type === 'hash') dump += JSON.stringify(await redis.hgetall(k));
        else if (type === 'string') dump += await redis.get(k);
        else if (type === 'list') dump += JSON.stringify(await redis.lrange(k, 0, -1));
        else if (type === 'set') dump += JSON.stringify(await redis.smembers(k));
        else if (type === 'zset') dump += JSON.stringify(await redis.zrange(k, 0, -1));
        else if (type === 'stream') dump += JSON.stringify(await redis.xrange(k, '-', '+'));
      }
      expect(dump.length).toBeGreaterThan(0);
      expect([...secrets].filter((s) => dump.includes(s))).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
