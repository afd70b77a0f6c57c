/**
 * Recovery by offset (docs/reclaims.md "Recovery by offset") through the real payment-run and
 * reclaim stages. Council settings: recoveryMethod `invoice`, recoveryMethodByReason SURPLUS ->
 * `offset`. Weekly NET DPs from go-live (Mon 2 Nov 2026), no contribution.
 */
import { randomBytes } from 'node:crypto';
import { CaseService, renderCase } from '@dpb/cases';
import { runPaymentStage } from '@dpb/pipeline/stages/payment-run';
import { runReclaimStage } from '@dpb/pipeline/stages/reclaim';
import { explainLine } from '@dpb/payments/officer';
import { showInvoice } from '@dpb/reclaims';
import { createHarness, describeWithStack, type Harness } from '../support/council-harness';
import { insertRecoveryInvoice } from './fixtures';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

const d = describeWithStack;

d('recovery by offset (PostgreSQL)', () => {
  let h: Harness;
  const ctx = (nightDate: string) => h.context(nightDate);
  const night = async (date: string) => ({ pay: await runPaymentStage(ctx(date)), reclaim: await runReclaimStage(ctx(date)) });
  const approved = async (dpId: string, kind: 'SURPLUS' | 'OVERPAYMENT', amountPence: bigint, on: string) => {
    const cases = new CaseService(h.ds);
    const { caseId } = await cases.openOrUpdate({
      council: h.code, dpId, kind, dedupKey: `dp:${dpId}:${kind}`, amountPence, on, evidence: [{ type: 'payment_line', id: '1' }], source: 'audit',
    });
    await cases.propose(caseId, 'officer.one');
    await cases.approve(caseId, 'officer.two');
    return caseId;
  };
  const manifestOf = async (runId: string) => {
    const [r]: { manifest_bytes: Buffer }[] = await h.ds.query(`SELECT manifest_bytes FROM payment_run WHERE run_id = $1`, [runId]);
    return JSON.parse(r.manifest_bytes.toString('utf8')) as { recoveryDeductions?: unknown[]; lines: { dpId: string; payablePence: number; held: boolean }[] };
  };
  const creditOf = async (runId: string, payeeId: string) => {
    const rows: { amount_pence: string }[] = await h.ds.query(`SELECT amount_pence::text FROM credit WHERE run_id = $1 AND payee_id = $2`, [runId, payeeId]);
    return rows.map((r) => Number(r.amount_pence));
  };

  beforeAll(async () => {
    h = await createHarness(`R${randomBytes(2).toString('hex').toUpperCase().slice(0, 3)}`, {
      settings: { goLiveDate: '2026-11-02', holdFirstPayment: false, recoveryMethod: 'invoice', recoveryMethodByReason: { SURPLUS: 'offset' }, holdRunPct: 100 },
    });
    await importContent(h, '2026-11-01T01:00:00.000Z', [person('P1'), person('P2')], [bankPayee('Y1'), bankPayee('Y2', '55779911')], [
      weeklyDp('DP-S', 'P1', 'Y1', '2026-11-02', 15000n),
      weeklyDp('DP-O', 'P2', 'Y2', '2026-11-02', 15000n),
    ]);
    await night('2026-11-16');
  });
  afterAll(async () => {
    await h?.close();
  });

  // Hand-worked: DP-S and DP-O are paid 15000 a week (7 days x 15000 / 7). The night of 16 Nov
  // pays every week to the one starting 16 Nov; the run of 18 Nov pays the week of 23 Nov, the run
  // of 25 Nov the week of 30 Nov. A SURPLUS case of 20000 on DP-S, approved on 17 Nov, is set to
  // offset that night; an OVERPAYMENT case of 9000 on DP-O is invoiced.
  //   run 18 Nov: DP-S due 15000, recovery takes min(15000, 20000) = 15000 -> paid 0 (no credit
  //               for Y1, never below 0), 20000 - 15000 = 5000 outstanding; DP-O paid 15000.
  //   run 25 Nov: DP-S due 15000, recovery takes min(15000, 5000) = 5000 -> credit 10000, 0 left.
  //   run  2 Dec: nothing left to take: DP-S paid 15000.
  let surplus: string;
  let overpayment: string;
  const show = (caseId: string) => new CaseService(h.ds).show(caseId);

  it('a SURPLUS case approved under offset is recovered over two runs: partial, then the rest', async () => {
    surplus = await approved('DP-S', 'SURPLUS', 20000n, '2026-11-17');
    overpayment = await approved('DP-O', 'OVERPAYMENT', 9000n, '2026-11-17');
    const n17 = await night('2026-11-17');
    expect(n17.reclaim.counts).toMatchObject({ recoveriesByOffset: 1, recoveryInvoices: 1, recoveryPence: '9000' });
    await expect(showInvoice(h.ds, `${h.code}-RC-${surplus}`)).rejects.toThrow(/not found/);
    expect((await show(surplus)).recovery).toMatchObject({ method: 'OFFSET', amountPence: 20000n, recoveredPence: 0n, outstandingPence: 20000n, fullyRecovered: false });

    const n18 = await night('2026-11-18');
    const run18 = n18.pay.counts.runId as string;
    expect(n18.pay.counts).toMatchObject({ state: 'RELEASED', lines: 2, payablePence: '30000', credits: 1 });
    expect(await creditOf(run18, 'Y1')).toEqual([]);
    expect(await creditOf(run18, 'Y2')).toEqual([15000]);
    expect((await manifestOf(run18)).recoveryDeductions).toEqual([{ caseId: surplus, dpId: 'DP-S', reason: 'SURPLUS', amountPence: 15000, outstandingPence: 5000 }]);
    expect((await show(surplus)).recovery).toMatchObject({
      recoveredPence: 15000n, outstandingPence: 5000n, fullyRecovered: false, deductions: [{ runId: run18, amountPence: 15000n }],
    });

    const n25 = await night('2026-11-25');
    const run25 = n25.pay.counts.runId as string;
    expect(await creditOf(run25, 'Y1')).toEqual([10000]);
    expect(await creditOf(run25, 'Y2')).toEqual([15000]);
    expect((await manifestOf(run25)).recoveryDeductions).toEqual([{ caseId: surplus, dpId: 'DP-S', reason: 'SURPLUS', amountPence: 5000, outstandingPence: 0 }]);
    const view = await show(surplus);
    expect(view.recovery).toMatchObject({ recoveredPence: 20000n, outstandingPence: 0n, fullyRecovered: true });
    expect(renderCase(view).join('\n')).toContain('fully recovered');

    // The line explains the deduction taken from its credit.
    const [line]: { id: string }[] = await h.ds.query(`SELECT id::text FROM payment_line WHERE run_id = $1 AND dp_id = 'DP-S'`, [run25]);
    const explained = await explainLine(h.ds, line.id);
    expect(explained.credit?.amountPence).toBe(10000n);
    expect(explained.notes.join('\n')).toContain(`recovery case ${surplus} (SURPLUS): 50.00 taken`);

    // Fully recovered: nothing more is taken; a re-run of the night's reclaim chooses nothing again.
    const n2 = await night('2026-12-02');
    const run2 = n2.pay.counts.runId as string;
    expect(await creditOf(run2, 'Y1')).toEqual([15000]);
    expect((await manifestOf(run2)).recoveryDeductions).toBeUndefined();
    expect((await runReclaimStage(ctx('2026-12-02'))).counts).toMatchObject({ recoveriesByOffset: 0, recoveryInvoices: 0 });
  });

  it('a case approved under invoice is still invoiced, and never offset', async () => {
    expect(await showInvoice(h.ds, `${h.code}-RC-${overpayment}`)).toMatchObject({ kind: 'RECOVERY', customer: 'P2', reason: 'OVERPAYMENT', totalPence: 9000 });
    const taken: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM recovery_deduction WHERE case_id = $1`, [overpayment]);
    expect(taken[0].n).toBe(0);
    expect((await show(overpayment)).recovery).toMatchObject({ method: 'INVOICE', amountPence: 9000n, outstandingPence: 9000n, fullyRecovered: false });
  });

  it('the database refuses a case both invoiced and offset, and a second deduction per case and run', async () => {
    const run = `${h.code}-20261125-1`;
    await expect(insertRecoveryInvoice(h, 'X-BOTH', surplus, '2026-12-02')).rejects.toThrow(/invoice_recovery_is_invoice_choice/);
    await expect(
      h.ds.query(
        `INSERT INTO recovery_deduction (council, case_id, run_id, dp_id, amount_pence, outstanding_pence) VALUES ($1, $2, $3, 'DP-O', 1, 0)`,
        [h.code, overpayment, run],
      ),
    ).rejects.toThrow(/recovery_deduction_council_case_id_method_fkey/);
    await expect(
      h.ds.query(
        `INSERT INTO recovery_deduction (council, case_id, run_id, dp_id, amount_pence, outstanding_pence) VALUES ($1, $2, $3, 'DP-S', 1, 0)`,
        [h.code, surplus, run],
      ),
    ).rejects.toThrow(/recovery_deduction_pkey/);
    await expect(h.ds.query(`UPDATE recovery_choice SET method = 'INVOICE' WHERE council = $1 AND case_id = $2`, [h.code, surplus])).rejects.toThrow(/foreign key/);
  });
});
