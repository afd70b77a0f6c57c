// Worked example: a death recovery.
//
// A four-weekly DP of £150.00 a week was paid £600.00 (60000p) for 7 Dec 2026 - 3 Jan 2027. The
// person died on Thu 10 Dec; the day of death is paid, so 4 days were due:
//   due = round(15000 x 4 / 7) = round(8571.43) = 8571 ; overpaid = 60000 - 8571 = 51429.
// Reconciliation opened a DEATH case for 51429 naming PAYMENT_AFTER_DEATH; one officer proposed
// it and another approved it. The night then raises one RECOVERY invoice for 51429 with reason
// PAYMENT_AFTER_DEATH (a DEATH case without a named reason gives DEATH). Nothing is invoiced from
// a case that is only proposed, nor from kinds that are not recoveries.
import { roundHalfUpDiv } from '@dpb/common';
import { type ApprovedCase, recoveryFromCase, recoveryInvoiceId } from '../recovery';

const overpaid = 60000n - roundHalfUpDiv(15000n * 4n, 7n);
const death: ApprovedCase = { id: '42', kind: 'DEATH', status: 'APPROVED', dpId: 'DP5001', amountPence: overpaid, detail: { reason: 'PAYMENT_AFTER_DEATH' } };

it('invoices the approved amount of a death case with its reason code', () => {
  expect(overpaid).toBe(51429n);
  expect(recoveryFromCase(death)).toEqual({ caseId: '42', dpId: 'DP5001', reason: 'PAYMENT_AFTER_DEATH', amountPence: 51429n });
  expect(recoveryFromCase({ ...death, detail: {} })?.reason).toBe('DEATH');
  expect(recoveryInvoiceId('HCC', '42')).toBe('HCC-RC-42');
});

it('raises nothing before approval, for other kinds, or without an amount', () => {
  expect(recoveryFromCase({ ...death, status: 'PROPOSED' })).toBeUndefined();
  expect(recoveryFromCase({ ...death, kind: 'REVIEW_OVERDUE' })).toBeUndefined();
  expect(recoveryFromCase({ ...death, amountPence: 0n })).toBeUndefined();
  expect(recoveryFromCase({ ...death, kind: 'SPEND_FLAG', detail: {} })?.reason).toBe('MISUSE');
});
