import { computePeriodAmount } from '../amounts';
import { duePayments } from '../due';
import { periodContaining, periodsBetween } from '../periods';
import { ANCHOR, calendar, dp } from './fixtures';

// WEEKLY: Monday to Sunday, whatever the anchor.
//   Wed 25 Nov 2026 lies in Mon 23..Sun 29 Nov.
//   A whole week at £150/£20: 15000 - 2000 = 13000.
//   Week from Mon 30 Nov is released Wed 25 Nov: Fri 27 (1), Thu 26 (2), Wed 25 (3).
describe('worked example: weekly', () => {
  const person = dp({ frequency: 'WEEKLY', start: '2026-11-02' });
  const settings = { anchorDate: ANCHOR, leadBacsDays: 3, goLiveDate: '2026-11-02' };
  const taken = {
    regularPeriodStarts: new Set(['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']),
    oneOffIds: new Set<string>(),
  };

  it('finds the Monday-to-Sunday week', () => {
    expect(periodContaining('WEEKLY', '2026-11-25', ANCHOR)).toEqual({
      start: '2026-11-23',
      end: '2026-11-29',
    });
    expect(periodContaining('WEEKLY', '2026-11-29', ANCHOR)).toEqual({
      start: '2026-11-23',
      end: '2026-11-29',
    });
    expect(periodContaining('WEEKLY', '2026-11-30', ANCHOR)).toEqual({
      start: '2026-11-30',
      end: '2026-12-06',
    });
    expect(periodsBetween('WEEKLY', '2026-11-25', '2026-12-07', ANCHOR).map((p) => p.start)).toEqual([
      '2026-11-23',
      '2026-11-30',
      '2026-12-07',
    ]);
  });

  it('pays one week', () => {
    const a = computePeriodAmount(person, { start: '2026-11-23', end: '2026-11-29' });
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([15000n, 2000n, 13000n]);
  });

  it('releases the week three Bacs days before it starts', () => {
    expect(duePayments(person, '2026-11-24', settings, calendar, taken).regular).toEqual([]);
    expect(
      duePayments(person, '2026-11-25', settings, calendar, taken).regular.map((r) => [
        r.period.start,
        r.releaseDate,
      ]),
    ).toEqual([['2026-11-30', '2026-11-25']]);
  });
});
