import { computePeriodAmount } from '../amounts';
import { dp } from './fixtures';

// Period 6 Apr..3 May 2026 (28 days).
// (a) Hospital suspension Fri 10..Sun 12 Apr inclusive: 3 days unpaid, 25 paid.
//   gross        = 15000 x 25 / 7 = 375000 / 7 = 53571.43 -> 53571
//   contribution =  2000 x 25 / 7 =  50000 / 7 =  7142.86 ->  7143
//   payable      = 53571 - 7143 = 46428
// (b) Open-ended suspension from Fri 1 May: 6..30 Apr paid = 25 days, so the same amounts.
// (c) Suspension 13..19 Apr (a whole week): 21 days = 3 weeks -> 45000 - 6000 = 39000.
const period = { start: '2026-04-06', end: '2026-05-03' };

describe('worked example: suspension inside the period', () => {
  it('does not pay the suspended days, from and to inclusive', () => {
    const a = computePeriodAmount(
      dp({ suspensions: [{ from: '2026-04-10', to: '2026-04-12', reason: 'HOSPITAL' }] }),
      period,
    );
    expect(a.payableDays).toBe(25);
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([53571n, 7143n, 46428n]);
    expect(a.days.filter((d) => d.reasons.includes('SUSPENDED')).map((d) => d.date)).toEqual([
      '2026-04-10',
      '2026-04-11',
      '2026-04-12',
    ]);
  });

  it('treats an empty "to" as open-ended', () => {
    const a = computePeriodAmount(
      dp({ suspensions: [{ from: '2026-05-01', to: null, reason: 'RESPITE' }] }),
      period,
    );
    expect(a.payableDays).toBe(25);
    expect(a.payablePence).toBe(46428n);
  });

  it('a whole-week suspension leaves exactly three weeks', () => {
    const a = computePeriodAmount(
      dp({ suspensions: [{ from: '2026-04-13', to: '2026-04-19', reason: 'OTHER' }] }),
      period,
    );
    expect([a.grossPence, a.contributionPence, a.payablePence]).toEqual([45000n, 6000n, 39000n]);
  });
});
