import { sampleRun } from './__fixtures__/sample-run';
import { readBacsStd18, validateBacsStd18, writeBacsStd18 } from './bacs-std18';
import { bacsJulian, fromBacsJulian } from './dates';
import { bacsText } from './text';

const lines = () => writeBacsStd18(sampleRun()).content.toString('ascii').split('\r\n').slice(0, -1);
const join = (ls: string[]) => ls.join('\r\n') + '\r\n';

describe('Bacs Std 18 helpers', () => {
  it.each([
    ['2026-12-10', ' 26344'], // 334 days to 30 Nov + 10
    ['2027-01-01', ' 27001'],
    ['2028-12-31', ' 28366'], // leap year
    ['2027-03-01', ' 27060'], // 31 + 28 + 1
  ])('Julian day of %s is %j', (date, julian) => {
    expect(bacsJulian(date, 'd')).toBe(julian);
    expect(fromBacsJulian(julian)).toBe(date);
  });

  it('rejects impossible Julian days', () => {
    expect(fromBacsJulian(' 27366')).toBeUndefined();
    expect(fromBacsJulian('27001')).toBeUndefined();
  });

  it.each([
    ["Mrs Zoë O'Neill-Smith", 'MRS ZOE ONEILL-SMITH'],
    ['J. Smith & Co (Ltd), #2', 'J. SMITH & CO LTD 2'],
    ['Ms  Ñuñez_Peña', 'MS NUNEZ PENA'],
  ])('maps %j into the Bacs character set as %j', (from, to) => {
    expect(bacsText(from)).toBe(to);
  });
});

describe('Bacs Std 18 writer and validator', () => {
  it('writes a file the validator accepts, with the totals of the input', () => {
    const read = readBacsStd18(writeBacsStd18(sampleRun()).content);
    expect(read.problems).toEqual([]);
    expect(read.records).toBe(3);
    expect(read.totalPence).toBe(132572n);
    expect(read.declared).toEqual({ records: 3, totalPence: 132572n });
    expect(read.credits.map((c) => [c.ref, c.sortCode, c.accountNumber, c.amountPence])).toEqual([
      ['HCC0001Q7', '200415', '38290008', 57572n],
      ['HCC0002K3', '309634', '11223344', 49000n],
      ['HCC0003B9', '601613', '87654321', 26000n],
    ]);
  });

  it('flags a data record of the wrong width', () => {
    const ls = lines();
    ls[4] = ls[4].slice(0, 99);
    expect(validateBacsStd18(join(ls))).toContain('record 5: data record is not 100 characters');
  });

  it('flags characters outside the Bacs set', () => {
    const ls = lines();
    ls[5] = ls[5].slice(0, 82) + 'j smith & co      ';
    expect(validateBacsStd18(join(ls))).toEqual(['record 6: characters outside the Bacs set']);
  });

  it('flags a credit amount changed without the contra and UTL1', () => {
    const ls = lines();
    ls[4] = ls[4].slice(0, 35) + '00000057573' + ls[4].slice(46);
    expect(validateBacsStd18(join(ls))).toEqual([
      'contra amount does not equal the sum of the credits',
      'UTL1 credit total does not equal the credits',
    ]);
  });

  it('flags a UTL1 whose counts do not match', () => {
    const ls = lines();
    ls[10] = ls[10].slice(0, 37) + '0000004' + ls[10].slice(44);
    expect(validateBacsStd18(join(ls))).toEqual(['UTL1 credit count does not equal the credits']);
  });

  it('flags a missing contra and an unknown transaction code', () => {
    const ls = lines();
    ls.splice(7, 1);
    expect(validateBacsStd18(join(ls))).toContain('expected one contra record, found 0');
    const ls2 = lines();
    ls2[4] = ls2[4].slice(0, 15) + '01' + ls2[4].slice(17);
    expect(validateBacsStd18(join(ls2))).toContain('record 5: transaction code 01 is not 99 or 17');
  });

  it('refuses to write without the originator settings, naming the setting', () => {
    const input = sampleRun();
    delete input.settings.bacsServiceUserNumber;
    expect(() => writeBacsStd18(input)).toThrow('settings.bacsServiceUserNumber is required');
  });

  it('refuses an amount that does not fit 11 digits', () => {
    const input = sampleRun();
    input.credits[0].amountPence = 100_000_000_000n;
    input.credits[0].lines[0].payablePence = 100_000_000_000n;
    expect(() => writeBacsStd18(input)).toThrow('NUMERIC_FIELD_OVERFLOW');
  });
});
