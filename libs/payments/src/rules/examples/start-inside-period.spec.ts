import { computePeriodAmount } from '../amounts';
import { dp } from './fixtures';

// DP starts Wed 15 Apr 2026 inside the period 6 Apr..3 May 2026.
//   payable days: 15..30 Apr = 16, 1..3 May = 3 -> 19
//   gross        = 15000 x 19 / 7 = 285000 / 7 = 40714.28 -> 40714
//   contribution =  2000 x 19 / 7 =  38000 / 7 =  5428.57 ->  5429
//   payable      = 40714 - 5429 = 35285
describe('worked example: DP starting inside the period', () => {
  const a = computePeriodAmount(dp({ start: '2026-04-15' }), { start: '2026-04-06', end: '2026-05-03' });

  it('pays only the days from the start, but keeps the period bounds', () => {
    expect(a.payableDays).toBe(19);
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([40714n, 5429n, 35285n]);
    expect([a.periodStart, a.periodEnd]).toEqual(['2026-04-06', '2026-05-03']);
  });

  it('explains the unpaid days', () => {
    expect(a.days.find((d) => d.date === '2026-04-14')).toMatchObject({
      payable: false,
      reasons: ['BEFORE_START'],
    });
    expect(a.days.find((d) => d.date === '2026-04-15')).toMatchObject({ payable: true, reasons: [] });
  });
});
