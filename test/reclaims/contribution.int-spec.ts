/**
 * Contribution invoices for a GROSS DP (the reclaim stage after a real payment run). Weekly DP,
 * £150.00 gross and £20.00 contribution a week from go-live (Mon 2 Nov 2026): each weekly period
 * pays gross 15000 and has a contribution of round(2000 x 7 / 7) = 2000, invoiced to the person
 * once per released period; a NET DP's contribution is deducted from its payment instead.
 */
import { randomBytes } from 'node:crypto';
import { createPaymentRun } from '@dpb/payments';
import { runReclaimStage } from '@dpb/pipeline/stages/reclaim';
import { listInvoices } from '@dpb/reclaims';
import { createHarness, describeWithStack, type Harness } from '../support/council-harness';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

const d = describeWithStack;

d('contribution invoices (PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(`G${randomBytes(2).toString('hex').toUpperCase().slice(0, 3)}`, {
      settings: { goLiveDate: '2026-11-02', holdFirstPayment: false, receivables: { incomeGlAccount: '480300', costCentre: 'CC4091' } },
    });
    const contributions = [{ from: '2026-11-02', weeklyPence: 2000n }];
    await importContent(h, '2026-11-01T01:00:00.000Z', [person('P1'), person('P2')], [bankPayee('Y1'), bankPayee('Y2', '55779911')], [
      weeklyDp('DP-G', 'P1', 'Y1', '2026-11-02', 15000n, { basis: 'GROSS', contributions }),
      weeklyDp('DP-N', 'P2', 'Y2', '2026-11-02', 15000n, { basis: 'NET', contributions }),
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('raises one CONTRIBUTION invoice per released period of the GROSS DP, once', async () => {
    const run = await createPaymentRun(h.ds, { council: h.code, runDate: '2026-11-16', settings: h.council.settings });
    const lines: { dp_id: string; period_start: string; gross_pence: string; contribution_pence: string; state: string }[] = await h.ds.query(
      `SELECT dp_id, period_start::text, gross_pence::text, contribution_pence::text, state FROM payment_line WHERE run_id = $1 AND kind = 'REGULAR' ORDER BY dp_id, period_start`,
      [run.runId],
    );
    const gross = lines.filter((l) => l.dp_id === 'DP-G');
    expect(gross.length).toBeGreaterThan(0);
    expect(gross.every((l) => l.gross_pence === '15000' && l.contribution_pence === '2000' && l.state === 'RELEASED')).toBe(true);

    const ctx = h.context('2026-11-16');
    const r = await runReclaimStage(ctx);
    expect(r.counts).toMatchObject({ contributionInvoices: gross.length, contributionPence: String(2000 * gross.length) });
    const inv = (await listInvoices(h.ds, { council: h.code, kind: 'CONTRIBUTION' })).invoices;
    expect(inv.map((i) => [i.customer, i.period.from, i.totalPence])).toEqual(gross.map((l) => ['P1', l.period_start, 2000]));
    expect((await runReclaimStage(ctx)).counts).toMatchObject({ contributionInvoices: 0, filesDelivered: 0 });
  });
});
