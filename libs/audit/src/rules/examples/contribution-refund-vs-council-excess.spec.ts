/**
 * Worked example: over-paid contributions go back to the person, the rest is the council's.
 *   DP100: expected 4 x 4000 = 16000. The person paid 26000 (one £100.00 standing order too many).
 *   Over-paid = 26000 - 16000 = 10000.
 *   a) Bank closing £3,000.00: surplus 300000 - 208000 = 92000
 *        contributionRefund = min(92000, 10000) = 10000; councilExcess = 92000 - 10000 = 82000.
 *   b) Bank closing £2,130.00: surplus 213000 - 208000 = 5000
 *        contributionRefund = min(5000, 10000) = 5000; councilExcess = 0 (never more than the surplus).
 */
import { auditAccount } from '../audit';
import { contribution, input } from './fixtures';

const items = () => [
  contribution(4000n, '2026-11-03'),
  contribution(4000n, '2026-11-10'),
  contribution(4000n, '2026-11-17'),
  contribution(4000n, '2026-11-24'),
  contribution(10000n, '2026-11-25', 'SO dp100'),
];

describe('audit example: contribution refund vs council excess', () => {
  it('a large surplus: refund the over-payment, the rest is council excess', () => {
    const a = auditAccount(input({ items: items(), statementBalancePence: 300000n }));
    expect(a).toMatchObject({
      receivedContributionsPence: 26000n,
      expectedContributionsPence: 16000n,
      surplusPence: 92000n,
      contributionRefundPence: 10000n,
      councilExcessPence: 82000n,
      missedContributionsPence: 0n,
    });
  });

  it('a small surplus: the refund is capped at the surplus', () => {
    const a = auditAccount(input({ items: items(), statementBalancePence: 213000n }));
    expect(a).toMatchObject({ surplusPence: 5000n, contributionRefundPence: 5000n, councilExcessPence: 0n });
  });
});
