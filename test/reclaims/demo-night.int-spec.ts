/**
 * The demo's reclaim: the sample council's generated extract (seed "demo", as `npm run demo`
 * drops it) imported by the care-in stage on 23 Nov 2026, then the first night of December raises
 * November's health reclaims and delivers each invoice's schedule and the AR posting file. The
 * invoice totals are checked against the pure rules run over the same imported DPs.
 */
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { defaultStageHandlers } from '@dpb/pipeline/stages';
import { runReclaimStage } from '@dpb/pipeline/stages/reclaim';
import { healthShareForMonth, listInvoices } from '@dpb/reclaims';
import { loadReclaimDps } from '@dpb/reclaims/invoice.repository';
import { createHarness, describeWithStack, drop, type Harness } from '../support/council-harness';
import { sampleExtractXml } from '../support/extracts';

const d = describeWithStack;

d('demo night: reclaim of the sample council', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(`DM${randomBytes(2).toString('hex').toUpperCase()}`, {
      settings: { goLiveDate: '2026-11-02', receivables: { incomeGlAccount: '480200', costCentre: 'CC4090', customers: { 'ICB-QRL': '7000101', 'ICB-HIOW': '7000102' } } },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('delivers November reclaim invoices with their schedules on 1 December', async () => {
    const name = `${h.code}-20261123-0100.xml`;
    drop(h.dirs.care, name, await sampleExtractXml(h.code, { dps: 120, seed: 'demo', date: '2026-11-23' }));
    const ctx = (nightDate: string) => h.context(nightDate);
    expect((await defaultStageHandlers()['care-in'](ctx('2026-11-23'))).counts).toMatchObject({ applied: 1, quarantined: 0 });
    expect((await runReclaimStage(ctx('2026-11-23'))).counts).toMatchObject({ invoices: 0 }); // November not over yet

    const r = await runReclaimStage(ctx('2026-12-01'));
    const { invoices, heldFromReclaim } = await listInvoices(h.ds, { council: h.code, kind: 'HEALTH_RECLAIM' });
    expect(invoices.length).toBeGreaterThan(0);
    expect(r.counts).toMatchObject({ monthsRaised: 1, invoices: invoices.length });

    // The same figures from the pure rules over the imported DPs.
    const expected = new Map<string, bigint>();
    for (const x of await loadReclaimDps(h.ds, h.code)) {
      for (const l of healthShareForMonth(x.dp, '2026-11-01', { goLiveDate: '2026-11-02' }, x.nhsValid).lines) {
        expected.set(l.partner, (expected.get(l.partner) ?? 0n) + l.amountPence);
      }
    }
    expect(new Map(invoices.map((i) => [i.customer, BigInt(i.totalPence)]))).toEqual(expected);
    expect(invoices.every((i) => i.state === 'DELIVERED' && i.period.from === '2026-11-01' && i.period.to === '2026-11-30')).toBe(true);
    expect(heldFromReclaim.some((x) => x.reason === 'NO_SPLIT')).toBe(true); // the sample's S117 DPs carry no split

    const files = fs.readdirSync(h.dirs.finance);
    for (const i of invoices) expect(files).toEqual(expect.arrayContaining([`${i.id}_SCHEDULE.csv`, `${i.id}_SCHEDULE.xlsx`]));
    expect(files).toEqual(expect.arrayContaining([`${h.code}_AR_20261201_1_AR_IDOC.xml`, `${h.code}_AR_20261201_1.manifest.json`]));
  });
});
