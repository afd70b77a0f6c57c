/**
 * The case workflow as a pure rule (no I/O): which officer action is allowed from which status.
 *
 *   OPEN      --propose-->  PROPOSED   (amount may be set or amended)
 *   PROPOSED  --propose-->  PROPOSED   (amended; the new proposer is recorded)
 *   REJECTED  --propose-->  PROPOSED   (a fresh proposal after a rejection)
 *   PROPOSED  --approve-->  APPROVED   (not by the proposer: four eyes)
 *   PROPOSED  --reject--->  REJECTED   (not by the proposer: four eyes)
 *   any but CLOSED --close--> CLOSED
 *
 * Repeating the action that produced the current status, by the officer who took it, is
 * ALREADY_DONE (a double click changes nothing).
 */
import { sameOfficer } from '@dpb/payments/officer/errors';
import type { CaseStatus } from './model';

export type OfficerCaseAction = 'PROPOSE' | 'APPROVE' | 'REJECT' | 'CLOSE';

export type TransitionVerdict =
  | { kind: 'DONE'; next: CaseStatus }
  | { kind: 'ALREADY_DONE' }
  | { kind: 'REFUSED'; code: 'CASE_STATUS' | 'FOUR_EYES'; message: string };

export interface CaseState {
  status: CaseStatus;
  proposedBy: string | null;
  decidedBy: string | null;
  closedBy: string | null;
}

export function caseTransition(c: CaseState, action: OfficerCaseAction, by: string): TransitionVerdict {
  const refuse = (message: string): TransitionVerdict => ({ kind: 'REFUSED', code: 'CASE_STATUS', message });
  switch (action) {
    case 'PROPOSE':
      if (c.status === 'OPEN' || c.status === 'PROPOSED' || c.status === 'REJECTED') return { kind: 'DONE', next: 'PROPOSED' };
      return refuse(`a ${c.status} case cannot be proposed`);
    case 'APPROVE':
    case 'REJECT': {
      const target: CaseStatus = action === 'APPROVE' ? 'APPROVED' : 'REJECTED';
      if (c.status === target && sameOfficer(c.decidedBy, by)) return { kind: 'ALREADY_DONE' };
      if (c.status !== 'PROPOSED') return refuse(`only a PROPOSED case can be ${target.toLowerCase()} (status ${c.status})`);
      if (sameOfficer(c.proposedBy, by)) {
        return { kind: 'REFUSED', code: 'FOUR_EYES', message: `the officer who proposed the case may not ${action === 'APPROVE' ? 'approve' : 'reject'} it (four-eyes rule)` };
      }
      return { kind: 'DONE', next: target };
    }
    case 'CLOSE':
      if (c.status === 'CLOSED') return { kind: 'ALREADY_DONE' };
      return { kind: 'DONE', next: 'CLOSED' };
  }
}
