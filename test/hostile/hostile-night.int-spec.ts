/**
 * One night with the whole hostile corpus (test/hostile/fixtures.ts) in the care, bank and card
 * inboxes, the care inbox over SFTP, plus one valid care export, through the real fleet code
 * (worker role in this process, BullMQ, PostgreSQL): the night finishes, the valid export is
 * applied, every hostile file is quarantined with its own reason, no row comes from a hostile
 * file, and the worker's memory stays within its budget.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { FlowProducer } from 'bullmq';
import { enqueueNight, waitForNight } from '@dpb/pipeline';
import { nameProblem, quarantineNameFor } from '@dpb/transport';
import { closeFleet, startFleet } from '../support/fleet';
import { captureLogger, createHarness, type Harness } from '../support/council-harness';
import { sampleExtractXml } from '../support/extracts';
import { writeHostileCorpus, type HostileFile, type Inbox } from './fixtures';

const CODE = 'PHN';
const NIGHT = '2026-11-23';
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const ZIP_MAX_INFLATED = 16 * 1024 * 1024;
/** What the night may add to this process's resident memory (the zip bomb alone once took ~1 GB). */
const RSS_BUDGET = 400 * 1024 * 1024;

const env = process.env as Record<string, string>;
const sftp = ['DPB_SFTP_HOST', 'DPB_SFTP_PORT', 'DPB_SFTP_USER', 'DPB_SFTP_ROOT'].every((k) => (env[k] ?? '') !== '');

let h: Harness;
let app: INestApplicationContext;
let flows: FlowProducer;
let careDir: string;
let corpus: HostileFile[];
const capture = captureLogger();

beforeAll(async () => {
  // The care inbox over SFTP when the stack has a server (it does in CI), else a local folder.
  let careInbox: Record<string, string> = {};
  if (sftp) {
    const sub = `phn-${randomBytes(4).toString('hex')}`;
    careDir = path.join(env.DPB_SFTP_ROOT, sub);
    fs.mkdirSync(careDir, { recursive: true });
    const remote = path.posix.join(env.DPB_SFTP_REMOTE_ROOT || env.DPB_SFTP_ROOT, sub);
    careInbox = { DPB_CARE_INBOX: `sftp://${env.DPB_SFTP_USER}@${env.DPB_SFTP_HOST}:${env.DPB_SFTP_PORT}${remote}` };
  }
  h = await createHarness(CODE, {
    env: {
      ...careInbox,
      DPB_STABILITY_MS: '20',
      DPB_MAX_FILE_BYTES: String(MAX_FILE_BYTES),
      DPB_ZIP_MAX_INFLATED_BYTES: String(ZIP_MAX_INFLATED),
      DPB_READER_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'trace',
    },
  });
  careDir ??= h.dirs.care;
  corpus = await writeHostileCorpus(CODE, { care: careDir, bank: h.dirs.bank, card: h.dirs.card }, { maxFileBytes: MAX_FILE_BYTES, zipMaxInflatedBytes: ZIP_MAX_INFLATED });
  fs.writeFileSync(path.join(careDir, 'zz-valid-export.xml'), await sampleExtractXml(CODE, { dps: 20, date: NIGHT }));
  ({ app, flows } = await startFleet(h.env, capture.logger));
}, 60_000);

afterAll(async () => {
  await closeFleet(h.env, app, flows);
  if (careDir && careDir !== h.dirs.care) fs.rmSync(careDir, { recursive: true, force: true });
  await h.close();
});

const dirOf = (inbox: Inbox): string => (inbox === 'care' ? careDir : h.dirs[inbox]);
const storedName = (name: string): string => (nameProblem(name) ? quarantineNameFor(name) : name);

async function reasonOf(f: HostileFile): Promise<string> {
  const report = path.join(dirOf(f.inbox), 'quarantine', `${storedName(f.name)}.error.json`);
  if (!fs.existsSync(report)) {
    if (fs.existsSync(path.join(dirOf(f.inbox), f.name))) return '(left in the inbox)';
    const rows: unknown[] = await h.ds.query(`SELECT 1 FROM inbound_file WHERE council = $1 AND name = $2 AND state = 'APPLIED'`, [CODE, f.name]);
    return rows.length ? '(applied)' : '(no quarantine report)';
  }
  const r = JSON.parse(fs.readFileSync(report, 'utf8')) as { file: string; error: { problems: { rule: string }[] } };
  if (r.file !== f.name) return '(report names another file)';
  return r.error.problems[0]?.rule ?? '(no problem listed)';
}

describe('a night full of hostile files', () => {
  it('finishes, applies the valid export, quarantines every hostile file with its reason, writes nothing from them, within its memory budget', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.map((f) => f.inbox))).toEqual(new Set(['care', 'bank', 'card']));

    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const started = Date.now();
    try {
      await enqueueNight(h.ds, flows, CODE, NIGHT);
      const outcome = await waitForNight(h.ds, CODE, NIGHT, 120_000, () => undefined, 100);
      expect(outcome.ok).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;

    // Every stage ran once: no stage failed and was retried because of a file.
    const stages: { stage: string; state: string; attempts: number }[] = await h.ds.query(
      `SELECT stage, state, attempts FROM night_stage WHERE council = $1 AND night_date = $2 ORDER BY stage`, [CODE, NIGHT]);
    expect(stages.every((s) => s.state === 'DONE' && s.attempts === 1)).toBe(true);

    // Every hostile file is quarantined with its own reason. A known gap (`pending`: a rule the
    // statement parsers do not check yet) may still be applied, nothing else.
    const got: { inbox: Inbox; name: string; rule: string }[] = [];
    const want: typeof got = [];
    const gaps: string[] = [];
    for (const f of corpus) {
      const name = JSON.stringify(f.name).slice(0, 60);
      const rule = await reasonOf(f);
      got.push({ inbox: f.inbox, name, rule });
      if (f.pending && rule === '(applied)') gaps.push(`${f.name} (${f.what}): ${f.pending}`);
      want.push({ inbox: f.inbox, name, rule: f.pending && !rule.startsWith('(left') && !rule.startsWith('(no ') ? rule : f.rule });
    }
    expect(got).toEqual(want);
    if (gaps.length) console.log(`hostile night: known gaps still applied by the statement parsers:\n  ${gaps.join('\n  ')}`);

    // The valid export was applied, and nothing else from the care inbox.
    const applied: { name: string }[] = await h.ds.query(
      `SELECT name FROM inbound_file WHERE council = $1 AND state = 'APPLIED' ORDER BY name`, [CODE]);
    expect(applied.map((r) => r.name)).toEqual(['zz-valid-export.xml', ...corpus.filter((f) => gaps.some((g) => g.startsWith(`${f.name} `))).map((f) => f.name)].sort());
    const [{ n: dps }]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM direct_payment WHERE council = $1`, [CODE]);
    expect(dps).toBe(20);

    // No raw hostile name reached the logs (only generated names and hashes).
    const logged = capture.lines.join('');
    const personal = corpus.filter((c) => ![null, 'RESERVED'].includes(nameProblem(c.name)));
    for (const f of personal) expect(logged).not.toContain(JSON.stringify(f.name).slice(1, -1));

    // Nothing is left in any inbox.
    for (const inbox of ['care', 'bank', 'card'] as const) {
      expect(fs.readdirSync(dirOf(inbox)).filter((n) => n !== 'quarantine' && n !== 'archive')).toEqual([]);
    }

    // Nothing partial: no row in any table points at a file that was not applied.
    const tables: { table_name: string }[] = await h.ds.query(
      `SELECT table_name FROM information_schema.columns WHERE column_name = 'inbound_file_id' AND table_schema = current_schema()`);
    for (const { table_name } of tables) {
      const [{ n }]: { n: number }[] = await h.ds.query(
        `SELECT count(*)::int AS n FROM ${table_name} t JOIN inbound_file f ON f.id = t.inbound_file_id WHERE f.council = $1 AND f.state <> 'APPLIED'`, [CODE]);
      expect({ table: table_name, rows: n }).toEqual({ table: table_name, rows: 0 });
    }

    // Memory: the night's growth stays within budget (no file was inflated or buffered whole).
    const growth = { rssMiB: Math.round((peakRss - base.rss) / 2 ** 20), heapMiB: Math.round((peakHeap - base.heapUsed) / 2 ** 20), seconds };
    console.log(`hostile night: ${corpus.length} hostile files + 1 valid export; ${JSON.stringify(growth)}`);
    expect(peakRss - base.rss).toBeLessThan(RSS_BUDGET);
  }, 180_000);
});
