import { compareDates, isWithin, maxPence, type CivilDate, type Pence } from '@dpb/common';
import type { AuditDp, ContributionLine, LedgerItem } from './model';

/** NET basis DPs owe a contribution; GROSS (invoiced by the council) and S117 (free aftercare) do not. */
export function contributionsExpectedFor(dp: Pick<AuditDp, 'basis' | 'fundingStream'>): boolean {
  return dp.basis === 'NET' && dp.fundingStream !== 'S117';
}

/** Received contributions are counted for NET and S117 DPs, never for GROSS ones. */
export function contributionsReceivedFor(dp: Pick<AuditDp, 'basis' | 'fundingStream'>): boolean {
  return dp.basis === 'NET' || dp.fundingStream === 'S117';
}

function released(l: ContributionLine, to: CivilDate): boolean {
  return l.releasedOn !== null && compareDates(l.releasedOn, to) <= 0;
}

/**
 * Expected contributions from `from` (the first audit window's start) to `to`: REGULAR lines
 * released at `to` whose period starts in that span, plus the ADJUSTMENT lines (released at `to`)
 * of those periods. 0 unless NET basis and not S117.
 */
export function expectedContributions(dp: Pick<AuditDp, 'basis' | 'fundingStream'>, lines: readonly ContributionLine[], from: CivilDate, to: CivilDate): Pence {
  if (!contributionsExpectedFor(dp)) return 0n;
  const periods = new Set<string>();
  let total = 0n;
  for (const l of lines) {
    if (l.kind !== 'REGULAR' || !released(l, to) || !isWithin(l.periodStart, from, to)) continue;
    periods.add(l.periodStart);
    total += l.contributionPence;
  }
  for (const l of lines) if (l.kind === 'ADJUSTMENT' && released(l, to) && periods.has(l.periodStart)) total += l.contributionPence;
  return total;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `reference` holds `dpId` as a whole word, ignoring case ("dp123 june" yes, "DP1234" no). */
export function referenceNamesDp(reference: string | null, dpId: string): boolean {
  if (!reference) return false;
  return new RegExp(`(^|[^A-Za-z0-9])${escapeRegExp(dpId)}($|[^A-Za-z0-9])`, 'i').test(reference);
}

/** The settled credits from `from` to `to` that are the person's contribution: never a LOAD, never a council payment. */
export function contributionCredits(dp: Pick<AuditDp, 'dpId' | 'basis' | 'fundingStream'>, items: readonly LedgerItem[], from: CivilDate, to: CivilDate): LedgerItem[] {
  if (!contributionsReceivedFor(dp)) return [];
  return items.filter(
    (i) =>
      i.status === 'SETTLED' &&
      i.amountPence > 0n &&
      i.type !== 'LOAD' &&
      !i.fromCouncil &&
      isWithin(i.date, from, to) &&
      referenceNamesDp(i.reference, dp.dpId),
  );
}

export function missedContributions(expected: Pence, received: Pence): Pence {
  return maxPence(0n, expected - received);
}

/** Audits in a row with a shortfall above the tolerance, this one included (0 when this one is within it). */
export function missedStreak(previousStreak: number, missed: Pence, tolerancePence: Pence): number {
  return missed > tolerancePence ? previousStreak + 1 : 0;
}
