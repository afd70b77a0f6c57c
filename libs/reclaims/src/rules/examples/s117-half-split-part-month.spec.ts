// Worked example: a 50/50 s117 split over a part month.
//
// S117 DP from Thu 10 Dec 2026, £150.00 a week (15000p), ICB-QRL pays 50.00% from the start.
// Night of Mon 4 Jan 2027: December is due (first night on or after 1 Jan), raised once.
//   December days 10..31 = 22 payable days.
//   cost   = round(15000 x 22 / 7)              = round(47142.857) = 47143
//   amount = round(15000 x 22 x 5000 / 70000)   = round(23571.428) = 23571
// (Halving the rounded cost would give 23571.5 -> 23572: the amount is never taken from the cost.)
// The S117 contribution (£20 a week, ignored for S117) plays no part.
import { planReclaim } from '../plan';
import { RAISED_TO_NOV, SETTINGS, reclaimDp, split } from './fixtures';

it('raises one December invoice to ICB-QRL for 23571p over 10-31 Dec', () => {
  const dp = reclaimDp({ fundingStream: 'S117', start: '2026-12-10', splits: [split('ICB-QRL', '2026-12-10', '50.00')] });
  const plan = planReclaim({ nightDate: '2027-01-04', settings: SETTINGS, raisedMonths: RAISED_TO_NOV, dps: [{ dp, personId: 'P1', nhsValid: true }], invoiced: [] });
  expect(plan.newMonths).toEqual(['2026-12']);
  expect(plan.held).toEqual([]);
  expect(plan.invoices).toEqual([
    {
      customer: 'ICB-QRL',
      periodFrom: '2026-12-01',
      periodTo: '2026-12-31',
      adjustmentsOnly: false,
      totalPence: 23571n,
      lines: [
        { dpId: 'DP5001', personId: 'P1', month: '2026-12', from: '2026-12-10', to: '2026-12-31', costPence: 47143n, healthBasisPoints: 5000n, amountPence: 23571n, adjustment: false },
      ],
    },
  ]);
});

it('raises nothing on a night before the month has ended', () => {
  const dp = reclaimDp({ fundingStream: 'S117', start: '2026-12-10', splits: [split('ICB-QRL', '2026-12-10', '50.00')] });
  const plan = planReclaim({ nightDate: '2026-12-31', settings: SETTINGS, raisedMonths: RAISED_TO_NOV, dps: [{ dp, personId: 'P1', nhsValid: true }], invoiced: [] });
  expect(plan).toEqual({ newMonths: [], invoices: [], held: [] });
});
