import { computePeriodAmount } from '../amounts';
import { duePayments } from '../due';
import { calendar, dp, nothingTaken } from './fixtures';

// Person dies Thu 16 Apr 2026 inside the period 6 Apr..3 May 2026; the day of death is paid.
//   payable days: 6..16 Apr = 11
//   gross        = 15000 x 11 / 7 = 165000 / 7 = 23571.43 -> 23571
//   contribution =  2000 x 11 / 7 =  22000 / 7 =  3142.86 ->  3143
//   payable      = 23571 - 3143 = 20428
describe('worked example: death inside the period (day of death paid)', () => {
  const person = dp({ dateOfDeath: '2026-04-16' });

  it('pays up to and including the day of death', () => {
    const a = computePeriodAmount(person, { start: '2026-04-06', end: '2026-05-03' });
    expect(a.payableDays).toBe(11);
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([23571n, 3143n, 20428n]);
    expect(a.days.find((d) => d.date === '2026-04-16')?.payable).toBe(true);
    expect(a.days.find((d) => d.date === '2026-04-17')?.reasons).toEqual(['AFTER_DEATH']);
  });

  it('makes no later period due', () => {
    // Next period 4..31 May: released Wed 29 Apr (Fri 1 May, Thu 30, Wed 29). Nothing payable in it.
    const due = duePayments(
      person,
      '2026-04-29',
      { anchorDate: '2026-04-06', leadBacsDays: 3, goLiveDate: '2026-04-06' },
      calendar,
      {
        ...nothingTaken,
        regularPeriodStarts: new Set(['2026-04-06']),
      },
    );
    expect(due.regular).toEqual([]);
  });
});
