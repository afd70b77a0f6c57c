/**
 * Golden files: each writer's bytes for the fixed sample run must equal the file under
 * __golden__/ (UPDATE_GOLDEN=1 rewrites them). Each golden is also checked here independently
 * of our readers: widths, character set, and amounts/totals derived by hand from the fixture
 * (575.72 + 490.00 + 260.00 = 1325.72).
 */
import * as fs from 'fs';
import * as path from 'path';
import { sampleRun } from './__fixtures__/sample-run';
import type { WrittenFile } from './model';
import { writeRunFiles } from './run-files';

const GOLDEN = path.join(__dirname, '__golden__');

function golden(file: WrittenFile | undefined): string {
  if (!file) throw new Error('file not written');
  const p = path.join(GOLDEN, file.name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(p, file.content);
  expect(file.content.equals(fs.readFileSync(p))).toBe(true);
  return file.content.toString('utf8');
}

/** Test-local amount parser ("-30.00" -> -3000n), independent of the library's. */
const pence = (s: string) => BigInt(s.replace('.', ''));

const idocAndStd18 = writeRunFiles(sampleRun(), { postingFormat: 'SAP_IDOC', paymentFormat: 'BACS_STD18' });
const csvAndPain = writeRunFiles(sampleRun(), { postingFormat: 'SAP_CSV', paymentFormat: 'PAIN001' });

describe('golden finance files for the sample run', () => {
  it('names the files <COUNCIL>_<YYYYMMDD>_<seq>_<KIND>', () => {
    expect(idocAndStd18.all.map((f) => f.name)).toEqual([
      'HCC_20261209_1_SAP_IDOC.xml', 'HCC_20261209_1_BACS_STD18.txt', 'HCC_20261209_1_CARDLOAD_ALLPAY.csv',
    ]);
    expect(csvAndPain.all.map((f) => f.name)).toEqual([
      'HCC_20261209_1_SAP_AP.csv', 'HCC_20261209_1_PAIN001.xml', 'HCC_20261209_1_CARDLOAD_ALLPAY.csv',
    ]);
  });

  it('Std 18: widths, character set, records, contra and UTL1 as derived by hand', () => {
    const lines = golden(idocAndStd18.payment).split('\r\n');
    expect(lines.pop()).toBe(''); // CRLF after the last record
    expect(lines.map((l) => l.slice(0, 4))).toEqual(['VOL1', 'HDR1', 'HDR2', 'UHL1', '2004', '3096', '6016', '4012', 'EOF1', 'EOF2', 'UTL1']);
    lines.forEach((l, i) => {
      expect(l).toMatch(/^[A-Z0-9.&/\- ]+$/);
      expect(l.length).toBe(i >= 4 && i <= 7 ? 100 : 80);
    });
    // Data record 1, assembled field by field from the fixture (positions 1-6, 7-14, 15,
    // 16-17, 18-23, 24-31, 32-35, 36-46, 47-64, 65-82, 83-100).
    expect(lines[4]).toBe(
      '200415' + '38290008' + '0' + '99' + '401276' + '12345678' + '    ' + '00000057572' +
      'HCC DIRECT PAY    ' + 'HCC0001Q7         ' + 'MRS ZOE ONEILL-SMI',
    );
    expect(lines[5].slice(35, 46)).toBe('00000049000');
    expect(lines[5].slice(82)).toBe('J SMITH & CO      ');
    expect(lines[6].slice(35, 46)).toBe('00000026000');
    // Contra: to the originating account, tx 17, the total 1325.72.
    expect(lines[7]).toBe(
      '401276' + '12345678' + '0' + '17' + '401276' + '12345678' + '    ' + '00000132572' +
      'HCC-20261209-1    ' + 'CONTRA            ' + 'HCC DP ACCOUNT    ',
    );
    // UHL1: processing day 2026-12-10 is day 334 + 10 = 344 of 2026.
    expect(lines[3].slice(4, 10)).toBe(' 26344');
    expect(lines[3].slice(28, 40)).toBe('1 DAILY  001');
    expect(lines[0].slice(41, 47)).toBe('123456'); // SUN in VOL1 owner id
    expect(lines[8].slice(4)).toBe(lines[1].slice(4)); // EOF1 mirrors HDR1
    expect(lines[9].slice(4)).toBe(lines[2].slice(4)); // EOF2 mirrors HDR2
    // UTL1: debit total = contra, credit total = sum of 99s, 1 debit item, 3 credit items.
    expect(lines[10].slice(0, 44)).toBe('UTL1' + '0000000132572' + '0000000132572' + '0000001' + '0000003');
    expect(lines[10].slice(44).trim()).toBe('');
  });

  it('SAP IDoc: segments and amounts as derived by hand, balanced to zero', () => {
    const xml = golden(idocAndStd18.posting);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ACC_DOCUMENT03>\n  <IDOC BEGIN="1">')).toBe(true);
    const amounts = [...xml.matchAll(/<AMT_DOCCUR>([^<]*)<\/AMT_DOCCUR>/g)].map((m) => m[1]);
    // items in order: vendor 1, GL 1; vendor 2, GL 520.00, GL -30.00 (zero line omitted); vendor 3, GL 3
    expect(amounts).toEqual(['-575.72', '575.72', '-490.00', '520.00', '-30.00', '-260.00', '260.00']);
    expect(amounts.map(pence).reduce((a, b) => a + b, 0n)).toBe(0n);
    expect(xml.match(/<E1BPACAP09 /g)).toHaveLength(3);
    expect(xml.match(/<E1BPACGL09 /g)).toHaveLength(4);
    expect(xml).toContain('<REF_DOC_NO>HCC-20261209-1</REF_DOC_NO>');
    expect(xml).toContain('<PSTNG_DATE>20261209</PSTNG_DATE>');
    expect(xml.match(/<PMNT_BLOCK>A<\/PMNT_BLOCK>/g)).toHaveLength(3); // dpbridge pays by Std 18
    const order = ['EDI_DC40', 'E1BPACHE09', 'E1BPACGL09', 'E1BPACAP09', 'E1BPACCR09'].map((s) => xml.indexOf(`<${s} `));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('SAP AP CSV: exactly the records derived by hand', () => {
    expect(golden(csvAndPain.posting)).toBe(
      'H,HCC-20261209-1,20261209,HC01,KR,GBP\r\n' +
      'D,100234,HCC0001Q7,520100,CC4010,575.72,20261214,20270110,DP5001,REGULAR,A\r\n' +
      'D,100877,HCC0002K3,520100,CC4010,520.00,20261214,20270110,DP5002,REGULAR,A\r\n' +
      'D,100877,HCC0002K3,520100,CC4010,-30.00,20261116,20261213,DP5002,ADJUSTMENT,A\r\n' +
      'D,900001,HCC0003B9,520110,CC4020,260.00,20261214,20270110,DP5004,REGULAR,A\r\n' +
      'T,4,1325.72\r\n',
    );
  });

  it('pain.001: group and PmtInf controls and amounts as derived by hand', () => {
    const xml = golden(csvAndPain.payment);
    expect(xml.match(/<NbOfTxs>3<\/NbOfTxs>/g)).toHaveLength(2);
    expect(xml.match(/<CtrlSum>1325.72<\/CtrlSum>/g)).toHaveLength(2);
    expect([...xml.matchAll(/<InstdAmt Ccy="GBP">([^<]*)<\/InstdAmt>/g)].map((m) => m[1])).toEqual(['575.72', '490.00', '260.00']);
    expect([...xml.matchAll(/<Ustrd>([^<]*)<\/Ustrd>/g)].map((m) => m[1])).toEqual(['HCC0001Q7', 'HCC0002K3', 'HCC0003B9']);
    expect(xml).toContain('<CreDtTm>2026-12-09T00:00:00</CreDtTm>');
    expect(xml).toContain('<ReqdExctnDt>2026-12-11</ReqdExctnDt>');
    expect(xml).toContain('<CdtrAcct><Id><Othr><Id>20041538290008</Id></Othr></Id></CdtrAcct>');
    expect(xml).toContain('<Cdtr><Nm>Mrs Zoe O\'Neill-Smith</Nm></Cdtr>'.replace("'", '&apos;'));
  });

  it('card load: exactly the records derived by hand, same bytes whatever the other formats', () => {
    const text = golden(idocAndStd18.cardLoads[0]);
    expect(text).toBe('H,HCC-20261209-1,ALLPAY,20261209,HCC\r\nD,AP0000123456,26000,260.00,HCC0003B9\r\nT,1,26000,260.00\r\n');
    expect(csvAndPain.cardLoads[0].content.equals(idocAndStd18.cardLoads[0].content)).toBe(true);
  });
});
