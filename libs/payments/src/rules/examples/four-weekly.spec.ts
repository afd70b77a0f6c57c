import { periodContaining, periodsBetween } from '../periods';
import { ANCHOR, calendar } from './fixtures';

// FOUR_WEEKLY: 28-day periods from the anchor Monday 6 Apr 2026, backwards and forwards.
//   Starts, adding 28 days each time: 6 Apr, 4 May, 1 Jun, 29 Jun, 27 Jul, 24 Aug, 21 Sep,
//   19 Oct, 16 Nov, 14 Dec 2026, 11 Jan, 8 Feb, 8 Mar, 5 Apr 2027 -> 13 periods a year.
//   Backwards: 6 Apr - 28 = 9 Mar 2026, so 5 Apr 2026 lies in 9 Mar..5 Apr.
//   25 Dec 2026 is 263 days after the anchor (24+31+30+31+31+30+31+30+25); 263 = 9 x 28 + 11,
//   so its period starts 9 x 28 = 252 days after the anchor: 14 Dec 2026 .. 10 Jan 2027.
//   Release of 14 Dec: Fri 11 (1), Thu 10 (2), Wed 9 Dec (3) -> run 2026-12-09, processing
//   Thu 10 Dec, entry Fri 11 Dec ("the Friday before").
describe('worked example: four-weekly', () => {
  it('counts 13 periods a year from the anchor', () => {
    const starts = periodsBetween('FOUR_WEEKLY', '2026-04-06', '2027-04-04', ANCHOR).map((p) => p.start);
    expect(starts).toEqual([
      '2026-04-06',
      '2026-05-04',
      '2026-06-01',
      '2026-06-29',
      '2026-07-27',
      '2026-08-24',
      '2026-09-21',
      '2026-10-19',
      '2026-11-16',
      '2026-12-14',
      '2027-01-11',
      '2027-02-08',
      '2027-03-08',
    ]);
  });

  it('counts backwards from the anchor too', () => {
    expect(periodContaining('FOUR_WEEKLY', '2026-04-05', ANCHOR)).toEqual({
      start: '2026-03-09',
      end: '2026-04-05',
    });
    expect(periodContaining('FOUR_WEEKLY', '2026-03-09', ANCHOR)).toEqual({
      start: '2026-03-09',
      end: '2026-04-05',
    });
  });

  it('finds the period over Christmas and dates its run', () => {
    expect(periodContaining('FOUR_WEEKLY', '2026-12-25', ANCHOR)).toEqual({
      start: '2026-12-14',
      end: '2027-01-10',
    });
    const run = calendar.releaseDate('2026-12-14', 3);
    expect([run, calendar.processingDay(run), calendar.entryDay(run)]).toEqual([
      '2026-12-09',
      '2026-12-10',
      '2026-12-11',
    ]);
  });

  it('refuses an anchor that is not a Monday', () => {
    expect(() => periodContaining('FOUR_WEEKLY', '2026-12-25', '2026-04-07')).toThrow(
      'anchorDate must be a Monday',
    );
  });
});
