import { healthShareForMonth } from './reclaim';
import { parsePercentToBasisPoints } from './dp';
import { dp } from './examples/fixtures';

// JOINT DP, £150.00/week, January 2027 (31 days):
//   50.00%: 15000 x 31 x 5000 / 70000 = 2,325,000,000 / 70000 = 33214.29 -> 33214 (half of 664.2857)
//   33.33%: 15000 x 31 x 3333 / 70000 = 1,549,845,000 / 70000 = 22140.64 -> 22141
//   Split 50% to 15 Jan, 40% from 16 Jan: (15000 x 15 x 5000 + 15000 x 16 x 4000) / 70000
//     = (1,125,000,000 + 960,000,000) / 70000 = 2,085,000,000 / 70000 = 29785.71 -> 29786
describe('health share reclaim', () => {
  const joint = (splits: { from: string; pct: string }[]) =>
    dp({
      fundingStream: 'JOINT',
      splits: splits.map((s) => ({
        partner: 'ICB-QRL',
        from: s.from,
        healthBasisPoints: parsePercentToBasisPoints(s.pct),
      })),
    });

  it('parses percentages to basis points digit by digit', () => {
    expect(parsePercentToBasisPoints('50.00')).toBe(5000n);
    expect(parsePercentToBasisPoints('33.5')).toBe(3350n);
    expect(parsePercentToBasisPoints('100')).toBe(10000n);
    expect(() => parsePercentToBasisPoints('100.01')).toThrow(RangeError);
    expect(() => parsePercentToBasisPoints('1.234')).toThrow(RangeError);
  });

  it('computes the month share with one rounding', () => {
    expect(healthShareForMonth(joint([{ from: '2026-04-06', pct: '50.00' }]), '2027-01-20')).toMatchObject({
      status: 'OK',
      sharePence: 33214n,
      costPence: 66429n,
      payableDays: 31,
      partner: 'ICB-QRL',
    });
    expect(healthShareForMonth(joint([{ from: '2026-04-06', pct: '33.33' }]), '2027-01-01')).toMatchObject({
      sharePence: 22141n,
    });
    expect(
      healthShareForMonth(
        joint([
          { from: '2026-04-06', pct: '50.00' },
          { from: '2027-01-16', pct: '40.00' },
        ]),
        '2027-01-31',
      ),
    ).toMatchObject({ sharePence: 29786n });
  });

  it('holds a DP without a split unless the council has a default, and ignores LA DPs', () => {
    expect(healthShareForMonth(joint([]), '2027-01-01')).toEqual({ status: 'HELD', reason: 'NO_SPLIT' });
    expect(healthShareForMonth(joint([]), '2027-01-01', 5000n)).toMatchObject({
      status: 'OK',
      sharePence: 33214n,
      usedDefaultPct: true,
    });
    expect(healthShareForMonth(dp(), '2027-01-01')).toEqual({ status: 'NOT_APPLICABLE' });
  });
});
