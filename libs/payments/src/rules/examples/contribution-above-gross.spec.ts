import { computePeriodAmount } from '../amounts';
import { duePayments } from '../due';
import { calendar, dp, nothingTaken } from './fixtures';

// £50.00 gross, £70.00 contribution a week, NET, 28 days:
//   gross = 5000 x 4 = 20000, contribution = 7000 x 4 = 28000, net = -8000 -> payable max(-8000, 0) = 0
describe('worked example: contribution above gross', () => {
  const person = dp({
    rates: [{ from: '2026-04-06', weeklyGrossPence: 5000n }],
    contributions: [{ from: '2026-04-06', weeklyPence: 7000n }],
  });

  it('pays 0 and still reports the contribution as computed', () => {
    const a = computePeriodAmount(person, { start: '2026-04-06', end: '2026-05-03' });
    expect([a.grossPence, a.contributionPence, a.netPence, a.payablePence]).toEqual([
      20000n,
      28000n,
      -8000n,
      0n,
    ]);
  });

  it('is still due (the zero line takes its period)', () => {
    // Period 6 Apr 2026 released Tue 31 Mar (Good Friday 3 Apr skipped).
    const due = duePayments(
      person,
      '2026-03-31',
      { anchorDate: '2026-04-06', leadBacsDays: 3, goLiveDate: '2026-04-06' },
      calendar,
      nothingTaken,
    );
    expect(due.regular.map((r) => [r.period.start, r.amount.payablePence])).toEqual([['2026-04-06', 0n]]);
  });
});
