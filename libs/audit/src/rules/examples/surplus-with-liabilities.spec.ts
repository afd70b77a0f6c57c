/**
 * Worked example: surplus after an officer's liabilities.
 *   Same DP100 card as the no-liability example: balance 496000, contingency 8 x 26000 = 208000.
 *   Liabilities recorded: unpaid wages £350.00 + HMRC £150.00 = 50000.
 *   surplus = 496000 - 50000 - 208000 = 238000 -> councilExcess 238000 (contributions paid in full).
 *   With liabilities of £3,000.00 (300000): 496000 - 300000 - 208000 = -12000 -> surplus 0.
 */
import { auditAccount } from '../audit';
import { contribution, input, item, load } from './fixtures';

const items = () => [
  load(500000n),
  ...['2026-11-03', '2026-11-10', '2026-11-17', '2026-11-24'].map((d) => contribution(4000n, d)),
  item({ amountPence: -20000n, mcc: '5411' }),
];

describe('audit example: surplus with liabilities', () => {
  it('liabilities come off the balance before the contingency', () => {
    const a = auditAccount(input({ items: items(), liabilitiesPence: 50000n }));
    expect(a).toMatchObject({ balancePence: 496000n, liabilitiesPence: 50000n, surplusPence: 238000n, councilExcessPence: 238000n });
  });

  it('liabilities larger than balance less contingency leave no surplus', () => {
    const a = auditAccount(input({ items: items(), liabilitiesPence: 300000n }));
    expect(a).toMatchObject({ surplusPence: 0n, councilExcessPence: 0n, contributionRefundPence: 0n });
  });
});
