/**
 * The rule of recording findings as cases, as a pure function (no I/O): given the findings in
 * order, the cases their keys already fed and the DPs' active cases, what to write. Findings are
 * taken one after another, each seeing what the earlier ones did:
 *
 * - a key already recorded (in the database or by an earlier finding): UNCHANGED;
 * - `mergeIntoActive` and the DP has an OPEN or PROPOSED case of the kind (the newest): UPDATED:
 *   its key recorded, amount replaced while the case is OPEN (a null amount keeps it), escalation
 *   kept once set, updated_on the later date, detail merged, evidence appended, an UPDATE event
 *   (and an ESCALATE event when this finding escalates it);
 * - otherwise OPENED: a new OPEN case (the DP's newest, so later findings of the DP merge into it),
 *   its key, evidence and an OPEN event.
 *
 * Several updates of one case fold into one row update (the same result as applying them in turn).
 */
import { compareDates, type CivilDate, type Pence } from '@dpb/common';
import type { CaseDetail, CaseEvidence, CaseFinding, CaseKind, CaseStatus, FindingOutcome } from './model';

/** A case a plan writes to: an existing one (id known) or one it opens (id given once allocated). */
export interface PlannedCase {
  id: string | null;
  council: string;
  dpId: string | null;
  kind: CaseKind;
  status: CaseStatus;
  escalated: boolean;
  /** True for a case the plan opens. */
  opens: boolean;
  source: string;
  openedOn: CivilDate;
  /** Opened: the case's amount. Existing: the new amount, null to keep the stored one. */
  amountPence: Pence | null;
  updatedOn: CivilDate;
  detail: CaseDetail;
  /** Existing cases: whether any finding updates it. */
  updated: boolean;
}

export interface ActiveCase {
  id: string;
  council: string;
  dpId: string;
  kind: CaseKind;
  status: CaseStatus;
  escalated: boolean;
  updatedOn: CivilDate;
}

export interface PlannedEvent {
  target: PlannedCase;
  actor: string;
  action: 'OPEN' | 'UPDATE' | 'ESCALATE';
  statusBefore: CaseStatus | null;
  statusAfter: CaseStatus;
  amountPence: Pence | null;
  detail?: CaseDetail;
}

export interface FindingPlan {
  /** Per finding (in order): its case and outcome. */
  results: { target: { id: string | null }; outcome: FindingOutcome }[];
  /** The cases to open, in order (they take ascending ids). */
  opened: PlannedCase[];
  /** Existing cases with at least one update. */
  updated: PlannedCase[];
  /** Keys to record; `mustBeNew` for the key of a case the plan opens. */
  keys: { council: string; kind: CaseKind; dedupKey: string; target: PlannedCase; mustBeNew: boolean }[];
  evidence: { target: PlannedCase; evidence: CaseEvidence }[];
  events: PlannedEvent[];
}

export const keyOf = (council: string, kind: string, dedupKey: string): string => `${council}\u0000${kind}\u0000${dedupKey}`;
export const subjectOf = (council: string, dpId: string, kind: string): string => `${council}\u0000${dpId}\u0000${kind}`;

/**
 * Plans `findings` given `recorded` (key -> case id, from `keyOf`) and `active` (subject -> the
 * DP's newest OPEN or PROPOSED case of the kind, from `subjectOf`).
 */
export function planFindings(findings: readonly CaseFinding[], recorded: ReadonlyMap<string, string>, active: ReadonlyMap<string, ActiveCase>): FindingPlan {
  const plan: FindingPlan = { results: [], opened: [], updated: [], keys: [], evidence: [], events: [] };
  const keys = new Map<string, PlannedCase>();
  const activeNow = new Map<string, PlannedCase>();
  for (const f of findings) {
    const key = keyOf(f.council, f.kind, f.dedupKey);
    const actor = `system:${f.source}`;
    const known = recorded.get(key);
    const target = keys.get(key) ?? (known ? { id: known } : undefined);
    if (target) {
      plan.results.push({ target, outcome: 'UNCHANGED' });
      continue;
    }
    const subject = f.dpId === null ? null : subjectOf(f.council, f.dpId, f.kind);
    let into: PlannedCase | undefined;
    if (f.mergeIntoActive && subject) {
      into = activeNow.get(subject);
      const stored = into ? undefined : active.get(subject);
      if (stored) {
        // A stored case has one subject, so it is reached here once; later findings find it in activeNow.
        into = { id: stored.id, council: stored.council, dpId: stored.dpId, kind: stored.kind, status: stored.status, escalated: stored.escalated, opens: false, source: f.source, openedOn: stored.updatedOn, amountPence: null, updatedOn: stored.updatedOn, detail: {}, updated: false };
        activeNow.set(subject, into);
      }
    }
    if (into) {
      plan.keys.push({ council: f.council, kind: f.kind, dedupKey: f.dedupKey, target: into, mustBeNew: false });
      const before = { status: into.status, escalated: into.escalated };
      if (into.status === 'OPEN' && f.amountPence !== null) into.amountPence = f.amountPence;
      into.escalated = into.escalated || !!f.escalate;
      if (compareDates(f.on, into.updatedOn) > 0) into.updatedOn = f.on;
      into.detail = { ...into.detail, ...(f.detail ?? {}) };
      if (!into.opens && !into.updated) {
        into.updated = true;
        plan.updated.push(into);
      }
      for (const e of f.evidence) plan.evidence.push({ target: into, evidence: e });
      plan.events.push({ target: into, actor, action: 'UPDATE', statusBefore: before.status, statusAfter: into.status, amountPence: f.amountPence, detail: { dedupKey: f.dedupKey } });
      if (into.escalated && !before.escalated) plan.events.push({ target: into, actor, action: 'ESCALATE', statusBefore: into.status, statusAfter: into.status, amountPence: null });
      keys.set(key, into);
      plan.results.push({ target: into, outcome: 'UPDATED' });
      continue;
    }
    const opened: PlannedCase = {
      id: null, council: f.council, dpId: f.dpId, kind: f.kind, status: 'OPEN', escalated: !!f.escalate, opens: true, source: f.source,
      openedOn: f.on, amountPence: f.amountPence, updatedOn: f.on, detail: { ...(f.detail ?? {}) }, updated: false,
    };
    plan.opened.push(opened);
    plan.keys.push({ council: f.council, kind: f.kind, dedupKey: f.dedupKey, target: opened, mustBeNew: true });
    for (const e of f.evidence) plan.evidence.push({ target: opened, evidence: e });
    plan.events.push({ target: opened, actor, action: 'OPEN', statusBefore: null, statusAfter: 'OPEN', amountPence: f.amountPence, detail: { dedupKey: f.dedupKey } });
    keys.set(key, opened);
    if (subject) activeNow.set(subject, opened);
    plan.results.push({ target: opened, outcome: 'OPENED' });
  }
  return plan;
}
