/**
 * Officer cases: the canonical model. A case is a finding (of reconciliation or the DP account
 * audit) that an officer proposes and a second officer approves or rejects.
 */
import type { CivilDate, Pence } from '@dpb/common';

export const CASE_KINDS = [
  'SURPLUS',
  'CONTRIBUTION_REFUND',
  'MISSED_CONTRIBUTIONS',
  'SPEND_FLAG',
  'SAFEGUARDING',
  'REVIEW_OVERDUE',
  'PAYMENT_UNCONFIRMED',
  'UNEXPECTED_CREDIT',
  'RETURNED_PAYMENT',
  'DEATH',
  'OVERPAYMENT',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATUSES = ['OPEN', 'PROPOSED', 'APPROVED', 'REJECTED', 'CLOSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses in which a case still waits for an officer (a later finding updates it). */
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['OPEN', 'PROPOSED'];

export function isCaseKind(v: unknown): v is CaseKind {
  return typeof v === 'string' && (CASE_KINDS as readonly string[]).includes(v);
}

export function isCaseStatus(v: unknown): v is CaseStatus {
  return typeof v === 'string' && (CASE_STATUSES as readonly string[]).includes(v);
}

/** A record behind a case: e.g. `{type: 'payment_line', id: '42'}`, `{type: 'card_txn', id: 'T9'}`. */
export interface CaseEvidence {
  type: string;
  id: string;
}

export type CaseDetail = Record<string, string | number | boolean | null | string[]>;

/**
 * What a stage found. `dedupKey` names the finding itself (e.g. `line:42`, `return:17`,
 * `dp:DP1:2026-11-02..2026-12-09`): the same key never opens a second case.
 */
export interface CaseFinding {
  council: string;
  dpId: string | null;
  kind: CaseKind;
  dedupKey: string;
  amountPence: Pence | null;
  /** The night's date. */
  on: CivilDate;
  evidence: readonly CaseEvidence[];
  /** Who found it: a stage (`reconcile`, `audit`, `payment-run`); recorded as `system:<source>`. */
  source: string;
  /** Mark the case escalated (e.g. the n-th audit in a row with a shortfall). */
  escalate?: boolean;
  /**
   * When the DP already has an OPEN or PROPOSED case of this kind, add this finding to it (new
   * amount while OPEN, evidence appended) instead of opening another (the audit's rule).
   */
  mergeIntoActive?: boolean;
  /** Ids, codes and counts only (never personal data). */
  detail?: CaseDetail;
}

export interface CaseSummary {
  id: string;
  council: string;
  dpId: string | null;
  kind: CaseKind;
  status: CaseStatus;
  amountPence: Pence | null;
  openedOn: CivilDate;
  updatedOn: CivilDate;
  escalated: boolean;
  source: string;
  proposedBy: string | null;
  decidedBy: string | null;
  closedBy: string | null;
  evidence: CaseEvidence[];
  detail: CaseDetail;
}

export interface CaseEvent {
  at: string;
  actor: string;
  action: 'OPEN' | 'UPDATE' | 'ESCALATE' | 'PROPOSE' | 'APPROVE' | 'REJECT' | 'CLOSE';
  outcome: 'DONE' | 'ALREADY_DONE' | 'REFUSED';
  statusBefore: CaseStatus | null;
  statusAfter: CaseStatus | null;
  amountPence: Pence | null;
  reason: string | null;
}

export interface CaseView extends CaseSummary {
  history: CaseEvent[];
  /** How an APPROVED recovery case is being recovered (absent: no method chosen yet). */
  recovery?: CaseRecoveryView;
}

/** See recovery.repository.ts (CaseRecovery). */
export interface CaseRecoveryView {
  method: 'INVOICE' | 'OFFSET';
  reason: string;
  amountPence: Pence;
  recoveredPence: Pence;
  outstandingPence: Pence;
  fullyRecovered: boolean;
  deductions: { runId: string; amountPence: Pence }[];
}

export interface CaseFilters {
  council?: string;
  dpId?: string;
  kind?: CaseKind;
  status?: CaseStatus;
  limit?: number;
}

export type FindingOutcome = 'OPENED' | 'UPDATED' | 'UNCHANGED';

export interface FindingResult {
  caseId: string;
  outcome: FindingOutcome;
}
