/**
 * No payment twice, proven against the real database: two workers running the payment stage at
 * once create one run; a worker killed mid-run leaves nothing behind and the re-run produces the
 * same lines and byte-identical files as a replay of the same inputs into a fresh database.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { BacsCalendar, sha256Hex } from '@dpb/common';
import { openDataSource, runMigrations } from '@dpb/persistence';
import { buildRunOutputs, createPaymentRun } from '@dpb/payments';
import { importExtract } from '@dpb/care-records/import/importer';
import { readMosaicXmlAll } from '@dpb/care-records';
import { createHarness, type Harness } from '../support/council-harness';
import { sampleExtractXml } from '../support/extracts';

const ROOT = path.resolve(__dirname, '..', '..');
const RUN_DATE = '2026-11-23';

async function importInto(ds: DataSource, code: string, xml: Buffer): Promise<void> {
  const parsed = await readMosaicXmlAll(xml);
  if (!parsed.ok || !parsed.header) throw new Error('sample extract did not validate');
  await ds.transaction(async (m) => {
    const [{ id }]: { id: string }[] = await m.query(
      `INSERT INTO inbound_file (source, council, name, size, sha256, state) VALUES ('care', $1, 'x.xml', $2, $3, 'APPLIED') RETURNING id`,
      [code, xml.length, sha256Hex(`${code}:${sha256Hex(xml)}`)],
    );
    await importExtract(m, code, id, { ...parsed, header: parsed.header! });
  });
}

async function outputs(ds: DataSource, h: Harness, runId: string) {
  return ds.transaction((m) => buildRunOutputs(m, runId, h.council.settings, BacsCalendar.bundled()));
}

async function linesOf(ds: DataSource, code: string) {
  return ds.query(
    `SELECT dp_id, kind, period_start, period_end, gross_pence, contribution_pence, payable_pence, state, hold_reasons
       FROM payment_line WHERE council = $1 ORDER BY dp_id, period_start, kind`,
    [code],
  );
}

describe('two workers at once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('PP1');
    await importInto(h.ds, 'PP1', await sampleExtractXml('PP1', { dps: 200 }));
  });
  afterAll(() => h.close());

  it('create one run and pay every (DP, period) once', async () => {
    const second = await openDataSource(h.env.DATABASE_URL);
    try {
      const args = { council: 'PP1', runDate: RUN_DATE, settings: h.council.settings };
      const [a, b] = await Promise.all([createPaymentRun(h.ds, args), createPaymentRun(second, args)]);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect(a.lines).toBe(b.lines);
      expect(a.lines).toBeGreaterThan(200);
      const [dups]: { n: number }[] = await h.ds.query(
        `SELECT count(*)::int AS n FROM (SELECT dp_id, period_start FROM payment_line WHERE council = 'PP1' AND kind = 'REGULAR'
          GROUP BY dp_id, period_start HAVING count(*) > 1) d`,
      );
      expect(dups.n).toBe(0);
      const [runs]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM payment_run WHERE council = 'PP1'`);
      expect(runs.n).toBe(1);
    } finally {
      await second.destroy();
    }
  });

  it('are stopped by the database even when the application check is bypassed', async () => {
    const [line]: { id: string }[] = await h.ds.query(`SELECT id FROM payment_line WHERE council = 'PP1' AND kind = 'REGULAR' LIMIT 1`);
    await expect(
      h.ds.query(
        `INSERT INTO payment_line (council, run_id, dp_id, person_id, payee_id, kind, frequency, cost_centre, gl_account, period_start, period_end,
                                   gross_pence, contribution_pence, payable_pence, state, basis_hash, facts)
         SELECT council, run_id, dp_id, person_id, payee_id, kind, frequency, cost_centre, gl_account, period_start, period_end,
                gross_pence, contribution_pence, payable_pence, state, basis_hash, facts FROM payment_line WHERE id = $1`,
        [line.id],
      ),
    ).rejects.toThrow(/payment_line_regular_once/);
  });

  it('refuse a line or credit whose run or credit does not exist, checked per statement', async () => {
    const [line]: { id: string; credit_id: string }[] = await h.ds.query(
      `SELECT id, credit_id FROM payment_line WHERE council = 'PP1' AND credit_id IS NOT NULL LIMIT 1`,
    );
    const copyLine = (runExpr: string, creditExpr: string) =>
      h.ds.query(
        `INSERT INTO payment_line (council, run_id, dp_id, person_id, payee_id, kind, frequency, cost_centre, gl_account, period_start, period_end,
                                   gross_pence, contribution_pence, payable_pence, state, basis_hash, facts, credit_id, cause_extract)
         SELECT council, ${runExpr}, dp_id, person_id, payee_id, 'ADJUSTMENT', frequency, cost_centre, gl_account, period_start, period_end,
                0, 0, 0, state, basis_hash, facts, ${creditExpr}, -7 FROM payment_line WHERE id = $1`,
        [line.id],
      );
    await expect(copyLine(`'PP1-19990101-1'`, 'credit_id')).rejects.toThrow(/refers to a payment run or credit that does not exist/);
    await expect(copyLine('run_id', '-1')).rejects.toThrow(/refers to a payment run or credit that does not exist/);
    await expect(h.ds.query(`UPDATE payment_line SET released_run_id = 'PP1-19990101-1' WHERE id = $1`, [line.id])).rejects.toThrow(
      /payment_line \d+ refers to a payment run or credit/,
    );
    await expect(
      h.ds.query(
        `INSERT INTO credit (council, run_id, payee_id, channel, vendor_no, sort_code, account_number, account_name, payment_ref, end_to_end_id, amount_pence)
         SELECT council, 'PP1-19990101-1', payee_id, channel, vendor_no, sort_code, account_number, account_name, 'NOTARUN1', 'NOTARUN1', amount_pence
           FROM credit WHERE id = $1`,
        [line.credit_id],
      ),
    ).rejects.toThrow(/credit \d+ refers to a payment run that does not exist/);
    // A run and its credits are permanent: no delete, no change of key.
    await expect(h.ds.query(`DELETE FROM payment_run WHERE council = 'PP1'`)).rejects.toThrow(/payment_run rows are a permanent payment record: DELETE refused/);
    await expect(h.ds.query(`DELETE FROM credit WHERE id = $1`, [line.credit_id])).rejects.toThrow(/credit rows are a permanent payment record/);
    await expect(h.ds.query(`UPDATE payment_run SET run_id = 'PP1-X' WHERE council = 'PP1'`)).rejects.toThrow(/permanent payment record: UPDATE refused/);
    // Everything above was refused whole: the run's lines and credits are as they were.
    const [after]: { lines: number; bad: number }[] = await h.ds.query(
      `SELECT count(*)::int AS lines, count(*) FILTER (WHERE cause_extract = -7 OR released_run_id = 'PP1-19990101-1')::int AS bad
         FROM payment_line WHERE council = 'PP1'`,
    );
    expect(after.bad).toBe(0);
    expect(after.lines).toBeGreaterThan(200);
  });
});

describe('a worker killed mid-run', () => {
  let h: Harness;
  let xml: Buffer;
  beforeAll(async () => {
    h = await createHarness('PK1');
    xml = await sampleExtractXml('PK1', { dps: 4000 });
    await importInto(h.ds, 'PK1', xml);
  }, 120_000);
  afterAll(() => h.close());

  it('leaves nothing; the re-run gives the same lines and byte-identical files as a fresh replay', async () => {
    const child = spawn(
      process.execPath,
      ['-r', path.join(ROOT, 'scripts', 'ts-register.js'), path.join(ROOT, 'test', 'support', 'payment-run-process.ts'), 'PK1', RUN_DATE],
      { cwd: ROOT, env: h.rawEnv, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Wait until the child holds the run's advisory lock: it is inside the run's transaction.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [l]: { n: number }[] = await h.ds.query(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()`,
      );
      if (l.n > 0) break;
      if (Date.now() > deadline) throw new Error('the run never started');
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    await exited;
    const [runs]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM payment_run WHERE council = 'PK1'`);
    expect(runs.n).toBe(0);
    const [lines]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM payment_line WHERE council = 'PK1'`);
    expect(lines.n).toBe(0);

    const rerun = await createPaymentRun(h.ds, { council: 'PK1', runDate: RUN_DATE, settings: h.council.settings, filesOffThread: false });
    expect(rerun.created).toBe(true);
    const mine = await outputs(h.ds, h, rerun.runId);

    // Replay the archived input into a fresh database.
    const admin = new Client({ connectionString: h.env.DATABASE_MIGRATION_URL });
    await admin.connect();
    const db = `dpb_replay_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    const url = new URL(h.env.DATABASE_MIGRATION_URL!);
    url.pathname = `/${db}`;
    try {
      await runMigrations(url.toString());
      const replay = await openDataSource(url.toString());
      try {
        await importInto(replay, 'PK1', xml);
        // The replay writes its files on a worker thread, the re-run on this one: the same bytes.
        const r = await createPaymentRun(replay, { council: 'PK1', runDate: RUN_DATE, settings: h.council.settings, filesOffThread: true });
        expect(await linesOf(replay, 'PK1')).toEqual(await linesOf(h.ds, 'PK1'));
        const theirs = await outputs(replay, h, r.runId);
        expect(theirs.financeFiles.map((f) => f.name)).toEqual(mine.financeFiles.map((f) => f.name));
        expect(mine.financeFiles.length).toBeGreaterThanOrEqual(2);
        for (let i = 0; i < mine.financeFiles.length; i++) expect(theirs.financeFiles[i].content.equals(mine.financeFiles[i].content)).toBe(true);
        expect(theirs.cardFiles.length).toBe(mine.cardFiles.length);
        for (let i = 0; i < mine.cardFiles.length; i++) expect(theirs.cardFiles[i].content.equals(mine.cardFiles[i].content)).toBe(true);
        expect(theirs.manifestBytes.equals(mine.manifestBytes)).toBe(true);
        // What each run recorded when it was created (files written from the plan) is what the
        // database rebuilds: the check delivery makes.
        const recorded = async (d: DataSource, runId: string) =>
          ((await d.query(`SELECT manifest_bytes FROM payment_run WHERE run_id = $1`, [runId])) as { manifest_bytes: Buffer }[])[0].manifest_bytes;
        expect((await recorded(h.ds, rerun.runId)).equals(mine.manifestBytes)).toBe(true);
        expect((await recorded(replay, r.runId)).equals(theirs.manifestBytes)).toBe(true);
      } finally {
        await replay.destroy();
      }
    } finally {
      const cleanup = new Client({ connectionString: h.env.DATABASE_MIGRATION_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await cleanup.end();
    }
  }, 180_000);
});
