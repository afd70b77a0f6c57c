/**
 * Record definitions: one definition lays a record out and reads it back; faults name the record
 * type, the field (positions or column) and the line, never the value. The docs' layout tables
 * are the definitions' (UPDATE_DOCS=1 rewrites them).
 */
import * as fs from 'fs';
import * as path from 'path';
import { sampleRun } from './__fixtures__/sample-run';
import { readBacsStd18, STD18, writeBacsStd18 } from './bacs-std18';
import { CARD_LOAD_CSV, readCardLoad, writeCardLoadFiles } from './card-load';
import { fixedRecord, formatFixed, layoutTable, parseFixed, type FixedRecord, type CsvRecordType } from './records';
import { readSapCsv, SAP_CSV, writeSapCsv } from './sap-csv';
import { readSapIdoc, writeSapIdoc } from './sap-idoc';
import { BACS_CHARSET } from './text';

const lines = () => writeBacsStd18(sampleRun()).content.toString('ascii').split('\r\n').slice(0, -1);
const join = (ls: string[]) => ls.join('\r\n') + '\r\n';
const BACS = { pattern: BACS_CHARSET, text: 'the Bacs set' };

describe('fixed-width record definitions', () => {
  it('refuses fields that do not tile the record', () => {
    expect(() => fixedRecord('X', 10, BACS, [{ name: 'a', start: 1, length: 4, kind: 'alpha' }, { name: 'b', start: 6, length: 5, kind: 'alpha' }])).toThrow(
      'X: field b starts at 6, expected 5',
    );
    expect(() => fixedRecord('X', 10, BACS, [{ name: 'a', start: 1, length: 4, kind: 'alpha' }])).toThrow('X: fields cover 4 of 10 characters');
  });

  it('reads back what it laid out', () => {
    const values = {
      destinationSortCode: '200415', destinationAccountNumber: '38290008', transactionCode: '99', originatingSortCode: '401276',
      originatingAccountNumber: '12345678', amount: 57572n, originatorName: 'HCC DIRECT PAY', reference: 'HCC0001Q7', destinationAccountName: 'J SMITH',
    };
    const line = formatFixed(STD18.DATA, values);
    expect(line).toHaveLength(100);
    const problems: string[] = [];
    expect(parseFixed(STD18.DATA, line, 5, problems)).toEqual(values);
    expect(problems).toEqual([]);
  });

  it('names the record type and the field when a value does not fit, never the value', () => {
    const utl = { debitTotal: 1n, creditTotal: 10_000_000_000_000n, debitCount: 1, creditCount: 1 };
    expect(() => formatFixed(STD18.UTL1, utl)).toThrow('NUMERIC_FIELD_OVERFLOW: UTL1 field creditTotal (18-30) exceeds 13 digits');
    const bad = { ...utl, creditTotal: 1n, creditCount: 'x9' };
    expect(() => formatFixed(STD18.UTL1, bad)).toThrow('NON_NUMERIC_FIELD: UTL1 field creditCount (38-44) is not numeric');
    expect(() => formatFixed(STD18.VOL1, { volumeSerial: 343001, serviceUserNumber: 'ab1234' })).toThrow(
      'FIELD_CHARSET: VOL1 field serviceUserNumber (42-47) has characters outside the Bacs set',
    );
  });
});

describe('Std 18 reader: faults name record, type and field', () => {
  it('a data record with a letter in the account number', () => {
    const ls = lines();
    ls[5] = ls[5].slice(0, 8) + 'X' + ls[5].slice(9);
    const problems = readBacsStd18(join(ls)).problems;
    expect(problems).toContain('record 6: data record field destinationAccountNumber (7-14) is not numeric');
    expect(problems.join('\n')).not.toContain('11X23344');
  });

  it('a UHL1 processing day that is not a Julian date, and a changed fixed code', () => {
    const ls = lines();
    ls[3] = ls[3].slice(0, 4) + ' 26400' + ls[3].slice(10, 28) + '2 DAILY  ' + ls[3].slice(37);
    expect(readBacsStd18(join(ls)).problems).toEqual([
      'record 4: UHL1 field processingDate (5-10) is not a Julian date ( YYDDD)',
      'record 4: UHL1 field workCode (29-37) is not as defined',
    ]);
  });

  it('an EOF1 that does not mirror HDR1', () => {
    const ls = lines();
    ls[8] = ls[8].slice(0, 21) + '343002' + ls[8].slice(27);
    expect(readBacsStd18(join(ls)).problems).toEqual(['EOF1 does not mirror HDR1']);
  });
});

describe('CSV readers: faults name record, type, field and column', () => {
  it('SAP AP: a detail amount and a period date that are not what the column holds', () => {
    const text = writeSapCsv(sampleRun()).content.toString('utf8').replace(',575.72,20261214,', ',575.7x,20261314,');
    expect(readSapCsv(text).problems).toEqual([
      'record 2: detail field amount (column 6) is not an amount (INVALID_AMOUNT)',
      'record 2: detail field periodStart (column 7) is not a date (YYYYMMDD)',
      'trailer count does not equal the detail records',
      'trailer total does not equal the detail records',
    ]);
  });

  it('card load: a detail row with a missing column, and pence and pounds that disagree', () => {
    const [file] = writeCardLoadFiles(sampleRun());
    const rows = file.content.toString('utf8').split('\r\n');
    rows[1] = rows[1].replace(',26000,260.00,', ',26000,260.01,');
    rows.splice(2, 0, 'D,AP1,100');
    const problems = readCardLoad(rows.join('\r\n')).problems;
    expect(problems).toEqual(['record 2: pence and pounds disagree', 'record 3: detail does not have 5 fields']);
  });
});

describe('SAP IDoc item numbering (shared by writer and reader)', () => {
  it('flags items that are not numbered vendor item, then its GL lines', () => {
    const xml = writeSapIdoc(sampleRun()).content.toString('utf8');
    expect(readSapIdoc(xml).problems).toEqual([]);
    // Swap the numbers of credit 2's vendor item (3) and its first GL item (4), amounts included.
    const swapped = xml.replace(/<ITEMNO_ACC>000000000([34])</g, (_m, d: string) => `<ITEMNO_ACC>000000000${d === '3' ? '4' : '3'}<`);
    expect(readSapIdoc(swapped).problems).toEqual(['vendor item for HCC0002K3: items are not numbered vendor item, then its GL lines']);
  });
});

describe('docs/formats/finance-files.md', () => {
  const DOC = path.join(__dirname, '../../../../docs/formats/finance-files.md');
  const tables: Array<[string, FixedRecord | CsvRecordType]> = [
    ['std18-VOL1', STD18.VOL1], ['std18-HDR1', STD18.HDR1], ['std18-HDR2', STD18.HDR2], ['std18-UHL1', STD18.UHL1],
    ['std18-data', STD18.DATA], ['std18-UTL1', STD18.UTL1],
    ['sap-csv-header', SAP_CSV.header], ['sap-csv-detail', SAP_CSV.detail], ['sap-csv-trailer', SAP_CSV.trailer],
    ['card-load-header', CARD_LOAD_CSV.header], ['card-load-detail', CARD_LOAD_CSV.detail], ['card-load-trailer', CARD_LOAD_CSV.trailer],
  ];

  it('holds the layout table of every record definition', () => {
    let doc = fs.readFileSync(DOC, 'utf8');
    for (const [id, record] of tables) {
      const block = new RegExp(`<!-- layout:${id} -->\\n(?:[^<]*\\n)?<!-- /layout -->`);
      if (process.env.UPDATE_DOCS) doc = doc.replace(block, () => `<!-- layout:${id} -->\n${layoutTable(record)}\n<!-- /layout -->`);
      expect(block.exec(doc)?.[0]).toBe(`<!-- layout:${id} -->\n${layoutTable(record)}\n<!-- /layout -->`);
    }
    if (process.env.UPDATE_DOCS) fs.writeFileSync(DOC, doc);
  });
});
