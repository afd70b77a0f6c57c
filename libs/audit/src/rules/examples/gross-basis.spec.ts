/**
 * Worked example: a GROSS-basis DP (the council invoices the contribution instead).
 *   DP100 GROSS: weekly gross £300.00, contribution £40.00 (collected by invoice, not through the account).
 *   expected = 0 (even though the lines carry contributions), received = 0 (even with a credit naming the DP).
 *   contingency = 8 x weekly gross 30000 = 240000 (no contribution off).
 *   Bank closing £3,000.00: surplus = 300000 - 240000 = 60000; refund 0; councilExcess 60000; missed 0.
 *   Same DP as S117 aftercare: expected 0, but received credits are counted (4000), so they are
 *   all over-paid: contributionRefund = min(60000, 4000) = 4000, councilExcess 56000.
 */
import { auditAccount } from '../audit';
import { contribution, input, netDp } from './fixtures';

describe('audit example: a GROSS-basis DP', () => {
  it('no contributions expected or received; contingency on the gross rate', () => {
    const a = auditAccount(input({ dp: netDp({ basis: 'GROSS' }), statementBalancePence: 300000n, items: [contribution(4000n)] }));
    expect(a).toMatchObject({
      expectedContributionsPence: 0n,
      receivedContributionsPence: 0n,
      contingencyPence: 240000n,
      surplusPence: 60000n,
      contributionRefundPence: 0n,
      councilExcessPence: 60000n,
      missedContributionsPence: 0n,
    });
  });

  it('S117: nothing expected, credits counted and refunded', () => {
    const a = auditAccount(input({ dp: netDp({ fundingStream: 'S117' }), statementBalancePence: 300000n, items: [contribution(4000n)] }));
    expect(a).toMatchObject({
      expectedContributionsPence: 0n,
      receivedContributionsPence: 4000n,
      contingencyPence: 240000n,
      contributionRefundPence: 4000n,
      councilExcessPence: 56000n,
    });
  });
});
