import { computePeriodAmount } from '../amounts';
import { periodContaining } from '../periods';
import { ANCHOR, dp } from './fixtures';

// A whole 28-day period at £150.00 / £20.00 a week:
//   gross = 15000 x 28 / 7 = 60000, contribution = 2000 x 28 / 7 = 8000, payable = 52000 (£520.00)
describe('worked example: a whole four-weekly period pays 520.00', () => {
  it('pays 4 weeks exactly', () => {
    const period = periodContaining('FOUR_WEEKLY', '2026-04-20', ANCHOR);
    expect(period).toEqual({ start: '2026-04-06', end: '2026-05-03' });
    const a = computePeriodAmount(dp(), period);
    expect(a.payableDays).toBe(28);
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([60000n, 8000n, 52000n]);
    expect(
      a.days.every((d) => d.payable && d.weeklyGrossPence === 15000n && d.weeklyContributionPence === 2000n),
    ).toBe(true);
  });
});
