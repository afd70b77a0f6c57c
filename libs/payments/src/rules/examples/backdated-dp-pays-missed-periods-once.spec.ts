import { duePayments } from '../due';
import { ANCHOR, calendar, dp, nothingTaken } from './fixtures';

// A weekly DP from Mon 9 Nov 2026 is first entered in Mosaic on 1 Dec; go-live was 2 Nov.
// Release dates (3rd Bacs day before each Monday = the Wednesday before, no holidays here):
//   9 Nov -> 4 Nov, 16 Nov -> 11 Nov, 23 Nov -> 18 Nov, 30 Nov -> 25 Nov, 7 Dec -> 2 Dec, 14 Dec -> 9 Dec.
// The run of Wed 2 Dec pays the five weeks 9 Nov..7 Dec at 13000 each = 65000; the next run
// pays nothing more; the run of 9 Dec pays the week of 14 Dec only.
const settings = { anchorDate: ANCHOR, leadBacsDays: 3, goLiveDate: '2026-11-02' };

describe('worked example: a backdated DP pays its missed periods once', () => {
  const person = dp({ frequency: 'WEEKLY', start: '2026-11-09' });

  it('pays every missed period in the next run', () => {
    const due = duePayments(person, '2026-12-02', settings, calendar, nothingTaken).regular;
    expect(due.map((r) => [r.period.start, r.releaseDate])).toEqual([
      ['2026-11-09', '2026-11-04'],
      ['2026-11-16', '2026-11-11'],
      ['2026-11-23', '2026-11-18'],
      ['2026-11-30', '2026-11-25'],
      ['2026-12-07', '2026-12-02'],
    ]);
    expect(due.reduce((s, r) => s + r.amount.payablePence, 0n)).toBe(65000n);
  });

  it('never pays them again', () => {
    const taken = {
      regularPeriodStarts: new Set(['2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30', '2026-12-07']),
      oneOffIds: new Set<string>(),
    };
    expect(duePayments(person, '2026-12-03', settings, calendar, taken).regular).toEqual([]);
    expect(
      duePayments(person, '2026-12-09', settings, calendar, taken).regular.map((r) => r.period.start),
    ).toEqual(['2026-12-14']);
  });
});
