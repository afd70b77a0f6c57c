/**
 * Officers' work on payment runs, against the real database (docs/payment-rules.md, "Holds",
 * "The run manifest"): a released FIRST_PAYMENT line is recomputed and paid in the next run; a cancelled
 * line is never paid; a bank-details change holds the next line; a held run writes only its held
 * manifest until released, then its files are delivered; `authorise` mode enforces four eyes;
 * explain shows Hampshire's 575.72 arithmetic; the CLI and the ops API reach the same functions.
 */
import * as fs from 'node:fs';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BacsCalendar, toCanonical } from '@dpb/common';
import { buildRunOutputs, createPaymentRun, type Manifest } from '@dpb/payments';
import {
  OfficerRefusal,
  approveRun,
  cancelLine,
  explainLine,
  listHeldLines,
  listRuns,
  releaseLine,
  jsonReady,
  releaseRun,
  renderExplanation,
} from '@dpb/payments/officer';
import { calcFromJson } from '@dpb/payments/run/calc-basis';
import { deliverRun } from '@dpb/pipeline/stages/payment-run';
import { approveRunAndDeliver, releaseRunAndDeliver } from '@dpb/pipeline/officer-actions';
import { OfficerController, OpsBasicAuthGuard } from '@dpb/pipeline/nest/officer.controller';
import { COUNCILS, ENV } from '@dpb/pipeline';
import { registerOfficerCommands } from '../../apps/cli/src/officer-commands';
import { createHarness, type Harness, specCli } from '../support/council-harness';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

const run = (h: Harness, runDate: string) => createPaymentRun(h.ds, { council: h.code, runDate, settings: h.council.settings });

async function lineOf(h: Harness, dpId: string, periodStart: string, kind = 'REGULAR') {
  const [l]: {
    id: string; state: string; hold_reasons: string[]; released_run_id: string | null; credit_id: string | null; payable_pence: string; decided_by: string | null; cost_centre: string;
  }[] =
    await h.ds.query(`SELECT * FROM payment_line WHERE council = $1 AND dp_id = $2 AND period_start = $3 AND kind = $4`, [h.code, dpId, periodStart, kind]);
  return l;
}

async function manifestOf(h: Harness, runId: string): Promise<Manifest> {
  return (await h.ds.transaction((m) => buildRunOutputs(m, runId, h.council.settings, BacsCalendar.bundled()))).manifest;
}

async function refusal(p: Promise<unknown>): Promise<OfficerRefusal> {
  try {
    await p;
  } catch (e) {
    if (e instanceof OfficerRefusal) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const filesOf = (h: Harness, prefix: string) => fs.readdirSync(h.dirs.finance).filter((f) => f.startsWith(prefix)).sort();

// ---- 1. FIRST_PAYMENT holds: release pays (recomputed) in the next run, cancel never pays --------

describe('held lines released or cancelled by an officer (OF1)', () => {
  let h: Harness;
  // DPA and DPB start Mon 2026-11-16 (after go-live 2026-11-02): their first period, 16-22 Nov,
  // is due on the night of 2026-11-11 (3rd Bacs day before 16 Nov: 13, 12, 11) and held FIRST_PAYMENT.
  beforeAll(async () => {
    h = await createHarness('OF1');
    await importContent(h, '2026-11-10T01:00:00.000Z', [person('P1'), person('P2')], [bankPayee('PY1'), bankPayee('PY2', '12345678')], [
      weeklyDp('DPA', 'P1', 'PY1', '2026-11-16', 14000n),
      weeklyDp('DPB', 'P2', 'PY2', '2026-11-16', 7000n),
    ]);
  });
  afterAll(() => h.close());

  it('holds both first payments and lists them for an officer', async () => {
    const r1 = await run(h, '2026-11-11');
    expect(r1).toMatchObject({ created: true, lines: 2, heldLines: 2, credits: 0, payablePence: 0n, heldPence: 21000n });
    const held = await listHeldLines(h.ds, 'OF1');
    expect(held.map((l) => [l.dpId, l.periodStart, l.payablePence, l.holds.map((x) => x.code)])).toEqual([
      ['DPA', '2026-11-16', 14000n, ['FIRST_PAYMENT']],
      ['DPB', '2026-11-16', 7000n, ['FIRST_PAYMENT']],
    ]);
    expect(held[0].holds[0].text).toMatch(/first payment/);
    expect(await listHeldLines(h.ds, 'OF1', { reason: 'BANK_CHANGED' })).toEqual([]);
  });

  it('release and cancel are recorded, idempotent, and refuse the other decision afterwards', async () => {
    const a = await lineOf(h, 'DPA', '2026-11-16');
    const b = await lineOf(h, 'DPB', '2026-11-16');
    const rel = await releaseLine(h.ds, a.id, 'Alice Officer');
    expect(rel).toMatchObject({ outcome: 'RELEASED', state: 'RELEASED', decidedBy: 'Alice Officer', releasedRunId: null });
    expect(rel.decidedAt).toEqual(expect.any(String));
    expect((await releaseLine(h.ds, a.id, 'Bob Officer')).outcome).toBe('ALREADY_RELEASED');
    expect((await refusal(cancelLine(h.ds, a.id, 'Bob Officer'))).code).toBe('LINE_RELEASED');

    expect((await cancelLine(h.ds, b.id, 'Alice Officer', { reason: 'duplicate set-up' })).outcome).toBe('CANCELLED');
    expect((await cancelLine(h.ds, b.id, 'Alice Officer')).outcome).toBe('ALREADY_CANCELLED');
    const refused = await refusal(releaseLine(h.ds, b.id, 'Bob Officer'));
    expect(refused.code).toBe('LINE_CANCELLED');
    expect(refused.message).toBe(`line ${b.id} was cancelled; a cancelled line is never paid`);

    expect((await refusal(releaseLine(h.ds, '999999999', 'Alice Officer'))).code).toBe('NOT_FOUND');
    expect((await refusal(releaseLine(h.ds, a.id, '  '))).code).toBe('BAD_INPUT');
    expect(await listHeldLines(h.ds, 'OF1')).toEqual([]);

    const audit: { subject_id: string; action: string; outcome: string; officer: string; reason: string | null }[] = await h.ds.query(
      `SELECT subject_id, action, outcome, officer, reason FROM officer_action WHERE council = 'OF1' ORDER BY id`,
    );
    expect(audit.map((x) => [x.subject_id, x.action, x.outcome, x.officer, x.reason])).toEqual([
      [a.id, 'LINE_RELEASE', 'DONE', 'Alice Officer', null],
      [a.id, 'LINE_RELEASE', 'ALREADY_DONE', 'Bob Officer', null],
      [a.id, 'LINE_CANCEL', 'REFUSED', 'Bob Officer', 'LINE_RELEASED'],
      [b.id, 'LINE_CANCEL', 'DONE', 'Alice Officer', 'duplicate set-up'],
      [b.id, 'LINE_CANCEL', 'ALREADY_DONE', 'Alice Officer', null],
      [b.id, 'LINE_RELEASE', 'REFUSED', 'Bob Officer', 'LINE_CANCELLED'],
    ]);
  });

  it('pays the released line in the next run, recomputed from the changed record; never the cancelled one', async () => {
    // DPA's rate is corrected to 147.00 from its start before the next run, and its cost centre
    // moves to ASC9: the released line is recomputed, 7 days x 147.00 / 7 = 147.00, and paid
    // under the DP's current coding.
    await importContent(h, '2026-11-17T01:00:00.000Z', [person('P1'), person('P2')], [bankPayee('PY1'), bankPayee('PY2', '12345678')], [
      weeklyDp('DPA', 'P1', 'PY1', '2026-11-16', 14700n, { costCentre: 'ASC9' }),
      weeklyDp('DPB', 'P2', 'PY2', '2026-11-16', 7000n),
    ]);
    const r2 = await run(h, '2026-11-18');
    const a = await lineOf(h, 'DPA', '2026-11-16');
    expect(a).toMatchObject({ state: 'RELEASED', released_run_id: r2.runId, payable_pence: '14700', decided_by: 'Alice Officer', cost_centre: 'ASC9' });
    expect(a.credit_id).not.toBeNull();
    // The files written when the run was created are the ones rebuilt from the database for delivery.
    const delivered = await deliverRun(h.ds, h.env, h.council, r2.runId);
    const idocName = delivered.delivered.find((n) => n.endsWith('_SAP_IDOC.xml'));
    expect(idocName).toBeDefined();
    const idoc = fs.readFileSync(`${h.dirs.finance}/${idocName}`, 'utf8');
    expect(idoc).toContain('<COSTCENTER>ASC9</COSTCENTER>');
    const b = await lineOf(h, 'DPB', '2026-11-16');
    expect(b).toMatchObject({ state: 'CANCELLED', released_run_id: null, credit_id: null });
    // explain reproduces the recomputed 147.00 from the later version of the record.
    const e = await explainLine(h.ds, a.id);
    expect(e.amount?.arithmetic).toMatchObject({ grossSumPence: 102900n, grossPence: 14700n, payablePence: 14700n });
    expect(e.reproduces).toBe(true);
    expect(e.notes.join('\n')).toContain(`recomputed when released into run ${r2.runId}`);
    expect(e.paidInRun?.runId).toBe(r2.runId);
    expect(e.officerActions.map((x) => [x.action, x.outcome])).toEqual([['LINE_RELEASE', 'DONE'], ['LINE_RELEASE', 'ALREADY_DONE'], ['LINE_CANCEL', 'REFUSED']]);

    const manifest = await manifestOf(h, r2.runId);
    const inManifest = manifest.lines.filter((l) => l.periodStart === '2026-11-16' && l.kind === 'REGULAR');
    expect(inManifest).toEqual([
      expect.objectContaining({ dpId: 'DPA', kind: 'REGULAR', payablePence: 14700, held: false, paymentRef: expect.any(String) }),
    ]);
    // The cancelled line is in no run's files, now or later.
    const r3 = await run(h, '2026-11-25');
    for (const id of [r2.runId, r3.runId]) {
      expect((await manifestOf(h, id)).lines.some((l) => l.dpId === 'DPB' && l.periodStart === '2026-11-16')).toBe(false);
    }
    expect((await lineOf(h, 'DPB', '2026-11-16')).state).toBe('CANCELLED');
  });

  // Regression: officer-released lines still waiting for their run are not "released groups" to
  // adjust, so a record change between the release and the next run is not paid twice.
  it('pays the released period once in total: no ADJUSTMENT on top of the recomputed release', async () => {
    const rows: { kind: string; payable_pence: string }[] = await h.ds.query(
      `SELECT kind, payable_pence FROM payment_line WHERE council = 'OF1' AND dp_id = 'DPA' AND period_start = '2026-11-16' AND state = 'RELEASED'`,
    );
    const total = rows.reduce((t, r) => t + BigInt(r.payable_pence), 0n);
    expect(rows.map((r) => r.kind)).toEqual(['REGULAR']);
    expect(total).toBe(14700n);
  });
});

// ---- 2. Bank-details change ---------------------------------------------------------------------

describe('a bank-details change holds the next line (OF2)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('OF2');
    // DPC started before go-live: not a first payment. Night of 2026-11-04 pays 2-8 and 9-15 Nov.
    await importContent(h, '2026-11-03T01:00:00.000Z', [person('P1')], [bankPayee('PY1')], [weeklyDp('DPC', 'P1', 'PY1', '2026-01-05', 10000n)]);
  });
  afterAll(() => h.close());

  it('holds the line after the payee account changes, with BANK_CHANGED', async () => {
    const r1 = await run(h, '2026-11-04');
    expect(r1).toMatchObject({ lines: 2, heldLines: 0, credits: 1, payablePence: 20000n });
    await importContent(h, '2026-11-10T01:00:00.000Z', [person('P1')], [bankPayee('PY1', '12345678')], [weeklyDp('DPC', 'P1', 'PY1', '2026-01-05', 10000n)]);
    const r2 = await run(h, '2026-11-11');
    expect(r2).toMatchObject({ lines: 1, heldLines: 1, credits: 0 });
    const l = await lineOf(h, 'DPC', '2026-11-16');
    expect(l).toMatchObject({ state: 'HELD', hold_reasons: ['BANK_CHANGED'] });
    const held = await listHeldLines(h.ds, 'OF2', { reason: 'BANK_CHANGED' });
    expect(held.map((x) => x.id)).toEqual([l.id]);
    expect(held[0].holds[0].text).toMatch(/bank details changed/);
    // No bank details in what officers see.
    expect(JSON.stringify(held, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toMatch(/12345678|66374958|089999/);
  });
});

// ---- 3. Held run: only the held manifest until released, then delivered ---------------------------

async function heldRunScenario(h: Harness): Promise<{ r1: string; r2: string }> {
  // Night 2026-10-28: DPD pays 2-8 Nov (100.00). Then DPE arrives (also started before go-live):
  // night 2026-11-04 pays DPD 9-15 Nov and DPE 2-8 and 9-15 Nov: WEEKLY total 300.00 against
  // 100.00 (+200% > holdRunPct 20): the run is held.
  await importContent(h, '2026-10-27T01:00:00.000Z', [person('P1')], [bankPayee('PY1')], [weeklyDp('DPD', 'P1', 'PY1', '2026-01-05', 10000n)]);
  const r1 = await run(h, '2026-10-28');
  await deliverRun(h.ds, h.env, h.council, r1.runId);
  await importContent(h, '2026-11-03T01:00:00.000Z', [person('P1'), person('P2')], [bankPayee('PY1'), bankPayee('PY2', '12345678')], [
    weeklyDp('DPD', 'P1', 'PY1', '2026-01-05', 10000n),
    weeklyDp('DPE', 'P2', 'PY2', '2026-01-05', 10000n),
  ]);
  const r2 = await run(h, '2026-11-04');
  expect(r2).toMatchObject({ state: 'HELD', runHoldReasons: ['RUN_CHANGE_PCT:WEEKLY'], lines: 3, heldLines: 0, payablePence: 30000n });
  await deliverRun(h.ds, h.env, h.council, r2.runId);
  return { r1: r1.runId, r2: r2.runId };
}

describe('a held run (OF3)', () => {
  let h: Harness;
  let ids: { r1: string; r2: string };
  beforeAll(async () => {
    h = await createHarness('OF3');
    ids = await heldRunScenario(h);
  });
  afterAll(() => h.close());

  it('writes only its held manifest and is listed as needing release', async () => {
    expect(filesOf(h, 'OF3-20261104') ).toEqual(['OF3-20261104-1.held.manifest.json']);
    expect(filesOf(h, 'OF3_20261104')).toEqual([]);
    const held = JSON.parse(fs.readFileSync(`${h.dirs.finance}/OF3-20261104-1.held.manifest.json`, 'utf8'));
    expect(held).toMatchObject({ held: true, files: [] });
    const [r] = await listRuns(h.ds, 'OF3');
    expect(r).toMatchObject({ runId: ids.r2, state: 'HELD', needs: 'RELEASE', lines: 3, payablePence: 30000n });
    expect(r.holds[0].text).toMatch(/weekly regular total/);
    expect((await refusal(approveRun(h.ds, ids.r2, 'Bob Officer'))).code).toBe('RUN_HELD');
    expect((await refusal(releaseRun(h.ds, ids.r1, 'Alice Officer', () => 'auto'))).code).toBe('RUN_NOT_HELD');
  });

  it('after release, delivers its files and the final manifest', async () => {
    const { decision, delivery } = await releaseRunAndDeliver(h.ds, h.env, h.councils, ids.r2, 'Alice Officer');
    expect(decision).toMatchObject({ outcome: 'RELEASED', state: 'RELEASED', holdsReleasedBy: 'Alice Officer' });
    const payFiles = filesOf(h, 'OF3_20261104');
    expect(payFiles).toEqual(['OF3_20261104_1_BACS_STD18.txt', 'OF3_20261104_1_SAP_IDOC.xml'].sort());
    expect(delivery?.delivered.sort()).toEqual([...payFiles, 'OF3-20261104-1.manifest.json'].sort());
    const final = JSON.parse(fs.readFileSync(`${h.dirs.finance}/OF3-20261104-1.manifest.json`, 'utf8'));
    // Two credits (PY1: 100.00, PY2: 200.00), 300.00 in all.
    expect(final).toMatchObject({ runId: ids.r2, held: false, totals: { lines: 3, payablePence: 30000, heldPence: 0 } });
    for (const f of final.files) expect(f).toMatchObject({ records: 2, totalPence: 30000 });
    const [row]: { state: string }[] = await h.ds.query(`SELECT state FROM payment_run WHERE run_id = $1`, [ids.r2]);
    expect(row.state).toBe('DELIVERED');
    const again = await releaseRunAndDeliver(h.ds, h.env, h.councils, ids.r2, 'Alice Officer');
    expect(again).toEqual({ decision: expect.objectContaining({ outcome: 'ALREADY_RELEASED', state: 'DELIVERED' }), delivery: null });
  });
});

// ---- 4. authorise mode: four eyes ------------------------------------------------------------------

describe("releaseMode authorise: a second officer's approval (OF4)", () => {
  let h: Harness;
  let ids: { r1: string; r2: string };
  beforeAll(async () => {
    h = await createHarness('OF4', { settings: { releaseMode: 'authorise' } });
    ids = await heldRunScenario(h);
  });
  afterAll(() => h.close());

  it('every run waits for approval; an unheld one may be approved by any officer', async () => {
    expect(filesOf(h, 'OF4_20261028')).toEqual([]);
    expect(filesOf(h, 'OF4-20261028')).toEqual(['OF4-20261028-1.held.manifest.json']);
    const r = await approveRunAndDeliver(h.ds, h.env, h.councils, ids.r1, 'Alice Officer');
    expect(r.decision).toMatchObject({ outcome: 'APPROVED', approvedBy: 'Alice Officer' });
    expect(filesOf(h, 'OF4_20261028').length).toBe(2);
    expect(filesOf(h, 'OF4-20261028')).toContain('OF4-20261028-1.manifest.json');
  });

  it('refuses approval by the officer who released the holds and accepts a second officer', async () => {
    const rel = await releaseRunAndDeliver(h.ds, h.env, h.councils, ids.r2, 'Alice Officer');
    expect(rel).toEqual({ decision: expect.objectContaining({ outcome: 'AWAITING_APPROVAL', state: 'AWAITING_APPROVAL' }), delivery: null });
    expect(filesOf(h, 'OF4_20261104')).toEqual([]);
    const four = await refusal(approveRunAndDeliver(h.ds, h.env, h.councils, ids.r2, ' alice  officer'));
    expect(four.code).toBe('FOUR_EYES');
    expect(filesOf(h, 'OF4_20261104')).toEqual([]);
    const ok = await approveRunAndDeliver(h.ds, h.env, h.councils, ids.r2, 'Bob Officer');
    expect(ok.decision).toMatchObject({ outcome: 'APPROVED', holdsReleasedBy: 'Alice Officer', approvedBy: 'Bob Officer' });
    expect(filesOf(h, 'OF4_20261104').length).toBe(2);
    const [row]: { state: string; approved_at: Date | null }[] = await h.ds.query(`SELECT state, approved_at FROM payment_run WHERE run_id = $1`, [ids.r2]);
    expect(row.state).toBe('DELIVERED');
    expect(row.approved_at).not.toBeNull();
    const audit: { action: string; outcome: string; reason: string | null }[] = await h.ds.query(
      `SELECT action, outcome, reason FROM officer_action WHERE subject_id = $1 ORDER BY id`,
      [ids.r2],
    );
    expect(audit).toEqual([
      { action: 'RUN_RELEASE', outcome: 'DONE', reason: null },
      { action: 'RUN_APPROVE', outcome: 'REFUSED', reason: 'FOUR_EYES' },
      { action: 'RUN_APPROVE', outcome: 'DONE', reason: null },
    ]);
  });
});

// ---- 4b. Two councils with a DP of the same id and terms keep their own calculation inputs --------

describe('calculation inputs are kept per council (OF6, OF7)', () => {
  const hs: Harness[] = [];
  beforeAll(async () => {
    for (const code of ['OF6', 'OF7']) {
      const h = await createHarness(code);
      hs.push(h);
      await importContent(h, '2026-11-03T01:00:00.000Z', [person('P1')], [bankPayee('PY1')], [weeklyDp('DPSAME', 'P1', 'PY1', '2026-01-05', 10000n)]);
      await run(h, '2026-11-04');
    }
  });
  afterAll(async () => {
    for (const h of hs) await h.close();
  });

  it('stores each council its own row and explains each council’s line from it', async () => {
    const rows: { council: string; basis_hash: string }[] = await hs[0].ds.query(
      `SELECT council, basis_hash FROM calc_basis WHERE dp_id = 'DPSAME' AND council IN ('OF6', 'OF7') ORDER BY council`,
    );
    expect(rows.map((r) => r.council)).toEqual(['OF6', 'OF7']);
    expect(rows[0].basis_hash).toBe(rows[1].basis_hash); // same DP id and terms: the same hash
    for (const h of hs) {
      const e = await explainLine(h.ds, (await lineOf(h, 'DPSAME', '2026-11-02')).id);
      expect(e.basis?.hash).toBe(rows[0].basis_hash);
      expect(e.reproduces).toBe(true);
    }
  });
});

// ---- 5. explain: Hampshire's 575.72 in a monthly DP; CLI and API ------------------------------------

describe("explain shows Hampshire's 575.72 arithmetic (OF5)", () => {
  let h: Harness;
  let lineId: string;
  beforeAll(async () => {
    h = await createHarness('OF5');
    // Monthly DP from 2026-04-01 (before go-live): weekly 150.00, contribution 20.00. December 2026
    // (31 days) is due on the night of 2026-11-26 (3rd Bacs day before Tue 1 Dec: 30, 27, 26 Nov).
    await importContent(h, '2026-11-25T01:00:00.000Z', [person('P1'), person('P2')], [bankPayee('PY1'), bankPayee('PY2', '12345678')], [
      weeklyDp('DPH', 'P1', 'PY1', '2026-04-01', 15000n, { frequency: 'MONTHLY', contributions: [{ from: '2026-04-01', weeklyPence: 2000n }] }),
      weeklyDp('DPN', 'P2', 'PY2', '2026-11-30', 7000n),
    ]);
    await run(h, '2026-11-26');
    await deliverRun(h.ds, h.env, h.council, 'OF5-20261126-1');
    lineId = (await lineOf(h, 'DPH', '2026-12-01')).id;
  });
  afterAll(() => h.close());

  it('recomputes the days, the rounding of each component and the credit', async () => {
    const e = await explainLine(h.ds, lineId);
    expect(e.line).toMatchObject({ dpId: 'DPH', kind: 'REGULAR', periodStart: '2026-12-01', periodEnd: '2026-12-31', grossPence: 66429n, contributionPence: 8857n, payablePence: 57572n, state: 'RELEASED' });
    expect(e.amount?.arithmetic).toMatchObject({ payableDays: 31, grossSumPence: 465000n, grossPence: 66429n, contributionSumPence: 62000n, contributionPence: 8857n, netPence: 57572n, payablePence: 57572n });
    expect(e.amount?.days).toHaveLength(31);
    expect(e.reproduces).toBe(true);
    expect(e.credit).toMatchObject({ amountPence: 57572n, paymentRef: expect.any(String), endToEndId: expect.any(String), runId: 'OF5-20261126-1' });
    expect(e.run).toMatchObject({ runId: 'OF5-20261126-1', runDate: '2026-11-26', state: 'DELIVERED' });
    expect(e.holds).toEqual([]);
  });

  // The calc_basis document carries the care record's terms document; rows stored before it did
  // (the input as canonical JSON, the rules' field names) explain the same, to the byte.
  it('explains the same from a calc_basis row stored in the first shape', async () => {
    const where = `WHERE council = 'OF5' AND basis_hash = (SELECT basis_hash FROM payment_line WHERE id = $1)`;
    const [row]: { calc: { terms?: unknown } }[] = await h.ds.query(`SELECT calc FROM calc_basis ${where}`, [lineId]);
    expect(row.calc.terms).toMatchObject({ rates: [{ from: '2026-04-01', weeklyGross: '15000' }], contributions: [{ from: '2026-04-01', weekly: '2000' }] });
    const now = await explainLine(h.ds, lineId);
    await h.ds.query(`UPDATE calc_basis SET calc = $2::jsonb ${where}`, [lineId, JSON.stringify(toCanonical(calcFromJson(row.calc)))]);
    try {
      const [old]: { calc: Record<string, unknown> }[] = await h.ds.query(`SELECT calc FROM calc_basis ${where}`, [lineId]);
      expect(old.calc).not.toHaveProperty('terms');
      expect(old.calc.rates).toEqual([{ from: '2026-04-01', weeklyGrossPence: '15000' }]);
      const before = await explainLine(h.ds, lineId);
      expect(before).toEqual(now);
      expect(renderExplanation(before)).toEqual(renderExplanation(now));
      expect(JSON.stringify(jsonReady(before))).toBe(JSON.stringify(jsonReady(now)));
    } finally {
      await h.ds.query(`UPDATE calc_basis SET calc = $2::jsonb ${where}`, [lineId, JSON.stringify(row.calc)]);
    }
  });

  it('through the CLI: explain, holds list, holds release, runs list', async () => {
    const out: string[] = [];
    const program = specCli(h, registerOfficerCommands, out);
    await program.run('explain', lineId);
    const text = out.join('\n');
    expect(text).toContain('gross = round_half_up(4650.00 / 7) = round_half_up(664.2857...) = 664.29');
    expect(text).toContain('payable = max(net, 0) = 575.72');
    expect(text).toContain('2026-12-01..2026-12-31 (31 days) payable at gross 150.00/wk, contribution 20.00/wk');

    out.length = 0;
    await program.run('explain', lineId, '--json');
    expect(JSON.parse(out.join('\n')).line.payablePence).toBe(57572);

    out.length = 0;
    await program.run('holds', 'list', '--council', 'OF5');
    const held = await lineOf(h, 'DPN', '2026-11-30');
    expect(out[0]).toBe('1 held line(s)');
    expect(out[1]).toContain(`line ${held.id}  OF5`);
    expect(out[1]).toContain('FIRST_PAYMENT');

    out.length = 0;
    await program.run('holds', 'release', held.id, '--officer', 'Carol Officer');
    expect(out).toEqual([`line ${held.id}: released; it will be recomputed and paid in the next OF5 run`]);
    await expect(program.run('holds', 'cancel', held.id, '--officer', 'Carol Officer')).rejects.toThrow(
      `refused (LINE_RELEASED): line ${held.id} is not held (it was released)`,
    );

    out.length = 0;
    await program.run('runs', 'list', '--council', 'OF5', '--json');
    expect(JSON.parse(out.join('\n'))).toEqual([expect.objectContaining({ runId: 'OF5-20261126-1', state: 'DELIVERED', payablePence: 57572, heldPence: 0 })]);
  });

  // Regression: a delivered run's manifest is its record; an officer's later decision on one of its
  // held lines does not change it, so the run can be delivered again (ALREADY_DELIVERED).
  it('can deliver a run again after an officer released one of its held lines', async () => {
    const again = await deliverRun(h.ds, h.env, h.council, 'OF5-20261126-1');
    expect(again.delivered).toEqual([]);
    expect(again.alreadyDelivered.sort()).toEqual(['OF5-20261126-1.manifest.json', 'OF5_20261126_1_BACS_STD18.txt', 'OF5_20261126_1_SAP_IDOC.xml']);
  });

  describe('through the ops API', () => {
    let app: INestApplication;
    let base: string;
    const auth = { Authorization: `Basic ${Buffer.from('ops:test-password-123').toString('base64')}` };
    beforeAll(async () => {
      const mod = await Test.createTestingModule({
        controllers: [OfficerController],
        providers: [
          { provide: DataSource, useValue: h.ds },
          { provide: ENV, useValue: h.env },
          { provide: COUNCILS, useValue: h.councils },
          OpsBasicAuthGuard,
        ],
      }).compile();
      app = mod.createNestApplication({ logger: false });
      await app.listen(0, '127.0.0.1');
      base = `${await app.getUrl()}/api`.replace('[::1]', '127.0.0.1');
    });
    afterAll(() => app.close());

    it('needs the ops login and an X-Officer header, and answers refusals with 409', async () => {
      expect((await fetch(`${base}/runs`)).status).toBe(401);
      expect((await fetch(`${base}/runs`, { headers: { Authorization: `Basic ${Buffer.from('ops:wrong-password-1').toString('base64')}` } })).status).toBe(401);
      const runs = await (await fetch(`${base}/runs?council=OF5`, { headers: auth })).json();
      expect(runs).toEqual([expect.objectContaining({ runId: 'OF5-20261126-1', payablePence: 57572 })]);

      const explain = (await (await fetch(`${base}/lines/${lineId}/explain`, { headers: auth })).json()) as { amount: { arithmetic: unknown } };
      expect(explain.amount.arithmetic).toMatchObject({ grossPence: 66429, contributionPence: 8857, payablePence: 57572 });

      expect((await fetch(`${base}/runs/OF5-20261126-1/approve`, { method: 'POST', headers: auth })).status).toBe(400);
      const notAwaiting = await fetch(`${base}/runs/OF5-20261126-1/approve`, { method: 'POST', headers: { ...auth, 'X-Officer': 'Dan Officer' } });
      expect(notAwaiting.status).toBe(409);
      expect(await notAwaiting.json()).toMatchObject({ code: 'NOT_AWAITING_APPROVAL' });
      expect((await fetch(`${base}/holds/999999999/release`, { method: 'POST', headers: { ...auth, 'X-Officer': 'Dan Officer' } })).status).toBe(404);
      expect(await (await fetch(`${base}/holds?council=OF5`, { headers: auth })).json()).toEqual([]);
    });
  });
});
