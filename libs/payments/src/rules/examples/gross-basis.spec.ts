import { computePeriodAmount } from '../amounts';
import { dp } from './fixtures';

// GROSS basis pays gross; the contribution is reported (for the Reclaim stage to invoice).
//   28 days: gross 60000, contribution 8000, payable 60000
//   January 2027 (31 days): gross 66429, contribution 8857 (see the Hampshire example), payable 66429
describe('worked example: GROSS basis', () => {
  it('pays gross and reports the contribution', () => {
    const a = computePeriodAmount(dp({ basis: 'GROSS' }), { start: '2026-04-06', end: '2026-05-03' });
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([60000n, 8000n, 60000n]);
  });

  it('pays the rounded gross for a part-week month', () => {
    const a = computePeriodAmount(dp({ basis: 'GROSS', frequency: 'MONTHLY' }), {
      start: '2027-01-01',
      end: '2027-01-31',
    });
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([66429n, 8857n, 66429n]);
  });
});
