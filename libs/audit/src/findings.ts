/**
 * An audit's findings as officer cases. Per DP and audit at most one case of each kind (the
 * dedup key names the audit); a later audit updates the DP's open case of the same kind (new
 * amount, evidence appended) instead of opening another. Evidence: the audit row, plus the ledger
 * items behind the finding (flagged items; contribution credits). A SURPLUS rests on the whole
 * balance: its evidence is the audit row (the audit pack lists the ledger). Details carry ids, dates and flags only.
 */
import type { EntityManager } from 'typeorm';
import { CaseService, type CaseEvidence, type CaseFinding } from '@dpb/cases';
import type { CouncilSettings } from '@dpb/payments/rules/settings';
import { flaggedTotal, type AuditFigures, type LedgerItem } from './rules';
import type { FindingsHook, StoredForFindings } from './service';

const evidenceOf = (i: Pick<LedgerItem, 'id' | 'source'>): CaseEvidence => ({ type: i.source === 'card' ? 'card_txn' : 'bank_entry', id: i.id });

/** The cases one stored audit gives (pure). */
export function findingsOf(council: string, auditId: string, f: AuditFigures, items: readonly LedgerItem[], settings: Pick<CouncilSettings, 'audit'>): CaseFinding[] {
  const audit: CaseEvidence = { type: 'audit', id: auditId };
  const source = items[0]?.source ?? 'card';
  const base = { council, dpId: f.dpId, dedupKey: `audit:${auditId}`, on: f.window.to, source: 'audit', mergeIntoActive: true };
  const out: CaseFinding[] = [];
  const byId = new Set(f.contributionItemIds);
  const contributionEvidence = items.filter((i) => byId.has(i.id)).map(evidenceOf);
  if (f.councilExcessPence > 0n) {
    out.push({
      ...base,
      kind: 'SURPLUS',
      amountPence: f.councilExcessPence,
      // The balance is every settled item: the audit row stands for them (the pack lists them).
      evidence: [audit],
      detail: { auditId, surplusPence: f.surplusPence.toString(), reviewOverdue: f.review.overdue, reviewDue: f.review.due },
    });
  }
  if (f.contributionRefundPence > 0n) {
    out.push({ ...base, kind: 'CONTRIBUTION_REFUND', amountPence: f.contributionRefundPence, evidence: [audit, ...contributionEvidence], detail: { auditId } });
  }
  if (f.missedContributionsPence > settings.audit.contributionTolerancePence) {
    out.push({
      ...base,
      kind: 'MISSED_CONTRIBUTIONS',
      amountPence: f.missedContributionsPence,
      escalate: f.missedEscalated,
      evidence: [audit, ...contributionEvidence],
      detail: { auditId, missedStreak: f.missedStreak, escalated: f.missedEscalated },
    });
  }
  const spend = f.flags.filter((x) => x.kind !== 'SAFEGUARDING');
  const safeguarding = f.flags.filter((x) => x.kind === 'SAFEGUARDING');
  const flagEvidence = (fs: typeof spend): CaseEvidence[] => fs.map((x) => evidenceOf({ id: x.txnId, source }));
  if (spend.length) {
    out.push({ ...base, kind: 'SPEND_FLAG', amountPence: flaggedTotal(spend), evidence: [audit, ...flagEvidence(spend)], detail: { auditId, items: spend.length, kinds: spend.map((x) => `${x.txnId}:${x.kind}`) } });
  }
  if (safeguarding.length) {
    out.push({ ...base, kind: 'SAFEGUARDING', amountPence: flaggedTotal(safeguarding), evidence: [audit, ...flagEvidence(safeguarding)], detail: { auditId, items: safeguarding.length } });
  }
  if (f.review.overdue) {
    out.push({ ...base, kind: 'REVIEW_OVERDUE', amountPence: null, evidence: [audit], detail: { auditId, reviewDue: f.review.due } });
  }
  return out;
}

const KIND_ORDER = ['SURPLUS', 'CONTRIBUTION_REFUND', 'MISSED_CONTRIBUTIONS', 'SPEND_FLAG', 'SAFEGUARDING', 'REVIEW_OVERDUE'];

/**
 * The findings hook the night and `audit run` use: opens or updates the chunk's cases in the
 * audit's transaction, all at once (`openOrUpdateMany`: a few statements per chunk, not per
 * finding). The case service locks a council's kinds in one fixed order until the transaction
 * ends: two chunks of a council running at once wait for each other instead of deadlocking.
 * Findings go kind by kind, so a chunk's new cases take their ids in that order.
 */
export const openAuditCases: FindingsHook = async (m: EntityManager, council: string, settings: CouncilSettings, stored: readonly StoredForFindings[]) => {
  const all = stored.flatMap((s) => findingsOf(council, s.auditId, s.audit.figures, s.audit.account.items, settings));
  all.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  await new CaseService(m).openOrUpdateMany(all);
};
