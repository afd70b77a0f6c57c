/** Shared builders for the worked-example specs (test-only). */
import { BacsCalendar } from '@dpb/common';
import { DirectPaymentForCalc } from '../dp';

export const calendar = BacsCalendar.bundled();
export const ANCHOR = '2026-04-06';

/** £150.00 gross, £20.00 contribution a week, NET, LA, four-weekly from the anchor. */
export function dp(overrides: Partial<DirectPaymentForCalc> = {}): DirectPaymentForCalc {
  return {
    dpId: 'DP5001',
    frequency: 'FOUR_WEEKLY',
    basis: 'NET',
    fundingStream: 'LA',
    start: '2026-04-06',
    end: null,
    dateOfDeath: null,
    rates: [{ from: '2026-04-06', weeklyGrossPence: 15000n }],
    contributions: [{ from: '2026-04-06', weeklyPence: 2000n }],
    splits: [],
    suspensions: [],
    oneOffs: [],
    ...overrides,
  };
}

export const nothingTaken = { regularPeriodStarts: new Set<string>(), oneOffIds: new Set<string>() };
