import { addDays, diffDays, eachDay, londonDateOf } from '@dpb/common';
import { computePeriodAmount } from '../amounts';
import { periodContaining } from '../periods';
import { ANCHOR, dp } from './fixtures';

// Clocks change on Sun 29 Mar 2026 (forward) and Sun 25 Oct 2026 (back). Civil dates carry no
// time, so the weeks holding those Sundays still have 7 days and pay exactly one week:
//   15000 - 2000 = 13000. The four-weekly period 19 Oct..15 Nov (19 Oct = anchor + 7 x 28 = 196
//   days) holds 25 Oct and pays 52000.
describe('worked example: BST changes do not move periods or dates', () => {
  it('keeps 7-day weeks across both changes', () => {
    for (const sunday of ['2026-03-29', '2026-10-25']) {
      const week = periodContaining('WEEKLY', sunday, ANCHOR);
      expect(week.end).toBe(sunday);
      expect(diffDays(week.end, week.start)).toBe(6);
      const a = computePeriodAmount(
        dp({
          frequency: 'WEEKLY',
          start: '2026-01-05',
          rates: [{ from: '2026-01-05', weeklyGrossPence: 15000n }],
          contributions: [{ from: '2026-01-05', weeklyPence: 2000n }],
        }),
        week,
      );
      expect([a.payableDays, a.grossPence, a.contributionPence, a.payablePence]).toEqual([
        7,
        15000n,
        2000n,
        13000n,
      ]);
    }
    expect(periodContaining('WEEKLY', '2026-03-29', ANCHOR).start).toBe('2026-03-23');
  });

  it('keeps 28-day periods across the October change', () => {
    const p = periodContaining('FOUR_WEEKLY', '2026-10-25', ANCHOR);
    expect(p).toEqual({ start: '2026-10-19', end: '2026-11-15' });
    expect(computePeriodAmount(dp(), p).payablePence).toBe(52000n);
  });

  it('steps days one at a time over the changes', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(eachDay('2026-10-24', '2026-10-26')).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
  });

  it('takes the London date of an extract timestamp either side of the changes', () => {
    // 29 Mar: 00:30Z is 00:30 GMT; 23:30Z is 00:30 BST on the 30th.
    expect(londonDateOf('2026-03-29T00:30:00Z')).toBe('2026-03-29');
    expect(londonDateOf('2026-03-29T23:30:00Z')).toBe('2026-03-30');
    // 25 Oct: 00:30Z is 01:30 BST on the 25th; 23:30Z on the 24th is 00:30 BST on the 25th.
    expect(londonDateOf('2026-10-25T00:30:00Z')).toBe('2026-10-25');
    expect(londonDateOf('2026-10-24T23:30:00Z')).toBe('2026-10-25');
    expect(londonDateOf('2026-10-25T23:30:00Z')).toBe('2026-10-25'); // GMT again
  });
});
