/**
 * One DP's audit for one window: every figure from the rules in this folder. Pure: the loader
 * gives it the ledger, the lines, the liabilities and the previous audit's streak.
 */
import type { CivilDate, Pence } from '@dpb/common';
import type { AuditDp, AuditFigures, AuditThresholds, AuditWindow, ContributionLine, LedgerItem } from './model';
import { cardBalance } from './balance';
import { contributionCredits, expectedContributions, missedContributions, missedStreak } from './contributions';
import { contingency, splitSurplus } from './surplus';
import { spendFlags } from './flags';
import { reviewStatus } from './review';

export interface AuditInput {
  dp: AuditDp;
  window: AuditWindow;
  /** The first audit window's `from` (this window's `from` for a first audit). */
  contributionsFrom: CivilDate;
  items: readonly LedgerItem[];
  /** Bank or managed account: the latest statement's closing balance at `to`; null for a card (balance from its items). */
  statementBalancePence: Pence | null;
  lines: readonly ContributionLine[];
  liabilitiesPence: Pence;
  previousMissedStreak: number;
  settings: AuditThresholds;
}

export function auditAccount(a: AuditInput): AuditFigures {
  const { dp, window, settings: s } = a;
  const balancePence = a.statementBalancePence ?? cardBalance(a.items, window.to);
  const expected = expectedContributions(dp, a.lines, a.contributionsFrom, window.to);
  const credits = contributionCredits(dp, a.items, a.contributionsFrom, window.to);
  const received = credits.reduce((t, i) => t + i.amountPence, 0n);
  const contingencyPence = contingency(dp, window.to, s.surplusWeeks);
  const split = splitSurplus({
    balancePence,
    liabilitiesPence: a.liabilitiesPence,
    contingencyPence,
    floorPence: s.surplusFloorPence,
    receivedPence: received,
    expectedPence: expected,
  });
  const missed = missedContributions(expected, received);
  const streak = missedStreak(a.previousMissedStreak, missed, s.contributionTolerancePence);
  return {
    dpId: dp.dpId,
    window,
    contributionsFrom: a.contributionsFrom,
    balancePence,
    expectedContributionsPence: expected,
    receivedContributionsPence: received,
    liabilitiesPence: a.liabilitiesPence,
    contingencyPence,
    ...split,
    missedContributionsPence: missed,
    missedStreak: streak,
    missedEscalated: streak >= s.contributionEscalateAfter,
    flags: spendFlags(a.items, window, {
      flagMcc: s.flagMcc,
      cashMcc: s.cashMcc,
      cashAllowed: s.cashAllowed || dp.cashAllowed,
      allowPayees: s.allowPayees,
    }),
    review: reviewStatus(dp.start, dp.lastReviewDate, window.to),
    contributionItemIds: credits.map((c) => c.id),
  };
}
