import { decideAdjustment, recomputeForAdjustment } from '../adjustments';
import { duePayments } from '../due';
import { ANCHOR, calendar, dp } from './fixtures';

// Period 16 Nov..13 Dec 2026 was released at 60000 / 8000 / 52000. A later extract records a
// death on Wed 25 Nov 2026 (the day of death is paid): 16..25 Nov = 10 payable days.
//   gross        = 15000 x 10 / 7 = 150000 / 7 = 21428.57 -> 21429
//   contribution =  2000 x 10 / 7 =  20000 / 7 =  2857.14 ->  2857
//   payable      = 21429 - 2857 = 18572
//   PAYMENT_AFTER_DEATH recovery = paid - recomputed = 52000 - 18572 = 33428 (even with offset on)
const period = { start: '2026-11-16', end: '2026-12-13' };
const released = { grossPence: 60000n, contributionPence: 8000n, payablePence: 52000n };

describe('worked example: payment after death', () => {
  const person = dp({ dateOfDeath: '2026-11-25' });
  const { recomputed, causedByDeath } = recomputeForAdjustment(person, period);

  it('recomputes with the death applied', () => {
    expect([
      recomputed.payableDays,
      recomputed.grossPence,
      recomputed.contributionPence,
      recomputed.payablePence,
    ]).toEqual([10, 21429n, 2857n, 18572n]);
    expect(causedByDeath).toBe(true);
  });

  it('always proposes a PAYMENT_AFTER_DEATH recovery, never an offset', () => {
    const input = {
      released,
      recomputed,
      causedByDeath,
      alreadyProposedRecoveryPence: 0n,
      dpEnded: false,
      offsetOverpayments: true,
    };
    expect(decideAdjustment(input)).toEqual({
      action: 'RECOVERY',
      reason: 'PAYMENT_AFTER_DEATH',
      amountPence: 33428n,
    });
    // once proposed, not raised again on the next run
    expect(decideAdjustment({ ...input, alreadyProposedRecoveryPence: 33428n })).toEqual({ action: 'NONE' });
  });

  it('stops further periods', () => {
    const taken = { regularPeriodStarts: new Set(['2026-11-16']), oneOffIds: new Set<string>() };
    // 14 Dec period is released 9 Dec; nothing payable after the death
    expect(
      duePayments(
        person,
        '2026-12-09',
        { anchorDate: ANCHOR, leadBacsDays: 3, goLiveDate: '2026-11-02' },
        calendar,
        taken,
      ).regular,
    ).toEqual([]);
  });
});
