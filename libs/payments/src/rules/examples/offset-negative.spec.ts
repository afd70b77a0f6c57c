import { decideAdjustment, netPayeeCredit, recomputeForAdjustment } from '../adjustments';
import { dp } from './fixtures';

// Period 16 Nov..13 Dec 2026 released at £150/£20: 60000 / 8000 / 52000.
// A later extract backdates a contribution of £30.00 from 16 Nov:
//   recomputed contribution = 3000 x 4 = 12000, payable = 60000 - 12000 = 48000
//   difference: gross 0, contribution +4000, payable -4000
// offsetOverpayments on, DP open -> a negative ADJUSTMENT of -4000;
// offset off, or the DP ended   -> an OVERPAYMENT recovery proposal of 4000.
// Netting in the next run (same payee):
//   DP5001 REGULAR 52000 + ADJUSTMENT -4000 = 48000 credited.
//   A -60000 offset against a 52000 line: credit 0, -8000 carried; next run 52000 - 8000 = 44000.
//   Another DP of the same payee is not netted: DP5001 -4000 alone + DP5002 +10000 -> credit 10000, DP5001 carries -4000.
const period = { start: '2026-11-16', end: '2026-12-13' };
const released = { grossPence: 60000n, contributionPence: 8000n, payablePence: 52000n };
const person = dp({
  contributions: [
    { from: '2026-04-06', weeklyPence: 2000n },
    { from: '2026-11-16', weeklyPence: 3000n },
  ],
});

describe('worked example: negative adjustment (offset)', () => {
  const { recomputed, causedByDeath } = recomputeForAdjustment(person, period);
  const input = { released, recomputed, causedByDeath, alreadyProposedRecoveryPence: 0n };

  it('offsets against later payments when the setting is on', () => {
    expect(recomputed.payablePence).toBe(48000n);
    expect(decideAdjustment({ ...input, dpEnded: false, offsetOverpayments: true })).toEqual({
      action: 'ADJUSTMENT',
      amounts: { grossPence: 0n, contributionPence: 4000n, payablePence: -4000n },
    });
  });

  it('proposes an OVERPAYMENT recovery when offset is off or the DP has ended', () => {
    const recovery = { action: 'RECOVERY', reason: 'OVERPAYMENT', amountPence: 4000n };
    expect(decideAdjustment({ ...input, dpEnded: false, offsetOverpayments: false })).toEqual(recovery);
    expect(decideAdjustment({ ...input, dpEnded: true, offsetOverpayments: true })).toEqual(recovery);
    // ... and not twice
    expect(
      decideAdjustment({
        ...input,
        alreadyProposedRecoveryPence: 4000n,
        dpEnded: true,
        offsetOverpayments: true,
      }),
    ).toEqual({ action: 'NONE' });
  });

  it("nets into the same DP's credit, never below zero, carrying the rest forward", () => {
    expect(
      netPayeeCredit([
        { dpId: 'DP5001', payablePence: 52000n },
        { dpId: 'DP5001', payablePence: -4000n },
      ]).creditPence,
    ).toBe(48000n);

    const first = netPayeeCredit([
      { dpId: 'DP5001', payablePence: 52000n },
      { dpId: 'DP5001', payablePence: -60000n },
    ]);
    expect(first).toEqual({
      creditPence: 0n,
      perDp: [{ dpId: 'DP5001', broughtForwardPence: 0n, paidPence: 0n, carriedForwardPence: -8000n }],
    });
    const next = netPayeeCredit([{ dpId: 'DP5001', payablePence: 52000n }], new Map([['DP5001', -8000n]]));
    expect(next.creditPence).toBe(44000n);
    expect(next.perDp[0].carriedForwardPence).toBe(0n);

    const two = netPayeeCredit([
      { dpId: 'DP5001', payablePence: -4000n },
      { dpId: 'DP5002', payablePence: 10000n },
    ]);
    expect(two.creditPence).toBe(10000n);
    expect(two.perDp.find((d) => d.dpId === 'DP5001')?.carriedForwardPence).toBe(-4000n);
  });
});
