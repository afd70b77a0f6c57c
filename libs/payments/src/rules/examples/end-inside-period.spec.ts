import { computePeriodAmount } from '../amounts';
import { dp } from './fixtures';

// DP ends Mon 20 Apr 2026 (inclusive) inside the period 6 Apr..3 May 2026.
//   payable days: 6..20 Apr = 15
//   gross        = 15000 x 15 / 7 = 225000 / 7 = 32142.86 -> 32143
//   contribution =  2000 x 15 / 7 =  30000 / 7 =  4285.71 ->  4286
//   payable      = 32143 - 4286 = 27857
describe('worked example: DP ending inside the period', () => {
  const a = computePeriodAmount(dp({ end: '2026-04-20' }), { start: '2026-04-06', end: '2026-05-03' });

  it('pays up to and including the end date', () => {
    expect(a.payableDays).toBe(15);
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([32143n, 4286n, 27857n]);
    expect(a.days.find((d) => d.date === '2026-04-20')?.payable).toBe(true);
    expect(a.days.find((d) => d.date === '2026-04-21')?.reasons).toEqual(['AFTER_END']);
  });
});
