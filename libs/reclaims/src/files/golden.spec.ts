/**
 * Golden AR files for the fixed sample batch (UPDATE_GOLDEN=1 rewrites them), read-write-read
 * round trips, the read-back check refusing a tampered file, and byte-identical re-runs.
 * Totals by hand: ICB-QRL 248.00 - 32.00 = 216.00; ICB-BBB -32.00; batch 216.00 - 32.00 = 184.00.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readArCsv, writeArCsv } from './ar-csv';
import { readArIdoc, writeArIdoc } from './ar-idoc';
import { buildArOutputs, verifyArFile } from './batch';
import type { ArFile } from './model';
import { readScheduleCsv, readScheduleXlsx, writeScheduleCsv, writeScheduleXlsx } from './schedule';
import { SETTINGS, sampleBatch } from './__fixtures__/sample-batch';

const GOLDEN = path.join(__dirname, '__golden__');
function golden(f: ArFile): string {
  const p = path.join(GOLDEN, f.name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(p, f.content);
  expect(f.content.equals(fs.readFileSync(p))).toBe(true);
  return f.content.toString('utf8');
}

describe('AR files for the sample batch', () => {
  it('AR flat file: header, one detail per invoice, trailer with count and total', () => {
    const text = golden(writeArCsv(sampleBatch(), SETTINGS));
    const records = text.split('\r\n');
    expect(records[0]).toBe('H,HCC-AR-20270201-1,20270201,HC01,DR,GBP');
    expect(records[records.length - 2]).toBe('T,2,184.00');
    expect(records[1]).toBe('D,HCC-HR-ICBBBB-20270201A,HEALTH_RECLAIM,ICBBBB,ICB-BBB,480200,CC4090,-32.00,20270201,20270201,,1');
  });

  it('IDoc: one balanced ACC_DOCUMENT per invoice, customer item against income GL and cost centre', () => {
    const text = golden(writeArIdoc(sampleBatch(), SETTINGS));
    expect(text.match(/<IDOC BEGIN="1">/g)).toHaveLength(2);
    expect(text).toContain('<CUSTOMER>7000101</CUSTOMER>');
    expect(text).toContain('<AMT_DOCCUR>216.00</AMT_DOCCUR>');
    expect(text).toContain('<AMT_DOCCUR>-216.00</AMT_DOCCUR>');
    expect(text).toContain('<COSTCENTER>CC4090</COSTCENTER>');
  });

  it('schedule CSV and XLSX: the lines and a TOTAL equal to the invoice total', async () => {
    const inv = sampleBatch().invoices[1];
    const text = golden(writeScheduleCsv(inv));
    expect(text.split('\r\n').slice(-2)[0]).toBe('TOTAL,HCC-HR-ICBQRL-202701,2,620.00,216.00');
    golden(await writeScheduleXlsx(inv, '2027-02-01'));
  });

  it('reads back what it wrote (read-write-read)', async () => {
    const b = sampleBatch();
    const csv = readArCsv(writeArCsv(b, SETTINGS).content);
    expect(csv.details.map((d) => [d.invoiceId, d.amountPence])).toEqual([['HCC-HR-ICBBBB-20270201A', -3200n], ['HCC-HR-ICBQRL-202701', 21600n]]);
    expect(writeArCsv({ ...b, invoices: b.invoices.map((i, k) => ({ ...i, totalPence: csv.details[k].amountPence })) }, SETTINGS).content).toEqual(writeArCsv(b, SETTINGS).content);
    const idoc = readArIdoc(writeArIdoc(b, SETTINGS).content);
    expect(idoc.documents.map((d) => [d.invoiceId, d.customerNo, d.amountPence])).toEqual([['HCC-HR-ICBBBB-20270201A', 'ICBBBB', -3200n], ['HCC-HR-ICBQRL-202701', '7000101', 21600n]]);
    const inv = b.invoices[1];
    for (const read of [readScheduleCsv(writeScheduleCsv(inv).content), await readScheduleXlsx((await writeScheduleXlsx(inv, b.nightDate)).content)]) {
      expect(read.totalPence).toBe(21600n);
      const lines = read.lines.map(({ record: _r, invoiceId: _i, ...l }) => l);
      expect(lines).toEqual(inv.lines);
      expect(writeScheduleCsv({ ...inv, lines }).content).toEqual(writeScheduleCsv(inv).content);
    }
  });

  it('refuses a file whose trailer or balance was altered', async () => {
    const b = sampleBatch();
    const csv = writeArCsv(b, SETTINGS);
    expect(() => readArCsv(csv.content.toString().replace('T,2,184.00', 'T,2,185.00'))).toThrow('trailer total');
    expect(() => readArIdoc(writeArIdoc(b, SETTINGS).content.toString().replace('<AMT_DOCCUR>-216.00', '<AMT_DOCCUR>-215.00'))).toThrow('balance');
    await expect(verifyArFile({ ...csv, totalPence: 1n }, b.invoices)).rejects.toThrow('read back differs');
  });

  it('builds byte-identical outputs and manifest on a re-run', async () => {
    const a = await buildArOutputs(sampleBatch(), SETTINGS, 'SAP_IDOC');
    await new Promise((r) => setTimeout(r, 1100));
    const b = await buildArOutputs(sampleBatch(), SETTINGS, 'SAP_IDOC');
    expect(a.files.map((f) => f.name)).toEqual([
      'HCC_AR_20270201_1_AR_IDOC.xml',
      'HCC-HR-ICBBBB-20270201A_SCHEDULE.csv', 'HCC-HR-ICBBBB-20270201A_SCHEDULE.xlsx',
      'HCC-HR-ICBQRL-202701_SCHEDULE.csv', 'HCC-HR-ICBQRL-202701_SCHEDULE.xlsx',
    ]);
    expect(b.manifestBytes.equals(a.manifestBytes)).toBe(true);
    a.files.forEach((f, i) => expect(b.files[i].content.equals(f.content)).toBe(true));
    expect(a.manifest.totals).toEqual({ invoices: 2, totalPence: 18400 });
  });
});
