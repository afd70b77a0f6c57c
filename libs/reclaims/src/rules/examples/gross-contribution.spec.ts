// Worked example: a GROSS contribution invoice.
//
// GROSS-basis DP, four-weekly, £150.00 gross and £20.00 contribution a week, starting Thu 17 Dec
// 2026 inside the period 14 Dec 2026 - 10 Jan 2027: 25 payable days.
//   gross        = round(15000 x 25 / 7) = round(53571.43) = 53571   (paid to the payee in full)
//   contribution = round( 2000 x 25 / 7) = round( 7142.86) =  7143   (invoiced to the person)
// Once that REGULAR line is released, the reclaim stage raises one CONTRIBUTION invoice
// HCC-CT-DP5001-20261214 for 7143 over 14 Dec - 10 Jan. A NET DP (contribution deducted from the
// payment) and an S117 DP raise nothing.
import { computePeriodAmount } from '@dpb/payments/rules';
import { contributionFromLine, contributionInvoiceId } from '../contribution';
import { reclaimDp } from './fixtures';

const period = { start: '2026-12-14', end: '2027-01-10' };
const dp = reclaimDp({ basis: 'GROSS', fundingStream: 'LA', start: '2026-12-17', contributions: [{ from: '2026-12-17', weeklyPence: 2000n }], rates: [{ from: '2026-12-17', weeklyGrossPence: 15000n }] });

it('invoices the released period contribution of a GROSS DP', () => {
  const a = computePeriodAmount(dp, period);
  expect([a.payableDays, a.grossPence, a.contributionPence, a.payablePence]).toEqual([25, 53571n, 7143n, 53571n]);
  const line = { dpId: 'DP5001', personId: 'P1', basis: 'GROSS' as const, fundingStream: 'LA' as const, periodStart: period.start, periodEnd: period.end, contributionPence: a.contributionPence };
  expect(contributionFromLine(line)).toEqual({ dpId: 'DP5001', personId: 'P1', periodFrom: '2026-12-14', periodTo: '2027-01-10', amountPence: 7143n });
  expect(contributionInvoiceId('HCC', 'DP5001', '2026-12-14')).toBe('HCC-CT-DP5001-20261214');
  expect(contributionFromLine({ ...line, basis: 'NET' })).toBeUndefined();
  expect(contributionFromLine({ ...line, fundingStream: 'S117' })).toBeUndefined();
  expect(contributionFromLine({ ...line, contributionPence: 0n })).toBeUndefined();
});
