import { computePeriodAmount } from '../amounts';
import { dp } from './fixtures';

// S117 aftercare is never charged: the extract's £20.00 contribution is ignored.
//   gross = 15000 x 28 / 7 = 60000, contribution = 0, payable = 60000
describe('worked example: S117 ignores the contribution', () => {
  it('pays the full gross and reports contribution 0', () => {
    const a = computePeriodAmount(dp({ fundingStream: 'S117' }), { start: '2026-04-06', end: '2026-05-03' });
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([60000n, 0n, 60000n]);
    expect(a.days.every((d) => d.weeklyContributionPence === 0n)).toBe(true);
  });
});
