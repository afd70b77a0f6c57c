/**
 * Worked example: surplus on a card with no liabilities.
 *   DP100 NET: weekly gross £300.00, contribution £40.00 -> weekly payable £260.00.
 *   Card: load +£5,000.00, contributions 4 x £40.00 = +£160.00, shop -£200.00 (settled),
 *         a pending -£50.00 (does not move the balance).
 *   balance      = 500000 + 16000 - 20000                = 496000
 *   contingency  = 8 weeks x 26000                       = 208000
 *   surplus      = 496000 - 0 - 208000                   = 288000
 *   expected 4 x 4000 = 16000, received 16000 -> contributionRefund 0, councilExcess 288000.
 */
import { auditAccount } from '../audit';
import { contribution, input, item, load } from './fixtures';

describe('audit example: surplus without liabilities', () => {
  it('balance minus contingency is the council excess', () => {
    const items = [
      load(500000n),
      ...['2026-11-03', '2026-11-10', '2026-11-17', '2026-11-24'].map((d) => contribution(4000n, d)),
      item({ amountPence: -20000n, mcc: '5411', date: '2026-11-12' }),
      item({ amountPence: -5000n, status: 'PENDING', date: '2026-11-29' }),
    ];
    const a = auditAccount(input({ items }));
    expect(a).toMatchObject({
      balancePence: 496000n,
      contingencyPence: 208000n,
      expectedContributionsPence: 16000n,
      receivedContributionsPence: 16000n,
      surplusPence: 288000n,
      contributionRefundPence: 0n,
      councilExcessPence: 288000n,
      missedContributionsPence: 0n,
    });
    expect(a.flags).toEqual([]);
  });
});
