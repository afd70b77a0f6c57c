/**
 * duePayments with a horizon (the previous run's date, for a DP whose calculation input did not
 * change) gives exactly what the full walk since go-live gives, night after night, when `taken`
 * holds only the periods after the horizon.
 */
import fc from 'fast-check';
import { addDays } from '@dpb/common';
import { duePayments, type Taken } from './due';
import { ANCHOR, calendar, dp } from './examples/fixtures';
import type { Frequency } from './periods';

const GO_LIVE = '2026-11-02';
const settings = { anchorDate: ANCHOR, leadBacsDays: 3, goLiveDate: GO_LIVE };

describe('duePayments with a horizon', () => {
  it('equals the full walk over a sequence of nights', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Frequency>('WEEKLY', 'FORTNIGHTLY', 'FOUR_WEEKLY', 'MONTHLY'),
        fc.integer({ min: -120, max: 200 }), // start, days from go-live (backdated or later)
        fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }), // end, days after start
        fc.option(fc.record({ from: fc.integer({ min: 0, max: 300 }), days: fc.integer({ min: 1, max: 60 }) }), { nil: null }), // a suspension
        fc.array(fc.integer({ min: 1, max: 21 }), { minLength: 1, maxLength: 30 }), // gaps between nights
        fc.integer({ min: -30, max: 120 }), // first night, days from go-live
        (frequency, startOffset, endAfter, suspension, gaps, firstNight) => {
          const start = addDays(GO_LIVE, startOffset);
          const calc = dp({
            frequency,
            start,
            end: endAfter === null ? null : addDays(start, endAfter),
            rates: [{ from: start, weeklyGrossPence: 15000n }],
            contributions: [],
            suspensions: suspension ? [{ from: addDays(start, suspension.from), to: addDays(start, suspension.from + suspension.days), reason: 'HOSPITAL' }] : [],
          });
          const paid = new Set<string>();
          let night = addDays(GO_LIVE, firstNight);
          let previous: string | null = null;
          for (const gap of gaps) {
            const full = duePayments(calc, night, settings, calendar, { regularPeriodStarts: paid, oneOffIds: new Set() });
            const recent: Taken = { regularPeriodStarts: new Set([...paid].filter((s) => previous === null || s > previous)), oneOffIds: new Set() };
            const bounded = duePayments(calc, night, settings, calendar, recent, previous);
            expect(bounded.regular).toEqual(full.regular);
            for (const r of full.regular) paid.add(r.period.start);
            previous = night;
            night = addDays(night, gap);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('walks from go-live when the horizon is before it', () => {
    const calc = dp({ frequency: 'WEEKLY', start: '2026-10-05' });
    const none = { regularPeriodStarts: new Set<string>(), oneOffIds: new Set<string>() };
    const full = duePayments(calc, '2026-11-11', settings, calendar, none);
    expect(full.regular.length).toBeGreaterThan(0);
    expect(duePayments(calc, '2026-11-11', settings, calendar, none, '2026-10-20').regular).toEqual(full.regular);
  });
});
