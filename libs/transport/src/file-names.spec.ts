import { TransportError } from './errors';
import { archiveDir, assertPlainName, disambiguatedName, isCandidateName, tempNameFor } from './file-names';

describe('isCandidateName', () => {
  it.each(['bank-20261120.xml', 'MOSAIC_EXPORT.CSV', 'statement.mt940', 'a.done.xml'])('takes %s', (n) => {
    expect(isCandidateName(n)).toBe(true);
  });
  it.each([
    '.hidden.xml',
    '.bank.xml.a1b2.tmp',
    'bank.xml.tmp',
    'bank.xml.part',
    'bank.xml.PART',
    'bank.xml.filepart',
    'bank.xml.done',
  ])('skips %s', (n) => {
    expect(isCandidateName(n)).toBe(false);
  });
});

describe('archiveDir', () => {
  it('maps a civil date to archive/YYYY/MM/DD', () => {
    expect(archiveDir('2026-11-20')).toBe('archive/2026/11/20');
    expect(archiveDir('2028-02-29')).toBe('archive/2028/02/29');
  });
  it.each([
    '2026-2-1',
    '2026-02-30',
    '2027-02-29',
    '2100-02-29',
    '2026-13-01',
    '20261120',
    '2026-11-20T00:00',
  ])('refuses %s', (d) => {
    expect(() => archiveDir(d)).toThrow(TransportError);
  });
});

describe('names', () => {
  it('refuses names that are not a single path segment', () => {
    for (const n of ['', '.', '..', 'a/b', '../x', 'a\\b', 'a\nb'])
      expect(() => assertPlainName(n)).toThrow(TransportError);
    expect(() => assertPlainName('ok.xml')).not.toThrow();
  });
  it('builds the temp and disambiguated names', () => {
    expect(tempNameFor('pay.csv', 'abc')).toBe('.pay.csv.abc.tmp');
    expect(isCandidateName(tempNameFor('pay.csv', 'abc'))).toBe(false);
    expect(disambiguatedName('x.xml', 'deadbeefcafe')).toBe('x.xml.deadbeef');
  });
});
