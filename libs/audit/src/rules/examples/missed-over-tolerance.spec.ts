/**
 * Worked example: a shortfall above the tolerance.
 *   Expected 16000; received 3 x 4000 = 12000 (the 4th week unpaid); missed = 4000 > 100.
 *   First audit with a shortfall: streak 1; escalation needs 2 in a row -> not escalated.
 *   A line still HELD (never released) adds nothing to expected.
 */
import { auditAccount } from '../audit';
import { contribution, fourWeeks, input } from './fixtures';

describe('audit example: missed contributions over tolerance', () => {
  it('opens a shortfall, not yet escalated', () => {
    const lines = [...fourWeeks(), { kind: 'REGULAR' as const, periodStart: '2026-11-30', contributionPence: 4000n, releasedOn: null }];
    const items = ['2026-11-03', '2026-11-10', '2026-11-17'].map((d) => contribution(4000n, d));
    const a = auditAccount(input({ items, lines }));
    expect(a).toMatchObject({
      expectedContributionsPence: 16000n,
      receivedContributionsPence: 12000n,
      missedContributionsPence: 4000n,
      missedStreak: 1,
      missedEscalated: false,
    });
  });
});
