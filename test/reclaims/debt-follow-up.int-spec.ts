/**
 * Debt follow-up: finance's AR open-items extract, read from its own inbox by the reclaim stage.
 * JOINT DP from 1 Dec 2026, £140.00 a week (2000p a day), ICB-QRL 50%: December is invoiced on
 * 4 Jan 2027 for 31 x 1000 = 31000. On 1 Mar finance says 100.00 is still open (SAP headings,
 * mapped in the council's settings): PART_PAID, paid 21000. The same night raises January (31000)
 * and February (28 x 1000 = 28000). Aged as of 1 Mar: 31-60 days: December's 10000 (raised 4 Jan,
 * 56 days); 0-30: 31000 + 28000 = 59000 (2 invoices). Total 69000.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { runReclaimStage } from '@dpb/pipeline/stages/reclaim';
import { agedDebtList, showInvoice } from '@dpb/reclaims';
import { createHarness, describeWithStack, drop, type Harness } from '../support/council-harness';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

const d = describeWithStack;

d('debt follow-up (PostgreSQL, file:// AR inbox)', () => {
  let h: Harness;
  let inbox: string;
  const night = (nightDate: string) => runReclaimStage(h.context(nightDate));
  beforeAll(async () => {
    inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'dpb-ar-'));
    h = await createHarness(`AR${randomBytes(2).toString('hex').toUpperCase()}`, {
      settings: {
        goLiveDate: '2026-11-02',
        receivables: {
          incomeGlAccount: '480200', costCentre: 'CC4090', customers: { 'ICB-QRL': '7000101' },
          openItems: { inbox: `file://${inbox}`, columns: { Text: 'invoice_id', 'Amount in DC': 'open_amount', 'Key date': 'as_of' } },
        },
      },
    });
    await importContent(h, '2026-12-01T01:00:00.000Z', [person('P1')], [bankPayee('Y1')], [
      weeklyDp('DP-A', 'P1', 'Y1', '2026-12-01', 14000n, { fundingStream: 'JOINT', splits: [{ partner: 'ICB-QRL', from: '2026-12-01', healthBasisPoints: 5000n }] }),
    ]);
  });
  afterAll(async () => {
    await h?.close();
    fs.rmSync(inbox, { recursive: true, force: true });
  });

  it('settles invoices from the open items and lists the aged debt', async () => {
    expect((await night('2027-01-04')).counts).toMatchObject({ invoices: 1, totalPence: '31000' });
    const dec = `${h.code}-HR-ICBQRL-202612`;
    drop(inbox, 'open-items-0301.csv', `Customer,Text,Amount in DC,Key date\r\n7000101,${dec},100.00,01.03.2027\r\n9999,SAP-OTHER-DOC,5.00-,01.03.2027\r\n`);
    const r = await night('2027-03-01');
    expect(r.counts).toMatchObject({ openItemsApplied: 1, openItemsQuarantined: 0, invoices: 2 });
    const db: { paid_pence: string; settlement: string }[] = await h.ds.query(`SELECT paid_pence::text, settlement FROM invoice WHERE id = $1`, [dec]);
    expect(db).toEqual([{ paid_pence: '21000', settlement: 'PART_PAID' }]);
    expect((await showInvoice(h.ds, dec)).totalPence).toBe(31000); // the issued invoice itself is unchanged
    expect(await agedDebtList(h.ds, { council: h.code, asOf: '2027-03-01' })).toEqual({
      agedDebt: [{
        council: h.code, asOf: '2027-03-01', totalPence: 69000,
        bands: [
          { band: '0-30', invoices: 2, outstandingPence: 59000 },
          { band: '31-60', invoices: 1, outstandingPence: 10000 },
          { band: '61-90', invoices: 0, outstandingPence: 0 },
          { band: '90+', invoices: 0, outstandingPence: 0 },
        ],
      }],
    });
  });

  it('quarantines an extract naming an unknown invoice of ours, changing nothing; the same bytes again are a duplicate', async () => {
    drop(inbox, 'open-items-0302.csv', `Text,Amount in DC,Key date\r\n${h.code}-HR-ICBQRL-209912,1.00,02.03.2027\r\n`);
    expect((await night('2027-03-02')).counts).toMatchObject({ openItemsApplied: 0, openItemsQuarantined: 1 });
    const report = JSON.parse(fs.readFileSync(path.join(inbox, 'quarantine', 'open-items-0302.csv.error.json'), 'utf8'));
    expect(JSON.stringify(report)).toContain('UNKNOWN_INVOICE');
    drop(inbox, 'open-items-again.csv', `Customer,Text,Amount in DC,Key date\r\n7000101,${h.code}-HR-ICBQRL-202612,100.00,01.03.2027\r\n9999,SAP-OTHER-DOC,5.00-,01.03.2027\r\n`);
    expect((await night('2027-03-03')).counts).toMatchObject({ openItemsApplied: 0 });
  });
});
