/**
 * The CSV kinds the AR files added to the shared record definitions (optional text, percent,
 * flag, ISO date, a text pattern): what is written reads back the same, as CSV and as the
 * field texts the IDoc elements and schedule cells carry; faults name the record, field and column.
 */
import { CSV_ESCAPER } from './csv';
import { formatPence } from '@dpb/common';
import { csvFieldTexts, csvRecordType, parseCsv, writeCsv } from './records';
import { render } from './render';

const LINE = csvRecordType('LINE', [
  { name: 'record', kind: 'constant', value: 'LINE' },
  { name: 'code', kind: 'text', pattern: /^[A-Z]{2}\d$/ },
  { name: 'note', kind: 'optionalText' },
  { name: 'share', kind: 'percent' },
  { name: 'adjustment', kind: 'flag' },
  { name: 'from', kind: 'isoDate' },
  { name: 'amount', kind: 'pounds' },
]);

describe('CSV record kinds shared by the AR files', () => {
  it('writes and reads back each kind, as CSV and as field texts', () => {
    const values = { code: 'AB1', note: null, share: 5025n, adjustment: true, from: '2027-02-28', amount: -3200n };
    const csv = render((out) => writeCsv(out, LINE, values), CSV_ESCAPER).toString();
    expect(csv).toBe('LINE,AB1,,50.25,Y,2027-02-28,-32.00\r\n');
    const texts = csvFieldTexts(LINE, values);
    expect(texts).toEqual(['LINE', 'AB1', '', '50.25', 'Y', '2027-02-28', '-32.00']);
    const problems: string[] = [];
    expect(parseCsv(LINE, texts, 1, problems)).toEqual(values);
    expect(problems).toEqual([]);
    expect(parseCsv(LINE, [...texts.slice(0, 2), 'a, "quoted" note', ...texts.slice(3)], 1, problems)?.note).toBe('a, "quoted" note');
  });

  it('names the record, field and column of each fault, never the value', () => {
    const problems: string[] = [];
    expect(parseCsv(LINE, ['LINE', 'ab1', '', '100.01', 'y', '2027-02-29', 'x'], 7, problems)).toBeUndefined();
    expect(problems).toEqual([
      'record 7: LINE field code (column 2) is not valid',
      'record 7: LINE field share (column 4) is not a percentage',
      'record 7: LINE field adjustment (column 5) is not Y or N',
      'record 7: LINE field from (column 6) is not a date (YYYY-MM-DD)',
      'record 7: LINE field amount (column 7) is not an amount (INVALID_AMOUNT)',
    ]);
  });

  it('refuses to write a text its pattern does not allow, or a date that is not one', () => {
    const values = { code: 'AB1', note: 'x', share: 0n, adjustment: false, from: '2027-02-28', amount: 0n };
    expect(() => csvFieldTexts(LINE, { ...values, code: 'A,B' })).toThrow('LINE field code (column 2) is not valid');
    expect(() => csvFieldTexts(LINE, { ...values, from: '2027-02-30' })).toThrow('LINE field from (column 6) is not a date (YYYY-MM-DD)');
  });

  it('writes basis points as a percentage with two places', () => {
    expect([0n, 5n, 5000n, 10000n].map(formatPence)).toEqual(['0.00', '0.05', '50.00', '100.00']);
  });
});
