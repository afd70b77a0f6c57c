import { computePeriodAmount } from './amounts';
import { dp } from './examples/fixtures';

// Days before the first rate's `from` have no rate: not payable (NO_RATE), never guessed.
// DP from 6 Apr, first rate from Mon 13 Apr: 21 payable days of 28 -> 45000 - 6000 = 39000.
describe('computePeriodAmount edge cases', () => {
  it('does not pay days with no rate in force', () => {
    const a = computePeriodAmount(dp({ rates: [{ from: '2026-04-13', weeklyGrossPence: 15000n }] }), {
      start: '2026-04-06',
      end: '2026-05-03',
    });
    expect(a.days[0]).toMatchObject({
      date: '2026-04-06',
      payable: false,
      reasons: ['NO_RATE'],
      weeklyGrossPence: null,
    });
    expect([a.payableDays, a.grossPence, a.contributionPence, a.payablePence]).toEqual([
      21,
      45000n,
      6000n,
      39000n,
    ]);
  });

  it('names the record and field, never the value, in errors', () => {
    const bad = dp({ rates: [{ from: '2026-04-06', weeklyGrossPence: -1n }] });
    expect(() => computePeriodAmount(bad, { start: '2026-04-06', end: '2026-05-03' })).toThrow(
      'DP5001.rates.weeklyGross is negative',
    );
    expect(() =>
      computePeriodAmount(dp({ end: '2026-02-30' }), { start: '2026-04-06', end: '2026-05-03' }),
    ).toThrow('DP5001.end is not a valid YYYY-MM-DD date');
  });
});
