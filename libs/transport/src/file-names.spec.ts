import { TransportError } from './errors';
import { archiveDir, assertPlainName, assertSegment, disambiguatedName, isCandidateName, nameProblem, quarantineNameFor, tempNameFor } from './file-names';

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

describe('untrusted inbound names', () => {
  it.each([
    ['a\nb.xml', 'CONTROL_CHARACTER'],
    ['a\u0007b.xml', 'CONTROL_CHARACTER'],
    ['a\u009bb.xml', 'CONTROL_CHARACTER'],
    ['a\\b.xml', 'SEPARATOR'],
    ['..x.xml', 'DOT_DOT'],
    ['a..b.xml', 'DOT_DOT'],
    ['x'.repeat(201), 'TOO_LONG'],
    ['é'.repeat(101), 'TOO_LONG'], // 202 bytes in UTF-8
    ['statement\u202egpj.xml', 'UNUSUAL_CHARACTER'], // right-to-left override
    ['$(reboot).xml', 'UNUSUAL_CHARACTER'],
    ['-rf.csv', 'UNUSUAL_CHARACTER'],
  ])('finds the problem in %j', (name, problem) => {
    expect(nameProblem(name)).toBe(problem);
  });
  it.each(['camt053_20261120_0001.xml', 'MOSAIC EXPORT (2).zip', 'BAI2-2026-11-20.txt', 'Überweisung_1.csv', 'x'.repeat(200)])(
    'takes %j as it is',
    (name) => expect(nameProblem(name)).toBeNull(),
  );
  it('quarantines under a stable generated name that reveals nothing of the original', () => {
    const q = quarantineNameFor('Jane Smith\nstatement.xml');
    expect(q).toMatch(/^unsafe-name-[0-9a-f]{16}$/);
    expect(q).toBe(quarantineNameFor('Jane Smith\nstatement.xml'));
    expect(nameProblem(q)).toBeNull();
  });
  it('lets a listed name with control characters be addressed, but never a path', () => {
    expect(() => assertSegment('a\nb.xml')).not.toThrow();
    for (const n of ['', '.', '..', 'a/b', 'a\u0000b', 'x'.repeat(256)]) expect(() => assertSegment(n)).toThrow(TransportError);
  });
});
