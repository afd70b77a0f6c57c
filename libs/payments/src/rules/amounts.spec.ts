import fc from 'fast-check';
import { addDays } from '@dpb/common';
import { computePeriodAmount, periodTotals } from './amounts';
import { dp } from './examples/fixtures';

// Days before the first rate's `from` have no rate: not payable (NO_RATE), never guessed.
// DP from 6 Apr, first rate from Mon 13 Apr: 21 payable days of 28 -> 45000 - 6000 = 39000.
describe('computePeriodAmount edge cases', () => {
  it('does not pay days with no rate in force', () => {
    const a = computePeriodAmount(dp({ rates: [{ from: '2026-04-13', weeklyGrossPence: 15000n }] }), {
      start: '2026-04-06',
      end: '2026-05-03',
    });
    expect(a.days[0]).toMatchObject({
      date: '2026-04-06',
      payable: false,
      reasons: ['NO_RATE'],
      weeklyGrossPence: null,
    });
    expect([a.payableDays, a.grossPence, a.contributionPence, a.payablePence]).toEqual([
      21,
      45000n,
      6000n,
      39000n,
    ]);
  });

  it('names the record and field, never the value, in errors', () => {
    const bad = dp({ rates: [{ from: '2026-04-06', weeklyGrossPence: -1n }] });
    expect(() => computePeriodAmount(bad, { start: '2026-04-06', end: '2026-05-03' })).toThrow(
      'DP5001.rates.weeklyGross is negative',
    );
    expect(() =>
      computePeriodAmount(dp({ end: '2026-02-30' }), { start: '2026-04-06', end: '2026-05-03' }),
    ).toThrow('DP5001.end is not a valid YYYY-MM-DD date');
  });
});

describe('periodTotals', () => {
  const base = '2026-03-02';
  const date = fc.integer({ min: 0, max: 120 }).map((n) => addDays(base, n));
  const pence = fc.bigInt({ min: 0n, max: 100000n });
  const uniqueFrom = <T extends { from: string }>(xs: T[]) => xs.filter((x, i) => xs.findIndex((y) => y.from === x.from) === i);
  const calc = fc.record({
    basis: fc.constantFrom('NET' as const, 'GROSS' as const),
    fundingStream: fc.constantFrom('LA' as const, 'S117' as const, 'JOINT' as const),
    start: date,
    end: fc.option(date, { nil: null }),
    dateOfDeath: fc.option(date, { nil: null }),
    rates: fc.array(fc.record({ from: date, weeklyGrossPence: pence }), { maxLength: 3 }).map(uniqueFrom),
    contributions: fc.array(fc.record({ from: date, weeklyPence: pence }), { maxLength: 3 }).map(uniqueFrom),
    suspensions: fc.array(fc.record({ from: date, to: fc.option(date, { nil: null }), reason: fc.constant('HOSPITAL' as const) }), { maxLength: 2 }),
  });

  it('gives exactly the amounts of computePeriodAmount (which also explains each day)', () => {
    fc.assert(
      fc.property(calc, date, fc.integer({ min: 0, max: 34 }), (c, from, len) => {
        const d = dp({ ...c, frequency: 'WEEKLY' });
        const period = { start: from, end: addDays(from, len) };
        const { days, ...withDays } = computePeriodAmount(d, period);
        expect(periodTotals(d, period)).toEqual(withDays);
        expect(days).toHaveLength(len + 1);
      }),
      { numRuns: 500 },
    );
  });
});
