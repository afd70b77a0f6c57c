/**
 * The night's horizon (load.ts nightHorizon): a DP whose calculation input is the one recorded by
 * the previous run is walked only from that run's date. Two councils get the same extracts night
 * after night (rate change, a new backdated DP, a DP moved earlier, an end, a retrospective
 * suspension); one plans with the horizon, the other walks every DP from go-live. Their lines and
 * recovery proposals must be the same every night.
 */
import type { DataSource } from 'typeorm';
import { BacsCalendar } from '@dpb/common';
import { createPaymentRun, loadRunInput } from '@dpb/payments';
import { explainLine } from '@dpb/payments/officer';
import type { DirectPayment, Payee, Person } from '@dpb/care-records';
import { createHarness, type Harness } from '../support/council-harness';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

interface Night {
  importAt: string;
  runDate: string;
  dps: DirectPayment[];
}

const persons: Person[] = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map(person);
const payees: Payee[] = ['PY1', 'PY2', 'PY3', 'PY4', 'PY5', 'PY6'].map((p, i) => bankPayee(p, String(66374958 + i * 11)));

const A = (rates = [{ from: '2026-01-05', weeklyGrossPence: 10000n }]) => weeklyDp('DPA', 'P1', 'PY1', '2026-01-05', 10000n, { rates });
const B = (end: string | null = null) => weeklyDp('DPB', 'P2', 'PY2', '2026-04-01', 15000n, { frequency: 'MONTHLY', end });
const C = () => weeklyDp('DPC', 'P3', 'PY3', '2026-10-05', 8000n, { frequency: 'FOUR_WEEKLY' });
const D = (suspensions: DirectPayment['suspensions'] = []) => weeklyDp('DPD', 'P4', 'PY4', '2026-10-19', 9000n, { suspensions });
const E = (start: string) => weeklyDp('DPE', 'P5', 'PY5', start, 7000n);
// Planned from the first night, unchanged, with no line until its first week is released (9 Dec).
const F = () => weeklyDp('DPF', 'P6', 'PY6', '2026-12-14', 6000n);

const NIGHTS: Night[] = [
  { importAt: '2026-11-03T01:00:00.000Z', runDate: '2026-11-04', dps: [A(), B(), C(), E('2026-12-07'), F()] },
  // DPA's rate rises from 9 Nov; DPD arrives, started before go-live.
  { importAt: '2026-11-10T01:00:00.000Z', runDate: '2026-11-11', dps: [A([{ from: '2026-01-05', weeklyGrossPence: 10000n }, { from: '2026-11-09', weeklyGrossPence: 12000n }]), B(), C(), D(), E('2026-12-07'), F()] },
  { importAt: '2026-11-17T01:00:00.000Z', runDate: '2026-11-18', dps: [A([{ from: '2026-01-05', weeklyGrossPence: 10000n }, { from: '2026-11-09', weeklyGrossPence: 12000n }]), B(), C(), D(), E('2026-12-07'), F()] },
  // DPB ends mid-December; DPE's start moves from 7 Dec back to 9 Nov (three missed weeks).
  { importAt: '2026-11-24T01:00:00.000Z', runDate: '2026-11-25', dps: [A([{ from: '2026-01-05', weeklyGrossPence: 10000n }, { from: '2026-11-09', weeklyGrossPence: 12000n }]), B('2026-12-15'), C(), D(), E('2026-11-09'), F()] },
  { importAt: '2026-12-01T01:00:00.000Z', runDate: '2026-12-02', dps: [A([{ from: '2026-01-05', weeklyGrossPence: 10000n }, { from: '2026-11-09', weeklyGrossPence: 12000n }]), B('2026-12-15'), C(), D(), E('2026-11-09'), F()] },
  // DPD was in hospital 16-22 Nov (already paid): a recovery or adjustment, never a second payment.
  { importAt: '2026-12-08T01:00:00.000Z', runDate: '2026-12-09', dps: [A([{ from: '2026-01-05', weeklyGrossPence: 10000n }, { from: '2026-11-09', weeklyGrossPence: 12000n }]), B('2026-12-15'), C(), D([{ from: '2026-11-16', to: '2026-11-22', reason: 'HOSPITAL' }]), E('2026-11-09'), F()] },
  { importAt: '2026-12-15T01:00:00.000Z', runDate: '2026-12-16', dps: [A([{ from: '2026-01-05', weeklyGrossPence: 10000n }, { from: '2026-11-09', weeklyGrossPence: 12000n }]), B('2026-12-15'), C(), D([{ from: '2026-11-16', to: '2026-11-22', reason: 'HOSPITAL' }]), E('2026-11-09'), F()] },
];

async function linesOf(ds: DataSource, code: string) {
  return ds.query(
    `SELECT dp_id, kind, period_start, period_end, gross_pence, contribution_pence, payable_pence, state, hold_reasons
       FROM payment_line WHERE council = $1 ORDER BY dp_id, period_start, kind, id`,
    [code],
  );
}

async function recoveriesOf(ds: DataSource, code: string) {
  return ds.query(`SELECT dp_id, reason, period_start, amount_pence FROM recovery_proposal WHERE council = $1 ORDER BY dp_id, period_start, id`, [code]);
}

async function horizons(h: Harness, runDate: string, settings = h.council.settings): Promise<Record<string, string | null>> {
  const input = await h.ds.transaction((m) =>
    loadRunInput(m, { council: h.code, runId: `${h.code}-probe`, runDate, settings, calendar: BacsCalendar.bundled() }),
  );
  return Object.fromEntries(input.dps.map((d) => [d.calc.dpId, d.horizon]));
}

describe('the night horizon (HZ1 with it, HZ2 walking from go-live)', () => {
  let withHorizon: Harness;
  let fullWalk: Harness;
  beforeAll(async () => {
    withHorizon = await createHarness('HZ1');
    fullWalk = await createHarness('HZ2');
  });
  afterAll(async () => {
    await withHorizon.close();
    await fullWalk.close();
  });

  it('gives the same lines and recoveries every night, and is used for the DPs whose input was recorded', async () => {
    const seen: Record<string, Record<string, string | null>> = {};
    for (const night of NIGHTS) {
      for (const h of [withHorizon, fullWalk]) await importContent(h, night.importAt, persons, payees, night.dps);
      seen[night.runDate] = await horizons(withHorizon, night.runDate);
      await createPaymentRun(withHorizon.ds, { council: 'HZ1', runDate: night.runDate, settings: withHorizon.council.settings });
      await createPaymentRun(fullWalk.ds, { council: 'HZ2', runDate: night.runDate, settings: fullWalk.council.settings, walkFromGoLive: true });
      expect(await linesOf(withHorizon.ds, 'HZ1')).toEqual(await linesOf(fullWalk.ds, 'HZ2'));
      expect(await recoveriesOf(withHorizon.ds, 'HZ1')).toEqual(await recoveriesOf(fullWalk.ds, 'HZ2'));
    }
    // The first night has no previous run; then every DP whose input is unchanged gets the
    // previous night's date, and a changed or new one walks from go-live.
    expect(seen['2026-11-04']).toEqual({ DPA: null, DPB: null, DPC: null, DPE: null, DPF: null });
    expect(seen['2026-11-11']).toEqual({ DPA: null, DPB: '2026-11-04', DPC: '2026-11-04', DPD: null, DPE: '2026-11-04', DPF: '2026-11-04' });
    expect(seen['2026-11-18']).toEqual({ DPA: '2026-11-11', DPB: '2026-11-11', DPC: '2026-11-11', DPD: '2026-11-11', DPE: '2026-11-11', DPF: '2026-11-11' });
    expect(seen['2026-11-25']).toEqual({ DPA: '2026-11-18', DPB: null, DPC: '2026-11-18', DPD: '2026-11-18', DPE: null, DPF: '2026-11-18' });
    expect(seen['2026-12-09']).toMatchObject({ DPA: '2026-12-02', DPD: null });
    // DPE's three missed weeks were paid once, on the night its start moved back.
    const e: { period_start: string }[] = await withHorizon.ds.query(
      `SELECT period_start FROM payment_line WHERE council = 'HZ1' AND dp_id = 'DPE' AND kind = 'REGULAR' AND period_start < '2026-12-07' ORDER BY period_start`,
    );
    expect(e.map((r) => r.period_start)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
    // DPF's input was recorded on the first night without its calculation input (no line needed
    // it); its first line stored it, so explain shows the arithmetic.
    const [f]: { id: string }[] = await withHorizon.ds.query(`SELECT id FROM payment_line WHERE council = 'HZ1' AND dp_id = 'DPF' AND period_start = '2026-12-14'`);
    const explained = await explainLine(withHorizon.ds, f.id);
    expect(explained.basis).not.toBeNull();
    expect(explained.reproduces).toBe(true);
  });

  it('walks from go-live for a run dated before an existing one, or when the period grid changed', async () => {
    const before = await horizons(withHorizon, '2026-11-20');
    expect(Object.values(before).every((v) => v === null)).toBe(true);
    const next = await horizons(withHorizon, '2026-12-23');
    expect(next.DPA).toBe('2026-12-16');
    const earlierGoLive = await horizons(withHorizon, '2026-12-23', { ...withHorizon.council.settings, goLiveDate: '2026-10-26' });
    expect(Object.values(earlierGoLive).every((v) => v === null)).toBe(true);
  });
});
