/** Builders for the reclaim worked examples (test-only). */
import type { Split } from '@dpb/care-records/model';
import type { DirectPaymentForCalc } from '@dpb/payments/rules';
import { parsePercentToBasisPoints } from '@dpb/common';
import { dp } from '@dpb/payments/rules/examples/fixtures';
import type { ReclaimSettings } from '../health-share';

export const SETTINGS: ReclaimSettings = { goLiveDate: '2026-04-06' };
/** Every month from go-live to November 2026 was raised before. */
export const RAISED_TO_NOV = new Set(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);

export const split = (partner: string, from: string, pct: string): Split => ({
  partner,
  from,
  healthBasisPoints: parsePercentToBasisPoints(pct),
});

/** The payment rules' example DP (£150.00 gross, £20.00 contribution a week, from 6 Apr 2026), JOINT. */
export function reclaimDp(overrides: Partial<DirectPaymentForCalc> = {}): DirectPaymentForCalc {
  return dp({ fundingStream: 'JOINT', ...overrides });
}
