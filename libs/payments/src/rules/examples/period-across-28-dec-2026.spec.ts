import { computePeriodAmount } from '../amounts';
import { duePayments } from '../due';
import { periodContaining } from '../periods';
import { ANCHOR, calendar, dp, nothingTaken } from './fixtures';

// Christmas 2026: Fri 25 Dec and Mon 28 Dec (Boxing Day substitute) are bank holidays.
// Fortnightly periods from the anchor: 14 Dec 2026 is 252 = 18 x 14 days after 6 Apr, so the
// next starts Mon 28 Dec and runs to Sun 10 Jan 2027.
//   Release of 28 Dec: Sun 27, Sat 26, Fri 25 (holiday) skipped; Thu 24 (1), Wed 23 (2), Tue 22 (3).
//   A naive weekday count would give Wed 23 (Fri 25, Thu 24, Wed 23): one day late.
//   Amount: 14 days at £150/£20 = 30000 - 4000 = 26000 (holidays do not change amounts).
// Weekly period from Mon 4 Jan 2027: Fri 1 Jan (holiday) skipped; Thu 31 Dec (1), Wed 30 (2), Tue 29 (3).
//   Its run of Tue 29 Dec processes on Wed 30 Dec and enters Thu 31 Dec.
// A run on Thu 24 Dec processes on Tue 29 Dec (25, 26, 27, 28 skipped) and enters Wed 30 Dec.
describe('worked example: period across 28 Dec 2026 (release date skips bank holidays)', () => {
  const person = dp({ frequency: 'FORTNIGHTLY' });
  const settings = { anchorDate: ANCHOR, leadBacsDays: 3, goLiveDate: '2026-12-14' };
  const taken = { ...nothingTaken, regularPeriodStarts: new Set(['2026-12-14']) };

  it('finds the fortnight and its release date', () => {
    expect(periodContaining('FORTNIGHTLY', '2026-12-28', ANCHOR)).toEqual({
      start: '2026-12-28',
      end: '2027-01-10',
    });
    expect(calendar.releaseDate('2026-12-28', 3)).toBe('2026-12-22');
  });

  it('pays it on the run of 22 Dec, not before', () => {
    expect(duePayments(person, '2026-12-21', settings, calendar, taken).regular).toEqual([]);
    const due = duePayments(person, '2026-12-22', settings, calendar, taken).regular;
    expect(due.map((r) => [r.period.start, r.period.end, r.releaseDate, r.amount.payablePence])).toEqual([
      ['2026-12-28', '2027-01-10', '2026-12-22', 26000n],
    ]);
  });

  it('dates the weekly run over New Year and the Christmas Eve run', () => {
    const run = calendar.releaseDate('2027-01-04', 3);
    expect([run, calendar.processingDay(run), calendar.entryDay(run)]).toEqual([
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
    ]);
    expect([calendar.processingDay('2026-12-24'), calendar.entryDay('2026-12-24')]).toEqual([
      '2026-12-29',
      '2026-12-30',
    ]);
  });

  it('pays every day of the four-weekly period holding the holidays', () => {
    const a = computePeriodAmount(dp(), { start: '2026-12-14', end: '2027-01-10' });
    expect([a.payableDays, a.payablePence]).toEqual([28, 52000n]);
  });
});
