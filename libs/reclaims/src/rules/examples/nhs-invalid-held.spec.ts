// Worked example: a person whose NHS number failed its check is held from the reclaim.
//
// JOINT DP from 1 Dec 2026, £150.00 a week, ICB-QRL 50.00%. The person's NHS number failed its check, so on the
// night of 4 Jan 2027 December is held (NHS_INVALID) and no invoice is raised; the officer sees
// {dpId, month: "2026-12", reason: "NHS_INVALID"}. A later export corrects the number: on
// 1 Feb 2027 January is invoiced and December follows as an adjustment line on that invoice:
//   December: cost round(15000 x 31 / 7) = 66429, amount round(15000 x 31 x 5000 / 70000) = 33214
//   January : the same, 66429 / 33214                                 -> total 66428
import { planReclaim } from '../plan';
import { RAISED_TO_NOV, SETTINGS, reclaimDp, split } from './fixtures';

const dp = reclaimDp({ start: '2026-12-01', splits: [split('ICB-QRL', '2026-04-06', '50.00')] });

it('holds the month and raises no invoice while the NHS number is invalid', () => {
  const plan = planReclaim({ nightDate: '2027-01-04', settings: SETTINGS, raisedMonths: RAISED_TO_NOV, dps: [{ dp, personId: 'P1', nhsValid: false }], invoiced: [] });
  expect(plan.invoices).toEqual([]);
  expect(plan.newMonths).toEqual(['2026-12']);
  expect(plan.held).toEqual([{ dpId: 'DP5001', month: '2026-12', reason: 'NHS_INVALID', days: 31 }]);
});

it('invoices the held month as an adjustment once the number is corrected', () => {
  const plan = planReclaim({ nightDate: '2027-02-01', settings: SETTINGS, raisedMonths: new Set([...RAISED_TO_NOV, '2026-12']), dps: [{ dp, personId: 'P1', nhsValid: true }], invoiced: [] });
  expect(plan.held).toEqual([]);
  expect(plan.invoices.map((i) => [i.customer, i.periodFrom, i.totalPence])).toEqual([['ICB-QRL', '2027-01-01', 66428n]]);
  expect(plan.invoices[0].lines.map((l) => [l.month, l.costPence, l.amountPence, l.adjustment])).toEqual([
    ['2026-12', 66429n, 33214n, true],
    ['2027-01', 66429n, 33214n, false],
  ]);
});
