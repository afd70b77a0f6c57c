import { rejectionOf } from '../__fixtures__/rejection';
import { parseBai2 } from './bai2-parser';

/**
 * A small consistent BAI2 file written for these tests (one group, one GBP account): 03 opening
 * 1000.00 and closing 843.75, a 162.50 credit and a 318.75 debit. Account control total =
 * 100000 + 84375 (03 amounts) + 16250 + 31875 (16 amounts) = 232500; records: 4 in the account
 * (03, 16, 16, 49), 6 in the group (+ 02, 98), 8 in the file (+ 01, 99).
 */
interface Trailers {
  acctTotal: string;
  acctRecords: string;
  groupTotal: string;
  accounts: string;
  groupRecords: string;
  fileTotal: string;
  groups: string;
  fileRecords: string;
}
const GOOD: Trailers = {
  acctTotal: '232500', acctRecords: '4', groupTotal: '232500', accounts: '1', groupRecords: '6', fileTotal: '232500', groups: '1', fileRecords: '8',
};
const bai2 = (over: Partial<Trailers> = {}) => {
  const t = { ...GOOD, ...over };
  return [
    '01,SENDER,RECEIVER,261120,0600,1,,,2/',
    '02,RECEIVER,SENDER,1,261119,2400,GBP,2/',
    '03,12345678,GBP,010,100000,,,015,84375,,/',
    '16,195,16250,0,BR1,DPB-RUN7-0001,FASTER PAYMENT/',
    '16,495,31875,0,BR2,DPB-RUN7-0002,BACS/',
    `49,${t.acctTotal},${t.acctRecords}/`,
    `98,${t.groupTotal},${t.accounts},${t.groupRecords}/`,
    `99,${t.fileTotal},${t.groups},${t.fileRecords}/`,
  ].join('\n');
};

const rejection = (text: string) => rejectionOf(() => parseBai2(text));

describe('BAI2 control totals and counts (enforced by default)', () => {
  it('reads the consistent file', () => {
    const f = parseBai2(bai2());
    expect(f.statements[0].entries.map((e) => e.amountMinor)).toEqual([16250n, -31875n]);
    expect(f.warnings).toBeUndefined();
  });

  it('refuses a wrong account control total (49), naming the account and the field', () => {
    const e = rejection(bai2({ acctTotal: '232501', groupTotal: '232501', fileTotal: '232501' }));
    expect(e).toMatchObject({ code: 'CONTROL_TOTAL', record: 'account 1', field: '49 account control total', line: 6 });
    expect(e.message).not.toContain('232501');
  });

  it('refuses a wrong group control total (98)', () => {
    expect(rejection(bai2({ groupTotal: '232400', fileTotal: '232400' }))).toMatchObject({
      code: 'CONTROL_TOTAL', record: 'group 1', field: '98 group control total', line: 7,
    });
  });

  it('refuses a wrong file control total (99)', () => {
    expect(rejection(bai2({ fileTotal: '0' }))).toMatchObject({ code: 'CONTROL_TOTAL', record: 'file', field: '99 file control total', line: 8 });
  });

  it('refuses a wrong record count (49, 98 and 99 each)', () => {
    expect(rejection(bai2({ acctRecords: '5' }))).toMatchObject({ code: 'CONTROL_COUNT', record: 'account 1', field: '49 number of records' });
    expect(rejection(bai2({ groupRecords: '7' }))).toMatchObject({ code: 'CONTROL_COUNT', record: 'group 1', field: '98 number of records' });
    expect(rejection(bai2({ fileRecords: '9' }))).toMatchObject({ code: 'CONTROL_COUNT', record: 'file', field: '99 number of records' });
  });

  it('refuses a wrong number of accounts (98) or groups (99)', () => {
    expect(rejection(bai2({ accounts: '2' }))).toMatchObject({ code: 'CONTROL_COUNT', field: '98 number of accounts' });
    expect(rejection(bai2({ groups: '0' }))).toMatchObject({ code: 'CONTROL_COUNT', field: '99 number of groups' });
  });

  it('refuses a missing record count and a blank control total over amounts', () => {
    expect(rejection(bai2({ acctRecords: '' }))).toMatchObject({ code: 'CONTROL_COUNT', field: '49 number of records' });
    expect(rejection(bai2({ acctTotal: '' }))).toMatchObject({ code: 'CONTROL_TOTAL', field: '49 account control total' });
  });

  it('refuses a truncated file (no 49, 98 or 99 trailer)', () => {
    const lines = bai2().split('\n');
    expect(rejection(lines.slice(0, 7).join('\n'))).toMatchObject({ code: 'MISSING_TRAILER', field: '99' });
    expect(rejection(lines.slice(0, 6).join('\n'))).toMatchObject({ code: 'MISSING_TRAILER', field: '98' });
    expect(rejection(lines.slice(0, 5).join('\n'))).toMatchObject({ code: 'MISSING_TRAILER', field: '49', record: 'account 1' });
  });

  it("the tester's file (account, group and file totals all wrong) is refused; `strict: false` only flags it", () => {
    const bad = bai2({ acctTotal: '1', groupTotal: '2', fileTotal: '3' });
    expect(rejection(bad).code).toBe('CONTROL_TOTAL');
    const codes = (parseBai2(bad, { strict: false }).warnings ?? []).map((w) => w.code);
    expect(codes).toEqual(['BAI2_CONTROL_TOTAL', 'BAI2_CONTROL_TOTAL', 'BAI2_CONTROL_TOTAL']);
  });

  it('counts 88 continuations as records and 03 summary amounts in the account total', () => {
    const text = bai2({ acctRecords: '5', groupRecords: '7', fileRecords: '9' }).replace('16,495,31875,0,BR2,DPB-RUN7-0002,BACS/', '16,495,31875,0,BR2,DPB-RUN7-0002,BACS/\n88,MORE TEXT/');
    expect(parseBai2(text).statements[0].entries[1].extra?.text).toBe('BACS MORE TEXT');
  });
});
