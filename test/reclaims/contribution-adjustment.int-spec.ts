/**
 * A GROSS DP's contribution changes after its periods were invoiced (docs/reclaims.md
 * "Contributions"), through the real payment-run and reclaim stages. Weekly GROSS DP from go-live
 * (Mon 2 Nov 2026), £150.00 gross and £20.00 contribution a week.
 *   night 16 Nov: weeks 2, 9 and 16 Nov paid gross 15000 each; each invoiced 2000 (7 x 2000 / 7).
 *   17 Nov: the contribution is backdated to £30.00 a week from 2 Nov. The run of 18 Nov recomputes
 *   the three paid weeks: payable unchanged (GROSS pays gross), contribution 3000 - 2000 = +1000: a
 *   zero-payable ADJUSTMENT line each; and pays the week of 23 Nov (contribution 3000).
 *   night 18 Nov: one adjustment invoice of +1000 per changed week (the 2000 invoices untouched),
 *   and the 23 Nov week's own invoice of 3000. A re-run raises nothing.
 */
import { randomBytes } from 'node:crypto';
import { runPaymentStage } from '@dpb/pipeline/stages/payment-run';
import { runReclaimStage } from '@dpb/pipeline/stages/reclaim';
import { listInvoices, showInvoice } from '@dpb/reclaims';
import { createHarness, describeWithStack, type Harness } from '../support/council-harness';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

const d = describeWithStack;

d('GROSS contribution change after invoicing (PostgreSQL)', () => {
  let h: Harness;
  const ctx = (nightDate: string) => h.context(nightDate);
  const dp = (weekly: bigint) => weeklyDp('DP-G', 'P1', 'Y1', '2026-11-02', 15000n, { basis: 'GROSS', contributions: [{ from: '2026-11-02', weeklyPence: weekly }] });

  beforeAll(async () => {
    h = await createHarness(`A${randomBytes(2).toString('hex').toUpperCase().slice(0, 3)}`, {
      settings: { goLiveDate: '2026-11-02', holdFirstPayment: false, holdRunPct: 100, receivables: { incomeGlAccount: '480300', costCentre: 'CC4091' } },
    });
    await importContent(h, '2026-11-01T01:00:00.000Z', [person('P1')], [bankPayee('Y1')], [dp(2000n)]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('gives one adjustment invoice per changed period, never rewriting the issued one', async () => {
    await runPaymentStage(ctx('2026-11-16'));
    const first = await runReclaimStage(ctx('2026-11-16'));
    expect(first.counts).toMatchObject({ contributionInvoices: 3, contributionPence: '6000' });
    const issued = await showInvoice(h.ds, `${h.code}-CT-DPG-20261102`);
    expect(issued).toMatchObject({ totalPence: 2000, adjustmentsOnly: false });

    await importContent(h, '2026-11-17T01:00:00.000Z', [person('P1')], [bankPayee('Y1')], [dp(3000n)]);
    const pay = await runPaymentStage(ctx('2026-11-18'));
    expect(pay.counts).toMatchObject({ state: 'RELEASED', payablePence: '15000' });
    const adjustments: { id: string; period_start: string; payable_pence: string; contribution_pence: string }[] = await h.ds.query(
      `SELECT id::text, period_start::text, payable_pence::text, contribution_pence::text FROM payment_line
        WHERE council = $1 AND kind = 'ADJUSTMENT' ORDER BY period_start`,
      [h.code],
    );
    expect(adjustments.map((a) => [a.period_start, a.payable_pence, a.contribution_pence])).toEqual([
      ['2026-11-02', '0', '1000'], ['2026-11-09', '0', '1000'], ['2026-11-16', '0', '1000'],
    ]);

    const second = await runReclaimStage(ctx('2026-11-18'));
    expect(second.counts).toMatchObject({ contributionInvoices: 4, contributionPence: String(3000 + 3 * 1000) });
    const adj = await showInvoice(h.ds, `${h.code}-CT-DPG-20261102-A${adjustments[0].id}`);
    expect(adj).toMatchObject({ kind: 'CONTRIBUTION', customer: 'P1', period: { from: '2026-11-02', to: '2026-11-08' }, totalPence: 1000, adjustmentsOnly: true });
    expect(adj.lines).toMatchObject([{ amountPence: 1000, adjustment: true }]);
    expect(await showInvoice(h.ds, `${h.code}-CT-DPG-20261102`)).toEqual(issued);
    expect(await showInvoice(h.ds, `${h.code}-CT-DPG-20261123`)).toMatchObject({ totalPence: 3000, adjustmentsOnly: false });

    expect((await runReclaimStage(ctx('2026-11-18'))).counts).toMatchObject({ contributionInvoices: 0 });
    expect((await listInvoices(h.ds, { council: h.code, kind: 'CONTRIBUTION' })).invoices).toHaveLength(7);
    await expect(
      h.ds.query(
        `INSERT INTO invoice (id, council, kind, customer, period_from, period_to, dp_id, raised_on, total_pence, adjusts_line)
         VALUES ('X-DUP-CT', $1, 'CONTRIBUTION', 'P1', '2026-11-02', '2026-11-08', 'DP-G', '2026-11-18', 1000, $2)`,
        [h.code, adjustments[0].id],
      ),
    ).rejects.toThrow(/invoice_once_contribution_adjustment/);
  });
});
