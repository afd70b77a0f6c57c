import { computePeriodAmount } from '../amounts';
import { dp } from './fixtures';

// Rate £150.00 from 6 Apr, £162.50 from Wed 22 Apr 2026 (any weekday); period 6 Apr..3 May.
//   6..21 Apr = 16 days at 15000; 22 Apr..3 May = 9 + 3 = 12 days at 16250
//   gross        = (15000 x 16 + 16250 x 12) / 7 = (240000 + 195000) / 7 = 435000 / 7 = 62142.86 -> 62143
//   contribution = 2000 x 28 / 7 = 8000
//   payable      = 62143 - 8000 = 54143
// A contribution change on Mon 27 Apr to £25.00 as well:
//   contribution = (2000 x 21 + 2500 x 7) / 7 = (42000 + 17500) / 7 = 8500 -> payable 62143 - 8500 = 53643
const period = { start: '2026-04-06', end: '2026-05-03' };
const rates = [
  { from: '2026-04-06', weeklyGrossPence: 15000n },
  { from: '2026-04-22', weeklyGrossPence: 16250n },
];

describe('worked example: rate change inside the period', () => {
  it('applies each rate from its own day', () => {
    const a = computePeriodAmount(dp({ rates }), period);
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([62143n, 8000n, 54143n]);
    expect(a.days.find((d) => d.date === '2026-04-21')?.weeklyGrossPence).toBe(15000n);
    expect(a.days.find((d) => d.date === '2026-04-22')?.weeklyGrossPence).toBe(16250n);
  });

  it('applies contribution changes the same way', () => {
    const a = computePeriodAmount(
      dp({
        rates,
        contributions: [
          { from: '2026-04-06', weeklyPence: 2000n },
          { from: '2026-04-27', weeklyPence: 2500n },
        ],
      }),
      period,
    );
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([62143n, 8500n, 53643n]);
  });

  it('refuses two rates from the same day (ambiguous), naming the field not the value', () => {
    expect(() =>
      computePeriodAmount(dp({ rates: [...rates, { from: '2026-04-22', weeklyGrossPence: 1n }] }), period),
    ).toThrow('DP5001.rates has two entries with the same from date');
  });
});
