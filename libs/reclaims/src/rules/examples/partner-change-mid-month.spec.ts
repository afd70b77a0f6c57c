// Worked example: a split that changes partner mid-month gives two invoices.
//
// JOINT DP from 1 Dec 2026, £100.00 a week (10000p). ICB-AAA pays 40.00% from go-live; from Wed 16 Dec 2026
// the person moves and ICB-BBB pays 60.00%. Night of Mon 4 Jan 2027 raises December:
//   ICB-AAA, 1-15 Dec (15 days): cost   = round(10000 x 15 / 7)             = round(21428.571) = 21429
//                                amount = round(10000 x 15 x 4000 / 70000)  = round(8571.428)  = 8571
//   ICB-BBB, 16-31 Dec (16 days): cost  = round(10000 x 16 / 7)             = round(22857.142) = 22857
//                                amount = round(10000 x 16 x 6000 / 70000)  = round(13714.285) = 13714
// Each partner is charged its own days only (the old rule credited the month to the last partner).
import { planReclaim } from '../plan';
import { RAISED_TO_NOV, SETTINGS, reclaimDp, split } from './fixtures';

it('raises one invoice per partner, each over its own days', () => {
  const dp = reclaimDp({
    start: '2026-12-01',
    rates: [{ from: '2026-04-06', weeklyGrossPence: 10000n }],
    splits: [split('ICB-AAA', '2026-04-06', '40.00'), split('ICB-BBB', '2026-12-16', '60.00')],
  });
  const plan = planReclaim({ nightDate: '2027-01-04', settings: SETTINGS, raisedMonths: RAISED_TO_NOV, dps: [{ dp, personId: 'P1', nhsValid: true }], invoiced: [] });
  expect(plan.invoices.map((i) => [i.customer, i.periodFrom, i.periodTo, i.totalPence])).toEqual([
    ['ICB-AAA', '2026-12-01', '2026-12-31', 8571n],
    ['ICB-BBB', '2026-12-01', '2026-12-31', 13714n],
  ]);
  expect(plan.invoices.map((i) => i.lines.map((l) => [l.from, l.to, l.costPence, l.healthBasisPoints, l.amountPence]))).toEqual([
    [['2026-12-01', '2026-12-15', 21429n, 4000n, 8571n]],
    [['2026-12-16', '2026-12-31', 22857n, 6000n, 13714n]],
  ]);
});
