/**
 * Worked example: the second audit in a row with a shortfall escalates; a late payment clears it.
 *   Audit 1 (2026-11-02..2026-11-30): expected 16000, received 12000, missed 4000 -> streak 1.
 *   Audit 2 (2026-12-01..2026-12-28), cumulative from 2026-11-02: expected 8 x 4000 = 32000,
 *     received 12000 + 4 x 4000 = 28000, missed 4000 > 100 -> streak 2 = contributionEscalateAfter -> escalated.
 *   Audit 3 (2026-12-29..2027-01-04): the person pays the £40.00 arrears plus the week's £40.00:
 *     expected 9 x 4000 = 36000, received 28000 + 8000 = 36000 -> missed 0, streak 0.
 */
import type { ContributionLine } from '../model';
import { auditAccount } from '../audit';
import { contribution, fourWeeks, input } from './fixtures';

const weeks = (starts: string[]): ContributionLine[] =>
  starts.map((periodStart) => ({ kind: 'REGULAR', periodStart, contributionPence: 4000n, releasedOn: '2026-10-28' }));
const december = weeks(['2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21']);

describe('audit example: missed contributions escalated after two audits', () => {
  const novemberPaid = ['2026-11-03', '2026-11-10', '2026-11-17'].map((d) => contribution(4000n, d));
  const decemberPaid = ['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-22'].map((d) => contribution(4000n, d));

  it('audit 1: streak 1', () => {
    const a = auditAccount(input({ items: novemberPaid }));
    expect(a).toMatchObject({ missedContributionsPence: 4000n, missedStreak: 1, missedEscalated: false });
  });

  it('audit 2: still short, escalated', () => {
    const a = auditAccount(
      input({
        window: { from: '2026-12-01', to: '2026-12-28' },
        items: [...novemberPaid, ...decemberPaid],
        lines: [...fourWeeks(), ...december],
        previousMissedStreak: 1,
      }),
    );
    expect(a).toMatchObject({
      expectedContributionsPence: 32000n,
      receivedContributionsPence: 28000n,
      missedContributionsPence: 4000n,
      missedStreak: 2,
      missedEscalated: true,
    });
  });

  it('audit 3: a late payment settles the earlier shortfall', () => {
    const a = auditAccount(
      input({
        window: { from: '2026-12-29', to: '2027-01-04' },
        items: [...novemberPaid, ...decemberPaid, contribution(8000n, '2027-01-02', 'arrears DP100')],
        lines: [...fourWeeks(), ...december, ...weeks(['2026-12-28'])],
        previousMissedStreak: 2,
      }),
    );
    expect(a).toMatchObject({
      expectedContributionsPence: 36000n,
      receivedContributionsPence: 36000n,
      missedContributionsPence: 0n,
      missedStreak: 0,
      missedEscalated: false,
    });
  });
});
