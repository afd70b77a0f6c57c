/**
 * Worked example: which cases one audit gives (audit id 17, DP100, window 2026-11-02..2026-11-30).
 *   Bank closing £3,000.00, over-paid contributions 10000, review overdue (start 2026-04-30, due
 *   2026-10-30): surplus 92000 -> SURPLUS 82000 (detail says the review is overdue),
 *   CONTRIBUTION_REFUND 10000 (evidence: the audit and the five contribution credits),
 *   REVIEW_OVERDUE (no amount). No flags and no shortfall: no other case.
 *   Dedup key `audit:17` for each kind (one case of a kind per audit); a later audit merges into
 *   the DP's open case of the same kind.
 */
import { auditSettingsSchema } from '@dpb/payments/rules/settings';
import { findingsOf } from '../../findings';
import { auditAccount } from '../audit';
import { contribution, input, netDp } from './fixtures';

describe('audit example: findings as cases', () => {
  it('refund, surplus with an overdue review, review case', () => {
    const items = [
      ...['2026-11-03', '2026-11-10', '2026-11-17', '2026-11-24'].map((d) => contribution(4000n, d)),
      contribution(10000n, '2026-11-25'),
    ];
    const f = auditAccount(input({ dp: netDp({ start: '2026-04-30' }), items, statementBalancePence: 300000n }));
    const cases = findingsOf('HCC', '17', f, items, { audit: auditSettingsSchema.parse({}) });
    expect(cases.map((c) => [c.kind, c.amountPence, c.dedupKey, c.mergeIntoActive])).toEqual([
      ['SURPLUS', 82000n, 'audit:17', true],
      ['CONTRIBUTION_REFUND', 10000n, 'audit:17', true],
      ['REVIEW_OVERDUE', null, 'audit:17', true],
    ]);
    expect(cases[0].detail).toMatchObject({ reviewOverdue: true, reviewDue: '2026-10-30' });
    expect(cases[0].evidence).toEqual([{ type: 'audit', id: '17' }]);
    expect(cases[1].evidence).toEqual([{ type: 'audit', id: '17' }, ...items.map((i) => ({ type: 'card_txn', id: i.id }))]);
    expect(cases.every((c) => c.on === '2026-11-30' && c.dpId === 'DP100' && c.source === 'audit')).toBe(true);
  });
});
