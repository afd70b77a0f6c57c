/** Builders for the reclaim worked examples (test-only). */
import type { DirectPaymentForCalc, SplitEntry } from '@dpb/payments/rules';
import { parsePercentToBasisPoints } from '@dpb/payments/rules';
import type { ReclaimSettings } from '../health-share';

export const SETTINGS: ReclaimSettings = { goLiveDate: '2026-04-06' };
/** Every month from go-live to November 2026 was raised before. */
export const RAISED_TO_NOV = new Set(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);

export const split = (partner: string, from: string, pct: string): SplitEntry => ({
  partner,
  from,
  healthBasisPoints: parsePercentToBasisPoints(pct),
});

export function reclaimDp(overrides: Partial<DirectPaymentForCalc> = {}): DirectPaymentForCalc {
  return {
    dpId: 'DP5001',
    frequency: 'FOUR_WEEKLY',
    basis: 'NET',
    fundingStream: 'JOINT',
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
