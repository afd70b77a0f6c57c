import { runHold } from '../holds';

// holdRunPct 20 against the previous run's REGULAR total of the same frequency:
//   FOUR_WEEKLY previous 1,000,000p: 20% = 200,000p; 1,200,000 and 800,000 pass, 1,200,001 and 799,999 hold.
//   WEEKLY with no previous run: no check.
describe('worked example: run hold', () => {
  const prev = new Map([['FOUR_WEEKLY' as const, 1_000_000n]]);

  it('passes a change of exactly 20%', () => {
    expect(runHold(new Map([['FOUR_WEEKLY', 1_200_000n]]), prev, 20).held).toBe(false);
    expect(runHold(new Map([['FOUR_WEEKLY', 800_000n]]), prev, 20).held).toBe(false);
  });

  it('holds a change of more than 20% either way', () => {
    expect(runHold(new Map([['FOUR_WEEKLY', 1_200_001n]]), prev, 20).held).toBe(true);
    const r = runHold(new Map([['FOUR_WEEKLY', 799_999n]]), prev, 20);
    expect(r).toEqual({
      held: true,
      checks: [
        { frequency: 'FOUR_WEEKLY', currentPence: 799_999n, previousPence: 1_000_000n, exceeded: true },
      ],
    });
  });

  it('checks each frequency against its own previous run; none means no check', () => {
    const r = runHold(
      new Map([
        ['WEEKLY', 5_000_000n],
        ['FOUR_WEEKLY', 1_100_000n],
      ]),
      prev,
      20,
    );
    expect(r.held).toBe(false);
    expect(r.checks.map((c) => [c.frequency, c.previousPence, c.exceeded])).toEqual([
      ['WEEKLY', null, false],
      ['FOUR_WEEKLY', 1_000_000n, false],
    ]);
  });
});
