import { computePeriodAmount } from '../amounts';
import { periodContaining } from '../periods';
import { ANCHOR, calendar, dp } from './fixtures';

// MONTHLY: calendar months, paid weekly x days / 7.
//   Feb 2027, 28 days: gross 15000 x 4 = 60000, contribution 8000, payable 52000.
//   Feb 2028, 29 days: gross 15000 x 29 / 7 = 435000 / 7 = 62142.86 -> 62143;
//                      contribution 2000 x 29 / 7 = 58000 / 7 = 8285.71 -> 8286; payable 53857.
//   Release of Mon 1 Mar 2027: Fri 26 Feb (1), Thu 25 (2), Wed 24 Feb (3).
//   Release of Fri 1 Jan 2027 (New Year's Day itself): Thu 31 Dec (1), Wed 30 (2), Tue 29 Dec (3).
describe('worked example: monthly', () => {
  const person = dp({ frequency: 'MONTHLY' });

  it('pays calendar months, leap years included', () => {
    const feb27 = computePeriodAmount(person, periodContaining('MONTHLY', '2027-02-10', ANCHOR));
    expect([feb27.periodStart, feb27.periodEnd]).toEqual(['2027-02-01', '2027-02-28']);
    expect([feb27.grossPence, feb27.contributionPence, feb27.payablePence]).toEqual([60000n, 8000n, 52000n]);
    const feb28 = computePeriodAmount(person, periodContaining('MONTHLY', '2028-02-29', ANCHOR));
    expect(feb28.periodEnd).toBe('2028-02-29');
    expect([feb28.grossPence, feb28.contributionPence, feb28.payablePence]).toEqual([62143n, 8286n, 53857n]);
  });

  it('releases three Bacs days before the 1st', () => {
    expect(calendar.releaseDate('2027-03-01', 3)).toBe('2027-02-24');
    expect(calendar.releaseDate('2027-01-01', 3)).toBe('2026-12-29');
  });
});
