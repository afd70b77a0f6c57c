import { checkContinuity, checkIntegrity } from '../integrity';
import { parseMt940 } from './mt940-parser';

/** Two pages of statement 7 in SWIFT FIN blocks: RC/RD reversals, year rollover, :86: continuation. */
const FILE = [
  '{1:F01BANKGB2LAXXX0000000000}{2:O940BANKGB2LXXXXN}{3:}{4:',
  ':20:STMT7P1',
  ':25:20000012345678',
  ':28C:7/1',
  ':60F:C261230GBP1000,00',
  ':61:2612310102D575,00NTRFDPB-RUN7-0001//BK1',
  ':86:DP NOVEMBER',
  'SECOND LINE',
  ':61:2612310102RD575,00NTRFDPB-RUN7-0001//BK2',
  ':86:REVERSAL OF DEBIT',
  ':62M:C270102GBP1000,00',
  '-}{5:}',
  '{1:F01BANKGB2LAXXX0000000000}{2:O940BANKGB2LXXXXN}{3:}{4:',
  ':20:STMT7P2',
  ':25:20000012345678',
  ':28C:7/2',
  ':60M:C270102GBP1000,00',
  ':61:270102C162,5NTRFNONREF',
  ':61:270102RC162,5NTRFNONREF',
  ':62F:C270102GBP1000,00',
  '-}',
].join('\r\n');

describe('parseMt940 (hand-made)', () => {
  const f = parseMt940(FILE);
  it('reads both pages as statements with M balances', () => {
    expect(f.statements.map((s) => [s.sequence, s.openingBalanceMinor, s.closingBalanceMinor])).toEqual([
      ['7/1', 100000n, 100000n],
      ['7/2', 100000n, 100000n],
    ]);
    expect(checkIntegrity(f)).toEqual([]);
  });

  it('RD is a credit reversal-of-debit, RC a debit reversal-of-credit', () => {
    const [d, rd] = f.statements[0].entries;
    const [c, rc] = f.statements[1].entries;
    expect([d.amountMinor, d.reversal, rd.amountMinor, rd.reversal]).toEqual([-57500n, false, 57500n, true]);
    expect([c.amountMinor, c.reversal, rc.amountMinor, rc.reversal]).toEqual([16250n, false, -16250n, true]);
  });

  it('entry date 0102 after value date 31 Dec rolls into the next year', () => {
    const e = f.statements[0].entries[0];
    expect([e.valueDate, e.bookingDate]).toEqual(['2026-12-31', '2027-01-02']);
  });

  it('keeps references and joins :86: continuation lines', () => {
    const e = f.statements[0].entries[0];
    expect(e.reference).toBe('DPB-RUN7-0001');
    expect(e.extra).toMatchObject({ bankReference: 'BK1', details: 'DP NOVEMBER\nSECOND LINE', typeCode: 'NTRF' });
    expect(f.statements[1].entries[0].reference).toBeNull();
  });

  it('page 2 follows page 1 (continuity)', () => {
    const [p1, p2] = f.statements;
    expect(checkContinuity({ closing: p1.closingBalanceMinor, sequence: p1.sequence }, p2)).toEqual([]);
  });

  it('rejects a :61: before any :20: and a statement without balances', () => {
    expect(() => parseMt940(':61:2612310102D575,00NTRFX\n')).toThrow(expect.objectContaining({ code: 'UNEXPECTED_RECORD' }));
    expect(() => parseMt940(':20:X\n:25:1\n:28C:1\n:61:261231D1,00NTRFX\n-')).toThrow(expect.objectContaining({ code: 'MISSING_ELEMENT' }));
    expect(() => parseMt940(':20:X\n:25:1\n:60F:C261231GBP1,00\n:61:26123XD1,00NTRFX\n:62F:C261231GBP0,00\n-')).toThrow(
      expect.objectContaining({ code: 'BAD_RECORD' }),
    );
  });
});
