/**
 * Short human output for officers (CLI) and JSON-ready values (CLI --json, ops API). Pure.
 * Amounts print as pounds with two decimals; nothing personal is printed (ids only).
 */
import { formatPence, penceToJson } from '@dpb/common';
import type { LineExplanation } from './explain';
import { notPayableText } from './explain-amount';
import type { HeldLineView, LineDecision } from './lines';
import type { RunDecision, RunView } from './runs';

/** bigint -> JSON number (integer pence), recursively; Dates -> ISO strings. */
export function jsonReady(value: unknown): unknown {
  if (typeof value === 'bigint') return penceToJson(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonReady);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonReady(v);
    return out;
  }
  return value;
}

export function renderHeldLines(lines: readonly HeldLineView[]): string[] {
  if (!lines.length) return ['no held lines'];
  const out = [`${lines.length} held line(s)`];
  for (const l of lines) {
    out.push(
      `  line ${l.id}  ${l.council}  run ${l.runId}  ${l.dpId}  ${l.kind} ${l.periodStart}..${l.periodEnd}  payable ${formatPence(l.payablePence)}  held: ${l.holds.map((h) => h.code).join(', ')}`,
    );
  }
  return out;
}

export function renderRuns(runs: readonly RunView[]): string[] {
  if (!runs.length) return ['no payment runs'];
  const out: string[] = [];
  for (const r of runs) {
    const who = [r.holdsReleasedBy ? `holds released by ${r.holdsReleasedBy}` : '', r.approvedBy ? `approved by ${r.approvedBy}` : ''].filter(Boolean).join(', ');
    out.push(
      `${r.runId}  ${r.state.padEnd(17)} lines ${r.lines} (held ${r.heldLines})  credits ${r.credits}  payable ${formatPence(r.payablePence)}  held ${formatPence(r.heldPence)}` +
        (r.holds.length ? `  run holds: ${r.holds.map((h) => h.code).join(', ')}` : '') +
        (who ? `  (${who})` : '') +
        (r.needs === 'RELEASE' ? '  -> needs: dpbridge runs release' : r.needs === 'APPROVAL' ? '  -> needs: dpbridge runs approve' : ''),
    );
  }
  return out;
}

export function renderLineDecision(d: LineDecision): string {
  switch (d.outcome) {
    case 'RELEASED':
      return `line ${d.lineId}: released; it will be recomputed and paid in the next ${d.council} run`;
    case 'CANCELLED':
      return `line ${d.lineId}: cancelled; it will never be paid`;
    case 'ALREADY_RELEASED':
      return `line ${d.lineId}: already released${d.releasedRunId ? ` (paid in run ${d.releasedRunId})` : ' (waiting for the next run)'}; nothing changed`;
    case 'ALREADY_CANCELLED':
      return `line ${d.lineId}: already cancelled; nothing changed`;
  }
}

export function renderRunDecision(d: RunDecision, delivered?: { delivered: string[]; alreadyDelivered: string[] } | null): string {
  const files = delivered ? `; files delivered: ${delivered.delivered.length}${delivered.alreadyDelivered.length ? ` (already delivered: ${delivered.alreadyDelivered.length})` : ''}` : '';
  switch (d.outcome) {
    case 'RELEASED':
      return `run ${d.runId}: holds released; run RELEASED${files}`;
    case 'AWAITING_APPROVAL':
      return `run ${d.runId}: holds released; the run now awaits approval by a second officer (releaseMode authorise)`;
    case 'APPROVED':
      return `run ${d.runId}: approved; run RELEASED${files}`;
    case 'ALREADY_RELEASED':
      return `run ${d.runId}: holds already released (state ${d.state})${files}; nothing else changed`;
    case 'ALREADY_APPROVED':
      return `run ${d.runId}: already approved (state ${d.state})${files}; nothing else changed`;
  }
}

const money = (p: bigint | null) => (p === null ? '-' : formatPence(p));

export function renderExplanation(e: LineExplanation): string[] {
  const l = e.line;
  const out = [
    `line ${l.id}  ${l.council}  ${l.dpId} (person ${l.personId}, payee ${l.payeeId})  ${l.kind} ${l.frequency}`,
    `  period ${l.periodStart}..${l.periodEnd}${l.oneOffId ? `  one-off ${l.oneOffId}` : ''}`,
    `  state ${l.state}${l.decidedBy ? ` (decided by ${l.decidedBy} at ${l.decidedAt})` : ''}`,
    `  stored: gross ${formatPence(l.grossPence)}  contribution ${formatPence(l.contributionPence)}  payable ${formatPence(l.payablePence)}`,
    `  created in run ${e.run.runId} (${e.run.runDate}, ${e.run.state})${e.paidInRun ? `; paid in run ${e.paidInRun.runId} (${e.paidInRun.runDate}, ${e.paidInRun.state})` : ''}`,
  ];
  if (e.credit) out.push(`  credit: paymentRef ${e.credit.paymentRef}  endToEndId ${e.credit.endToEndId}  amount ${formatPence(e.credit.amountPence)} (run ${e.credit.runId})`);
  if (e.holds.length) {
    out.push('  holds:');
    for (const h of e.holds) out.push(`    ${h.code}: ${h.text}`);
  }
  if (e.basis) {
    const c = e.basis.calc;
    out.push(`  calculation input ${e.basis.hash.slice(0, 12)}: ${c.basis} basis, ${c.fundingStream}, start ${c.start}${c.end ? `, end ${c.end}` : ''}${c.dateOfDeath ? `, date of death ${c.dateOfDeath}` : ''}`);
    out.push(`    rates: ${c.rates.map((r) => `${formatPence(r.weeklyGrossPence)}/wk from ${r.from}`).join('; ') || 'none'}`);
    out.push(`    contributions: ${c.contributions.map((r) => `${formatPence(r.weeklyPence)}/wk from ${r.from}`).join('; ') || 'none'}`);
    if (c.suspensions.length) out.push(`    suspensions: ${c.suspensions.map((s) => `${s.from}..${s.to ?? 'open'} ${s.reason}`).join('; ')}`);
  }
  if (e.amount) {
    out.push('  days:');
    for (const s of e.amount.stretches) {
      const span = s.days === 1 ? s.from : `${s.from}..${s.to}`;
      out.push(
        `    ${span} (${s.days} day${s.days === 1 ? '' : 's'}) ` +
          (s.payable ? `payable at gross ${money(s.weeklyGrossPence)}/wk, contribution ${money(s.weeklyContributionPence)}/wk` : `not payable: ${notPayableText(s.reasons)}`),
      );
    }
    out.push('  arithmetic:');
    for (const step of e.amount.arithmetic.steps) out.push(`    ${step}`);
    out.push('  rules:');
    for (const r of e.amount.rules) out.push(`    ${r}`);
  }
  for (const d of e.derivation) out.push(`  ${d}`);
  if (e.reproduces !== null) out.push(`  recomputation ${e.reproduces ? 'reproduces' : 'does NOT reproduce'} the stored amounts`);
  for (const n of e.notes) out.push(`  note: ${n}`);
  for (const a of e.officerActions) out.push(`  ${a.at} ${a.action} by ${a.officer}: ${a.outcome}${a.reason ? ` (${a.reason})` : ''}`);
  return out;
}
