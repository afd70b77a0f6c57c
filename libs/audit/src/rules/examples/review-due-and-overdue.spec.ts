/**
 * Worked example: reviews.
 *   Start 2026-08-31, no review recorded: due start + 6 months = 2027-02-31 -> clamped 2027-02-28.
 *   Audit to 2027-02-28: due = to, not overdue. Audit to 2027-03-01: due < to, overdue.
 *   Last review 2027-01-31: due + 12 months = 2028-01-31. Last review 2027-02-28 (not a leap
 *   year) + 12 = 2028-02-28; 2028-02-29 + 12 = 2029-02-28.
 */
import { auditAccount } from '../audit';
import { addMonths, reviewStatus } from '../review';
import { input, netDp } from './fixtures';

describe('audit example: a review due and overdue', () => {
  it('six months after the start, clamped to the month end', () => {
    expect(reviewStatus('2026-08-31', null, '2027-02-28')).toEqual({ due: '2027-02-28', overdue: false });
    expect(reviewStatus('2026-08-31', null, '2027-03-01')).toEqual({ due: '2027-02-28', overdue: true });
  });

  it('twelve months after the last review', () => {
    expect(reviewStatus('2026-08-31', '2027-01-31', '2027-12-01')).toEqual({ due: '2028-01-31', overdue: false });
    expect(addMonths('2027-02-28', 12)).toBe('2028-02-28');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('the audit carries the review status at its `to`', () => {
    const a = auditAccount(input({ dp: netDp({ start: '2026-04-30' }), window: { from: '2026-11-02', to: '2026-11-30' } }));
    // 2026-04-30 + 6 months = 2026-10-30 < 2026-11-30.
    expect(a.review).toEqual({ due: '2026-10-30', overdue: true });
  });
});
