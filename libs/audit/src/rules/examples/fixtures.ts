/** Shared building blocks of the worked examples: one NET DP, its lines and card items. */
import type { AuditDp, AuditThresholds, ContributionLine, LedgerItem } from '../model';
import type { AuditInput } from '../audit';

/** DP100: NET, £300.00 a week gross, £40.00 a week contribution, so £260.00 a week payable. */
export function netDp(over: Partial<AuditDp> = {}): AuditDp {
  return {
    dpId: 'DP100',
    basis: 'NET',
    fundingStream: 'LA',
    start: '2026-10-05',
    lastReviewDate: null,
    cashAllowed: false,
    rates: [{ from: '2026-10-05', weeklyGrossPence: 30000n }],
    contributions: [{ from: '2026-10-05', weeklyPence: 4000n }],
    ...over,
  };
}

export const DEFAULTS: AuditThresholds = {
  surplusWeeks: 8,
  surplusFloorPence: 0n,
  contributionTolerancePence: 100n,
  contributionEscalateAfter: 2,
  flagMcc: ['7995', '7800', '7801', '7802', '9406', '5813', '5921', '5993', '5933', '7273', '7297', '4829', '5542'],
  cashMcc: ['6010', '6011', '6051'],
  cashAllowed: false,
  allowPayees: [],
};

/** Four weekly REGULAR lines from 2026-11-02, each with a £40.00 contribution, released when created. */
export function fourWeeks(contributionPence = 4000n): ContributionLine[] {
  return ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'].map((periodStart) => ({
    kind: 'REGULAR',
    periodStart,
    contributionPence,
    releasedOn: '2026-10-28',
  }));
}

let seq = 0;
export function item(over: Partial<LedgerItem>): LedgerItem {
  seq += 1;
  return {
    id: `T${seq}`,
    source: 'card',
    date: '2026-11-10',
    type: 'POS',
    status: 'SETTLED',
    amountPence: 0n,
    mcc: null,
    merchant: null,
    reference: null,
    fromCouncil: false,
    ...over,
  };
}

/** A settled contribution credit naming the DP in its reference. */
export function contribution(amountPence: bigint, date = '2026-11-10', reference = 'DP100 contribution'): LedgerItem {
  return item({ type: 'TRANSFER_IN', amountPence, date, reference });
}

export function load(amountPence: bigint, date = '2026-11-02'): LedgerItem {
  return item({ type: 'LOAD', amountPence, date, reference: 'DP100 LOAD' });
}

/** The window 2026-11-02..2026-11-30, a first audit. */
export function input(over: Partial<AuditInput>): AuditInput {
  return {
    dp: netDp(),
    window: { from: '2026-11-02', to: '2026-11-30' },
    contributionsFrom: '2026-11-02',
    items: [],
    statementBalancePence: null,
    lines: fourWeeks(),
    liabilitiesPence: 0n,
    previousMissedStreak: 0,
    settings: DEFAULTS,
    ...over,
  };
}
