import { decideAdjustment, recomputeForAdjustment } from '../adjustments';
import { dp } from './fixtures';

// Period 16 Nov..13 Dec 2026 was released at £150/£20: gross 60000, contribution 8000, payable 52000.
// A later extract backdates a rate of £162.50 from 16 Nov:
//   recomputed gross = 16250 x 4 = 65000, contribution 8000, payable 57000
//   ADJUSTMENT = recomputed - released: gross +5000, contribution 0, payable +5000 (arrears, paid now)
// A GROSS DP whose contribution rises to £25.00 from 16 Nov: payable unchanged (gross 60000),
//   contribution 2500 x 4 = 10000 -> a zero-payable ADJUSTMENT recording contribution +2000.
const period = { start: '2026-11-16', end: '2026-12-13' };
const released = { grossPence: 60000n, contributionPence: 8000n, payablePence: 52000n };
const base = { released, alreadyProposedRecoveryPence: 0n, dpEnded: false, offsetOverpayments: true };

describe('worked example: positive adjustment', () => {
  it('pays the arrears as an ADJUSTMENT line', () => {
    const { recomputed, causedByDeath } = recomputeForAdjustment(
      dp({
        rates: [
          { from: '2026-04-06', weeklyGrossPence: 15000n },
          { from: '2026-11-16', weeklyGrossPence: 16250n },
        ],
      }),
      period,
    );
    expect(causedByDeath).toBe(false);
    expect(decideAdjustment({ ...base, recomputed, causedByDeath })).toEqual({
      action: 'ADJUSTMENT',
      amounts: { grossPence: 5000n, contributionPence: 0n, payablePence: 5000n },
    });
  });

  it('does nothing when nothing changed', () => {
    const { recomputed } = recomputeForAdjustment(dp(), period);
    expect(decideAdjustment({ ...base, recomputed, causedByDeath: false })).toEqual({ action: 'NONE' });
  });

  it('records a GROSS DP contribution change with a zero-payable ADJUSTMENT', () => {
    const { recomputed } = recomputeForAdjustment(
      dp({
        basis: 'GROSS',
        contributions: [
          { from: '2026-04-06', weeklyPence: 2000n },
          { from: '2026-11-16', weeklyPence: 2500n },
        ],
      }),
      period,
    );
    const releasedGross = { grossPence: 60000n, contributionPence: 8000n, payablePence: 60000n };
    expect(decideAdjustment({ ...base, released: releasedGross, recomputed, causedByDeath: false })).toEqual({
      action: 'ADJUSTMENT',
      amounts: { grossPence: 0n, contributionPence: 2000n, payablePence: 0n },
    });
  });
});
