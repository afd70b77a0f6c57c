// Worked example: a split change backdated across an issued invoice.
//
// JOINT DP from 1 Dec 2026, £140.00 a week (14000p = 2000p a day), ICB-QRL 50.00%. December 2026 was invoiced
// on 4 Jan 2027: cost 31 x 2000 = 62000, amount 31000 (that invoice is never changed).
// On 20 Jan an extract backdates the split to 40.00% from 16 Dec. December is now due as:
//   1-15 Dec at 50%: cost 30000, amount 15 x 2000 x 0.50 = 15000
//   16-31 Dec at 40%: cost 32000, amount 16 x 2000 x 0.40 = 12800        -> 62000 / 27800
//   adjustment = now - invoiced: cost 62000 - 62000 = 0, amount 27800 - 31000 = -3200
// Night of Mon 1 Feb 2027 raises January (31 days at 40%: cost 62000, amount 24800) and the
// December adjustment rides on it: total 24800 - 3200 = 21600.
// Had a night run on 20 Jan (no month due), the adjustment would go on an invoice of its own
// for 1-20 Jan: a credit note of -3200.
import { planReclaim, type InvoicedSum } from '../plan';
import { RAISED_TO_NOV, SETTINGS, reclaimDp, split } from './fixtures';

const dp = reclaimDp({
  start: '2026-12-01',
  rates: [{ from: '2026-04-06', weeklyGrossPence: 14000n }],
  splits: [split('ICB-QRL', '2026-04-06', '50.00'), split('ICB-QRL', '2026-12-16', '40.00')],
});
const invoicedDecember: InvoicedSum = {
  dpId: 'DP5001', partner: 'ICB-QRL', month: '2026-12', from: '2026-12-01', to: '2026-12-31', healthBasisPoints: 5000n, costPence: 62000n, amountPence: 31000n,
};
const raised = new Set([...RAISED_TO_NOV, '2026-12']);

it('puts one adjustment line for December on the January invoice', () => {
  const plan = planReclaim({ nightDate: '2027-02-01', settings: SETTINGS, raisedMonths: raised, dps: [{ dp, personId: 'P1', nhsValid: true }], invoiced: [invoicedDecember] });
  expect(plan.newMonths).toEqual(['2027-01']);
  expect(plan.invoices).toHaveLength(1);
  const [jan] = plan.invoices;
  expect([jan.customer, jan.periodFrom, jan.periodTo, jan.adjustmentsOnly, jan.totalPence]).toEqual(['ICB-QRL', '2027-01-01', '2027-01-31', false, 21600n]);
  expect(jan.lines.map((l) => [l.month, l.from, l.to, l.costPence, l.healthBasisPoints, l.amountPence, l.adjustment])).toEqual([
    ['2026-12', '2026-12-01', '2026-12-31', 0n, 4000n, -3200n, true],
    ['2027-01', '2027-01-01', '2027-01-31', 62000n, 4000n, 24800n, false],
  ]);
});

it('raises a credit note of its own for the adjustment when no month is due that night', () => {
  const plan = planReclaim({ nightDate: '2027-01-20', settings: SETTINGS, raisedMonths: raised, dps: [{ dp, personId: 'P1', nhsValid: true }], invoiced: [invoicedDecember] });
  expect(plan.newMonths).toEqual([]);
  expect(plan.invoices.map((i) => [i.customer, i.periodFrom, i.periodTo, i.adjustmentsOnly, i.totalPence, i.lines.length])).toEqual([
    ['ICB-QRL', '2027-01-01', '2027-01-20', true, -3200n, 1],
  ]);
});

it('raises nothing more once the adjustment is invoiced', () => {
  const adjusted: InvoicedSum = { ...invoicedDecember, healthBasisPoints: 4000n, amountPence: 27800n };
  const plan = planReclaim({ nightDate: '2027-01-21', settings: SETTINGS, raisedMonths: raised, dps: [{ dp, personId: 'P1', nhsValid: true }], invoiced: [adjusted] });
  expect(plan.invoices).toEqual([]);
});

it('computes only the new months of a DP whose terms have not changed since they were compared', () => {
  // Settled: December is not recomputed, so the backdated 40% (if it had not been seen) would not
  // show; the caller marks a DP settled only when its terms are unchanged since the last night.
  const plan = planReclaim({ nightDate: '2027-02-01', settings: SETTINGS, raisedMonths: raised, dps: [{ dp, personId: 'P1', nhsValid: true, settled: true }], invoiced: [invoicedDecember] });
  expect(plan.invoices.map((i) => [i.periodFrom, i.totalPence, i.lines.length])).toEqual([['2027-01-01', 24800n, 1]]);
});
