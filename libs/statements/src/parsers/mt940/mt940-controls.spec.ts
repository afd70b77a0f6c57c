import { rejectionOf } from '../__fixtures__/rejection';
import { checkIntegrity } from '../integrity';
import { parseMt940 } from './mt940-parser';

/** One MT940 statement written for these tests: 1000.00 + 250.00 - 75.50 = 1174.50. */
const statement = (o: { closing?: string; ccy?: string; details?: string[] } = {}) =>
  [
    ':20:STMT9',
    ':25:20000012345678',
    ':28C:9/1',
    ':60F:C261119GBP1000,00',
    ':61:261120C250,00NTRFDPB-RUN9-0001',
    ':86:DP NOVEMBER',
    ...(o.details ?? []),
    ':61:261120D75,50NTRFNONREF',
    `:62F:C261120${o.ccy ?? 'GBP'}${o.closing ?? '1174,50'}`,
    '-',
  ].join('\r\n');

const rejection = (text: string, opts = {}) => rejectionOf(() => parseMt940(text, opts));

describe('MT940 control data and limits', () => {
  it('reads the consistent statement', () => {
    expect(checkIntegrity(parseMt940(statement()))).toEqual([]);
  });

  it('balance mismatch: :60F: + :61: != :62F: is found (the intake quarantines the file)', () => {
    expect(checkIntegrity(parseMt940(statement({ closing: '1174,51' })))).toEqual([
      expect.objectContaining({ code: 'BALANCE_MISMATCH', statement: 0 }),
    ]);
  });

  it('a closing balance in another currency than the opening is refused (a warning when not strict)', () => {
    expect(rejection(statement({ ccy: 'EUR' }))).toMatchObject({ code: 'BAD_CURRENCY', record: '1', field: ':62F:/:62M: currency' });
    expect(parseMt940(statement({ ccy: 'EUR' }), { strict: false }).warnings?.map((w) => w.code)).toEqual(['BALANCE_CURRENCY_MISMATCH']);
  });

  it('an impossible balance date (31 November) is refused; the same day as a :61: value date is the tolerated quirk', () => {
    expect(rejection(statement().replace(':60F:C261119', ':60F:C261131'))).toMatchObject({ code: 'BAD_DATE', record: '1', field: ':60F: date', line: 4 });
    const quirk = parseMt940(statement().replace(':61:261120C', ':61:261131C'));
    expect(quirk.statements[0].entries[0].valueDate).toBe('2026-11-30');
    expect(quirk.warnings?.map((w) => w.code)).toContain('MT940_DATE_ADJUSTED');
  });

  it('over-long line: a line longer than maxLineChars is refused with its number', () => {
    expect(rejection(statement({ details: ['X'.repeat(5000)] }))).toMatchObject({ code: 'LINE_TOO_LONG', line: 7 });
  });

  it('a tag whose continuation lines add up past maxFieldChars is refused, naming the tag', () => {
    const many = Array.from({ length: 100 }, () => 'Y'.repeat(60));
    expect(rejection(statement({ details: many }))).toMatchObject({ code: 'FIELD_TOO_LONG', field: ':86:', record: '1' });
    expect(parseMt940(statement({ details: many }), { limits: { maxFieldChars: 10_000 } }).statements).toHaveLength(1);
  });
});
