/**
 * Worked example: a shortfall within the tolerance opens nothing.
 *   Expected 4 x 4000 = 16000; received 3 x 4000 + 3900 = 15900; missed = 100.
 *   Tolerance 100: 100 is not above it -> streak 0, no case, not escalated.
 *   A credit whose reference is "DP1000" (another DP) is not this DP's contribution, nor is a LOAD.
 */
import { auditAccount } from '../audit';
import { contribution, input, load } from './fixtures';

describe('audit example: missed contributions within tolerance', () => {
  it('a 100p shortfall is within the default tolerance', () => {
    const items = [
      contribution(4000n, '2026-11-03'),
      contribution(4000n, '2026-11-10'),
      contribution(4000n, '2026-11-17'),
      contribution(3900n, '2026-11-24'),
      contribution(9999n, '2026-11-24', 'DP1000 contribution'),
      load(250000n),
    ];
    const a = auditAccount(input({ items }));
    expect(a).toMatchObject({ receivedContributionsPence: 15900n, missedContributionsPence: 100n, missedStreak: 0, missedEscalated: false });
  });
});
