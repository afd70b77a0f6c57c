/**
 * The reclaim stage against the real PostgreSQL of the test stack, file:// outboxes. Care records
 * are imported as the care stage would; figures are derived by hand (see the rules' worked
 * examples for the arithmetic):
 *   DP-S117  S117 from 10 Dec, £150/wk, ICB-QRL 50%                 Dec: cost 47143, amount 23571
 *   DP-MOVE  JOINT from 1 Dec, £100/wk, ICB-AAA 40%, ICB-BBB 60% from 16 Dec
 *                                     ICB-AAA 1-15 Dec: 21429 / 8571 ; ICB-BBB 16-31 Dec: 22857 / 13714
 *   DP-BACK  JOINT from 1 Dec, £140/wk, ICB-QRL 50%                 Dec: cost 62000, amount 31000
 *   DP-NHS   JOINT, the person's NHS number failed its check        held NHS_INVALID
 *   DP-NOSPL JOINT, no split, no council default                     held NO_SPLIT
 * Night 4 Jan 2027 raises December: ICB-AAA 8571, ICB-BBB 13714, ICB-QRL 23571 + 31000 = 54571.
 * On 20 Jan DP-BACK's split is backdated to 40% from 16 Dec: December is now 15000 + 12800 = 27800,
 * so that night raises an adjustments-only credit note for ICB-QRL of 27800 - 31000 = -3200.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DirectPayment } from '@dpb/care-records';
import { runReclaimStage } from '@dpb/pipeline/stages/reclaim';
import { CaseService } from '@dpb/cases';
import { registerInvoiceCommands } from '../../apps/cli/src/invoice-commands';
import { listInvoices, showInvoice } from '@dpb/reclaims';
import { createHarness, describeWithStack, type Harness, specCli } from '../support/council-harness';
import { insertRecoveryInvoice } from './fixtures';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

const d = describeWithStack;

const split = (partner: string, from: string, pct: bigint) => ({ partner, from, healthBasisPoints: pct });

function dps(backSplits = [split('ICB-QRL', '2026-12-01', 5000n)]): DirectPayment[] {
  return [
    weeklyDp('DP-BACK', 'P3', 'Y1', '2026-12-01', 14000n, { fundingStream: 'JOINT', splits: backSplits }),
    weeklyDp('DP-LA', 'P1', 'Y1', '2026-12-01', 14000n),
    weeklyDp('DP-MOVE', 'P2', 'Y1', '2026-12-01', 10000n, { fundingStream: 'JOINT', splits: [split('ICB-AAA', '2026-12-01', 4000n), split('ICB-BBB', '2026-12-16', 6000n)] }),
    weeklyDp('DP-NHS', 'P4', 'Y1', '2026-12-01', 14000n, { fundingStream: 'JOINT', splits: [split('ICB-QRL', '2026-12-01', 5000n)] }),
    weeklyDp('DP-NOSPL', 'P5', 'Y1', '2026-12-01', 14000n, { fundingStream: 'JOINT' }),
    weeklyDp('DP-S117', 'P1', 'Y1', '2026-12-10', 15000n, { fundingStream: 'S117', splits: [split('ICB-QRL', '2026-12-10', 5000n)] }),
  ];
}

function persons() {
  const p4 = person('P4');
  return [person('P1'), person('P2'), person('P3'), { ...p4, nhsNumberValid: false, personal: { ...p4.personal, nhsNumber: '1234567890' } }, person('P5')];
}

d('reclaim stage (PostgreSQL, file:// outbox)', () => {
  let h: Harness;
  const night = (nightDate: string) => runReclaimStage(h.context(nightDate));
  const outbox = () => fs.readdirSync(h.dirs.finance).filter((n) => !n.startsWith('.')).sort();

  beforeAll(async () => {
    h = await createHarness(`RC${randomBytes(2).toString('hex').toUpperCase()}`, {
      settings: { goLiveDate: '2026-11-02', receivables: { incomeGlAccount: '480200', costCentre: 'CC4090', customers: { 'ICB-QRL': '7000101' } } },
    });
    await importContent(h, '2026-12-31T01:00:00.000Z', persons(), [bankPayee('Y1')], dps());
  });
  afterAll(async () => {
    await h?.close();
  });

  it('raises December in arrears per partner, holds NHS-invalid and split-less DPs, delivers AR files once', async () => {
    expect((await night('2026-12-31')).counts).toMatchObject({ invoices: 0, monthsRaised: 1 }); // November: nothing to reclaim
    const first = await night('2027-01-04');
    expect(first.counts).toMatchObject({ monthsRaised: 1, invoices: 3, lines: 4, adjustmentLines: 0, totalPence: String(8571 + 13714 + 54571) });
    const list = await listInvoices(h.ds, { council: h.code });
    expect(list.invoices.map((i) => [i.customer, i.period.from, i.period.to, i.totalPence, i.state])).toEqual([
      ['ICB-AAA', '2026-12-01', '2026-12-31', 8571, 'DELIVERED'],
      ['ICB-BBB', '2026-12-01', '2026-12-31', 13714, 'DELIVERED'],
      ['ICB-QRL', '2026-12-01', '2026-12-31', 54571, 'DELIVERED'],
    ]);
    expect(list.invoices[2].lines).toEqual([
      { dpId: 'DP-BACK', personId: 'P3', month: '2026-12', from: '2026-12-01', to: '2026-12-31', costPence: 62000, healthPct: '50.00', amountPence: 31000, adjustment: false },
      { dpId: 'DP-S117', personId: 'P1', month: '2026-12', from: '2026-12-10', to: '2026-12-31', costPence: 47143, healthPct: '50.00', amountPence: 23571, adjustment: false },
    ]);
    expect(list.heldFromReclaim).toEqual([
      { council: h.code, dpId: 'DP-NHS', month: '2026-12', reason: 'NHS_INVALID' },
      { council: h.code, dpId: 'DP-NOSPL', month: '2026-12', reason: 'NO_SPLIT' },
    ]);
    const files = outbox();
    expect(files).toEqual([
      ...['ICBAAA', 'ICBBBB', 'ICBQRL'].flatMap((c) => [`${h.code}-HR-${c}-202612_SCHEDULE.csv`, `${h.code}-HR-${c}-202612_SCHEDULE.xlsx`]),
      `${h.code}_AR_20270104_1.manifest.json`,
      `${h.code}_AR_20270104_1_AR_IDOC.xml`,
    ]);
    const schedule = fs.readFileSync(path.join(h.dirs.finance, `${h.code}-HR-ICBQRL-202612_SCHEDULE.csv`), 'utf8');
    expect(schedule.split('\r\n').slice(-2)[0]).toBe(`TOTAL,${h.code}-HR-ICBQRL-202612,2,1091.43,545.71`);
    const before = new Map(files.map((f) => [f, fs.readFileSync(path.join(h.dirs.finance, f))]));

    // A re-run raises nothing and delivers nothing.
    expect((await night('2027-01-04')).counts).toMatchObject({ invoices: 0, filesDelivered: 0, filesAlreadyDelivered: 0 });
    // Had the first run stopped after delivering, before recording it: the re-run rebuilds the
    // same batch byte for byte (the outbox refuses different bytes under a delivered name).
    await h.ds.query(`UPDATE invoice SET state = 'RAISED' WHERE council = $1`, [h.code]);
    const again = await night('2027-01-04');
    expect(again.counts).toMatchObject({ invoices: 0, filesDelivered: 0, filesAlreadyDelivered: files.length });
    for (const [f, bytes] of before) expect(fs.readFileSync(path.join(h.dirs.finance, f)).equals(bytes)).toBe(true);
    expect((await listInvoices(h.ds, { council: h.code })).invoices).toHaveLength(3);
  });

  it('puts a backdated split change on a credit note of its own, leaving the issued invoice untouched', async () => {
    const issued = await showInvoice(h.ds, `${h.code}-HR-ICBQRL-202612`);
    await importContent(h, '2027-01-20T01:00:00.000Z', persons(), [bankPayee('Y1')], dps([split('ICB-QRL', '2026-12-01', 5000n), split('ICB-QRL', '2026-12-16', 4000n)]));
    const r = await night('2027-01-20');
    expect(r.counts).toMatchObject({ monthsRaised: 0, invoices: 1, adjustmentLines: 1, totalPence: '-3200' });
    const credit = await showInvoice(h.ds, `${h.code}-HR-ICBQRL-20270120A`);
    expect(credit).toMatchObject({ customer: 'ICB-QRL', period: { from: '2027-01-01', to: '2027-01-20' }, totalPence: -3200, adjustmentsOnly: true });
    expect(credit?.lines).toEqual([
      { dpId: 'DP-BACK', personId: 'P3', month: '2026-12', from: '2026-12-01', to: '2026-12-31', costPence: 0, healthPct: '40.00', amountPence: -3200, adjustment: true },
    ]);
    expect(await showInvoice(h.ds, `${h.code}-HR-ICBQRL-202612`)).toEqual(issued);
    expect((await night('2027-01-21')).counts).toMatchObject({ invoices: 0 });
  });

  // Death recovery (worked example in libs/reclaims/src/rules/examples/death-recovery.spec.ts):
  // overpaid 60000 - round(15000 x 4 / 7) = 51429, approved by a second officer.
  it('raises one recovery invoice from an approved death case, never from an unapproved one', async () => {
    const cases = new CaseService(h.ds);
    const { caseId } = await cases.openOrUpdate({
      council: h.code, dpId: 'DP-LA', kind: 'DEATH', dedupKey: 'dp:DP-LA:death', amountPence: 51429n, on: '2027-01-21',
      evidence: [{ type: 'payment_line', id: '1' }], source: 'reconcile', detail: { reason: 'PAYMENT_AFTER_DEATH' },
    });
    expect((await night('2027-01-22')).counts).toMatchObject({ recoveryInvoices: 0 });
    await cases.propose(caseId, 'officer.one');
    expect((await night('2027-01-23')).counts).toMatchObject({ recoveryInvoices: 0 });
    await cases.approve(caseId, 'officer.two');
    // A re-run of 20 Jan (whose batch 1 carried the credit note) raises it: batch 2 of that night,
    // batch 1's files untouched.
    const batch1 = fs.readFileSync(path.join(h.dirs.finance, `${h.code}_AR_20270120_1_AR_IDOC.xml`));
    const r = await night('2027-01-20');
    expect(r.counts).toMatchObject({ recoveryInvoices: 1, recoveryPence: '51429', filesDelivered: 2 });
    expect(fs.readFileSync(path.join(h.dirs.finance, `${h.code}_AR_20270120_1_AR_IDOC.xml`)).equals(batch1)).toBe(true);
    const inv = await showInvoice(h.ds, `${h.code}-RC-${caseId}`);
    expect(inv).toMatchObject({ kind: 'RECOVERY', customer: 'P1', caseId, reason: 'PAYMENT_AFTER_DEATH', totalPence: 51429, state: 'DELIVERED' });
    const csv = fs.readFileSync(path.join(h.dirs.finance, `${h.code}_AR_20270120_2_AR_IDOC.xml`), 'utf8');
    expect(csv).toContain(`<ITEM_TEXT>${h.code}-RC-${caseId}</ITEM_TEXT>`);
    expect(csv).toContain('<AMT_DOCCUR>514.29</AMT_DOCCUR>');
    expect((await night('2027-01-25')).counts).toMatchObject({ recoveryInvoices: 0 });
    expect((await listInvoices(h.ds, { council: h.code, kind: 'RECOVERY' })).invoices).toHaveLength(1);
    await expect(insertRecoveryInvoice(h, 'X-DUP-RC', caseId, '2027-01-25')).rejects.toThrow(/invoice_once_recovery/);
  });

  it('dpbridge invoices list --json prints the contract shape; show names an invoice; an unknown one is refused', async () => {
    const cli = specCli(h, registerInvoiceCommands);
    const out = cli.out;
    await cli.run('invoices', 'list', '--council', h.code, '--kind', 'HEALTH_RECLAIM', '--json');
    const list = JSON.parse(out.join('\n'));
    expect(Object.keys(list).sort()).toEqual(['heldFromReclaim', 'invoices']);
    expect(list.invoices.map((i: { kind: string }) => i.kind)).toEqual(['HEALTH_RECLAIM', 'HEALTH_RECLAIM', 'HEALTH_RECLAIM', 'HEALTH_RECLAIM']);
    expect(list.invoices[0]).toMatchObject({ council: h.code, customer: 'ICB-AAA', period: { from: '2026-12-01', to: '2026-12-31' }, totalPence: 8571, state: 'DELIVERED' });
    expect(list.invoices[0].lines[0]).toMatchObject({ dpId: 'DP-MOVE', personId: 'P2', from: '2026-12-01', to: '2026-12-15', costPence: 21429, healthPct: '40.00', amountPence: 8571, adjustment: false });
    expect(list.heldFromReclaim).toContainEqual({ council: h.code, dpId: 'DP-NOSPL', month: '2026-12', reason: 'NO_SPLIT' });
    out.length = 0;
    await cli.run('invoices', 'show', `${h.code}-HR-ICBBBB-202612`);
    expect(out[0]).toContain(`${h.code}-HR-ICBBBB-202612  HEALTH_RECLAIM  customer ICB-BBB`);
    await expect(cli.run('invoices', 'show', 'NOPE')).rejects.toThrow(/refused \(NOT_FOUND\)/);
  });

  it('refuses a second health reclaim invoice for the same customer and period in the database', async () => {
    await expect(
      h.ds.query(
        `INSERT INTO invoice (id, council, kind, customer, period_from, period_to, raised_on, total_pence)
         VALUES ('X-DUP', $1, 'HEALTH_RECLAIM', 'ICB-QRL', '2026-12-01', '2026-12-31', '2027-01-05', 1)`,
        [h.code],
      ),
    ).rejects.toThrow(/invoice_once_health/);
  });
});
