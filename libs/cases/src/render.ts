/** What `dpbridge cases` prints: `--json` shapes (amounts integer pence) and readable lines. */
import { formatPence, penceToJson } from '@dpb/common';
import type { CaseDecision } from './case.service';
import type { CaseRecoveryView, CaseSummary, CaseView } from './model';

/** One case as `cases list --json` prints it (the documented fields first, then additions). */
export function caseJson(c: CaseSummary): Record<string, unknown> {
  return {
    id: c.id,
    council: c.council,
    dpId: c.dpId,
    kind: c.kind,
    status: c.status,
    amountPence: c.amountPence === null ? null : penceToJson(c.amountPence),
    openedOn: c.openedOn,
    evidence: c.evidence.map((e) => ({ type: e.type, id: e.id })),
    updatedOn: c.updatedOn,
    escalated: c.escalated,
    source: c.source,
    proposedBy: c.proposedBy,
    decidedBy: c.decidedBy,
    closedBy: c.closedBy,
    detail: c.detail,
  };
}

export function casesJson(cases: readonly CaseSummary[]): { cases: Record<string, unknown>[] } {
  return { cases: cases.map(caseJson) };
}

export function caseViewJson(c: CaseView): Record<string, unknown> {
  return {
    ...caseJson(c),
    history: c.history.map((h) => ({ ...h, amountPence: h.amountPence === null ? null : penceToJson(h.amountPence) })),
    ...(c.recovery ? { recovery: recoveryJson(c.recovery) } : {}),
  };
}

function recoveryJson(r: CaseRecoveryView): Record<string, unknown> {
  return {
    method: r.method, reason: r.reason, amountPence: penceToJson(r.amountPence), recoveredPence: penceToJson(r.recoveredPence),
    outstandingPence: penceToJson(r.outstandingPence), fullyRecovered: r.fullyRecovered,
    deductions: r.deductions.map((d) => ({ runId: d.runId, amountPence: penceToJson(d.amountPence) })),
  };
}

export function decisionJson(d: CaseDecision): Record<string, unknown> {
  return { ...d, amountPence: d.amountPence === null ? null : penceToJson(d.amountPence) };
}

const money = (p: bigint | null) => (p === null ? '-' : formatPence(p));

export function renderCases(cases: readonly CaseSummary[]): string[] {
  if (!cases.length) return ['no cases'];
  const out = [`${cases.length} case(s)`];
  for (const c of cases) {
    out.push(
      `  case ${c.id}  ${c.council}  ${c.dpId ?? '-'}  ${c.kind}  ${c.status}${c.escalated ? ' (escalated)' : ''}  amount ${money(c.amountPence)}  opened ${c.openedOn}  evidence ${c.evidence.length}`,
    );
  }
  return out;
}

export function renderCase(c: CaseView): string[] {
  const out = [
    `case ${c.id}  ${c.council}  DP ${c.dpId ?? '-'}  ${c.kind}  ${c.status}${c.escalated ? ' (escalated)' : ''}`,
    `  amount ${money(c.amountPence)}  opened ${c.openedOn}  updated ${c.updatedOn}  by ${c.source}`,
  ];
  if (c.proposedBy) out.push(`  proposed by ${c.proposedBy}`);
  if (c.decidedBy) out.push(`  ${c.status === 'REJECTED' ? 'rejected' : 'approved'} by ${c.decidedBy}`);
  if (c.closedBy) out.push(`  closed by ${c.closedBy}`);
  out.push(`  evidence: ${c.evidence.length ? c.evidence.map((e) => `${e.type} ${e.id}`).join(', ') : '(none)'}`);
  if (c.recovery) out.push(...renderRecovery(c.recovery));
  out.push('  history:');
  for (const h of c.history) {
    out.push(`    ${h.at}  ${h.actor}  ${h.action} ${h.outcome}  ${h.statusBefore ?? '-'} -> ${h.statusAfter ?? '-'}${h.amountPence === null ? '' : `  ${formatPence(h.amountPence)}`}${h.reason ? `  (${h.reason})` : ''}`);
  }
  return out;
}

export function renderCaseDecision(d: CaseDecision): string {
  const what = d.outcome === 'ALREADY_DONE' ? 'already' : 'now';
  return `case ${d.caseId} (${d.council} ${d.kind}) ${what} ${d.status}${d.amountPence === null ? '' : `, amount ${formatPence(d.amountPence)}`} (by ${d.by})`;
}

function renderRecovery(r: CaseRecoveryView): string[] {
  const how = r.method === 'OFFSET' ? 'from later payments' : 'by invoice';
  const state = r.fullyRecovered ? 'fully recovered' : `${formatPence(r.outstandingPence)} outstanding`;
  return [
    `  recovery ${r.reason} ${how}: ${formatPence(r.recoveredPence)} of ${formatPence(r.amountPence)} recovered, ${state}`,
    ...r.deductions.map((d) => `    run ${d.runId}: ${formatPence(d.amountPence)}`),
  ];
}
