/**
 * `dpbridge explain LINE`: everything that produced a payment line. The calculation input the
 * line was computed from (calc_basis), the per-day detail and the rounding arithmetic recomputed
 * from it, the hold reasons in plain English, the credit it was paid in and its runs.
 */
import { managerOf, type Db } from '@dpb/persistence';
import { formatPence, type Pence } from '@dpb/common';
import type { DirectPaymentForCalc } from '../rules';
import { calcBasis, creditById, otherCalcBases, paymentLine, runDateAndState, type RunState } from '../run/payment-run.repository';
import { listOfficerActions, type OfficerActionView } from './officer-action.repository';
import { OfficerRefusal, assertLineId } from './errors';
import { calcFromJson } from '../run/calc-basis';
import { explainPeriodAmount, type PeriodExplanation } from './explain-amount';
import { describeHolds, type HoldReasonText } from './hold-text';
import type { LineCore, LineState } from './lines';
import { deductionsOfRun } from '@dpb/cases/recovery.repository';

export interface LineExplanation {
  line: LineCore & {
    state: LineState;
    decidedBy: string | null;
    decidedAt: string | null;
    facts: Record<string, unknown>;
  };
  basis: { hash: string; calc: DirectPaymentForCalc } | null;
  /**
   * The period amount recomputed from `basis` (REGULAR and ADJUSTMENT lines; null for ONE_OFF).
   * For an ADJUSTMENT this is the recomputed whole-period amount the adjustment tops up to.
   */
  amount: PeriodExplanation | null;
  /** What the line's stored amounts are, in words (one-off amount, adjustment difference). */
  derivation: string[];
  /** Whether the recomputation reproduces the stored amounts (REGULAR, ONE_OFF). */
  reproduces: boolean | null;
  notes: string[];
  holds: HoldReasonText[];
  credit: { paymentRef: string; endToEndId: string; amountPence: Pence; runId: string } | null;
  run: { runId: string; runDate: string; state: RunState };
  /** The run that paid the line (its own run, or the run an officer's release put it in). */
  paidInRun: { runId: string; runDate: string; state: RunState } | null;
  officerActions: OfficerActionView[];
}

export async function explainLine(db: Db, rawId: string): Promise<LineExplanation> {
  const id = assertLineId(rawId);
  const m = managerOf(db);
  const l = await paymentLine(m, id);
  if (!l) throw new OfficerRefusal('NOT_FOUND', `line ${id} not found`);
  const runOf = async (runId: string) => {
    const r = await runDateAndState(m, runId);
    return { runId: r.run_id, runDate: r.run_date, state: r.state };
  };
  const basisRow = await calcBasis(m, l.council, l.basis_hash);
  const stored = { gross: BigInt(l.gross_pence), contribution: BigInt(l.contribution_pence), payable: BigInt(l.payable_pence) };
  const notes: string[] = [];
  const derivation: string[] = [];
  let basis: LineExplanation['basis'] = basisRow ? { hash: l.basis_hash, calc: calcFromJson(basisRow.calc) } : null;
  let amount: PeriodExplanation | null = null;
  let reproduces: boolean | null = null;
  const period = { start: l.period_start, end: l.period_end };

  if (!basis) notes.push(`the calculation input ${l.basis_hash.slice(0, 12)} of this line is not stored; the arithmetic cannot be shown`);
  if (basis && l.kind === 'REGULAR') {
    amount = explainPeriodAmount(basis.calc, period);
    reproduces = sameAmounts(amount, stored);
    if (!reproduces && l.released_run_id && l.decided_by) {
      // An officer-released line is recomputed, from the record as it was, in the run that pays
      // it; show the stored calculation input of the same DP that reproduces the paid amount.
      const others = await otherCalcBases(m, l.council, l.dp_id, l.basis_hash);
      for (const o of others) {
        const calc = calcFromJson(o.calc);
        const again = explainPeriodAmount(calc, period);
        if (sameAmounts(again, stored)) {
          notes.push(`amount recomputed when released into run ${l.released_run_id}, from a later version of the care record (basis ${o.basis_hash.slice(0, 12)}); the line was first computed from basis ${l.basis_hash.slice(0, 12)}`);
          basis = { hash: o.basis_hash, calc };
          amount = again;
          reproduces = true;
          break;
        }
      }
    }
    if (!reproduces) notes.push('the recomputed amount differs from the stored one: the care record changed after this line was computed');
  } else if (basis && l.kind === 'ADJUSTMENT') {
    amount = explainPeriodAmount(basis.calc, period);
    const released = typeof l.facts.releasedPayablePence === 'string' ? BigInt(l.facts.releasedPayablePence) : null;
    const recomputed = typeof l.facts.recomputedPayablePence === 'string' ? BigInt(l.facts.recomputedPayablePence) : null;
    if (released !== null && recomputed !== null) {
      derivation.push(`adjustment = recomputed payable ${formatPence(recomputed)} - already released ${formatPence(released)} = ${formatPence(recomputed - released)} (stored ${formatPence(stored.payable)})`);
    }
    derivation.push('each amount of an ADJUSTMENT is the recomputed amount minus the sum of the released lines for the same DP and period');
  } else if (basis && l.kind === 'ONE_OFF') {
    const o = basis.calc.oneOffs.find((x) => x.id === l.one_off_id);
    if (o) {
      derivation.push(`one-off ${o.id} (${o.reason}) dated ${o.payDate}: ${formatPence(o.amountPence)}, paid in full, no contribution`);
      reproduces = o.amountPence === stored.payable && stored.contribution === 0n;
    } else {
      notes.push(`one-off ${l.one_off_id ?? ''} is no longer in the calculation input`);
      reproduces = false;
    }
  }
  if (l.state === 'HELD') notes.push('held: not in any payment file until an officer releases it (then recomputed and paid in the next run)');
  if (l.state === 'CANCELLED') notes.push('cancelled by an officer: never paid');
  if (l.state === 'RELEASED' && !l.released_run_id) notes.push('released by an officer: it will be recomputed and paid in the next run');
  if (l.state === 'RELEASED' && stored.payable === 0n) notes.push('payable is 0: recorded (it takes its period) but never written to a payment file');

  let credit: LineExplanation['credit'] = null;
  if (l.credit_id) {
    const c = await creditById(m, l.credit_id);
    if (c) credit = { paymentRef: c.payment_ref, endToEndId: c.end_to_end_id, amountPence: BigInt(c.amount_pence), runId: c.run_id };
  }
  // APPROVED cases recovered from the DP's payments in the run that paid this line (docs/reclaims.md).
  if (l.released_run_id) {
    for (const d of await deductionsOfRun(m, l.released_run_id, l.dp_id)) {
      notes.push(`recovery case ${d.caseId} (${d.reason}): ${formatPence(d.amountPence)} taken from DP ${d.dpId}'s payments in run ${l.released_run_id}, ${d.outstandingPence === 0n ? 'fully recovered' : `${formatPence(d.outstandingPence)} still to recover`}; the credit is net of it`);
    }
  }
  return {
    line: {
      id: l.id,
      council: l.council,
      dpId: l.dp_id,
      personId: l.person_id,
      payeeId: l.payee_id,
      kind: l.kind,
      frequency: l.frequency,
      periodStart: l.period_start,
      periodEnd: l.period_end,
      oneOffId: l.one_off_id,
      grossPence: stored.gross,
      contributionPence: stored.contribution,
      payablePence: stored.payable,
      state: l.state,
      decidedBy: l.decided_by,
      decidedAt: l.decided_at ? new Date(l.decided_at).toISOString() : null,
      facts: l.facts,
    },
    basis,
    amount,
    derivation,
    reproduces,
    notes,
    holds: describeHolds(l.hold_reasons),
    credit,
    run: await runOf(l.run_id),
    paidInRun: l.released_run_id ? await runOf(l.released_run_id) : null,
    officerActions: await listOfficerActions(m, 'LINE', l.id),
  };
}

function sameAmounts(a: PeriodExplanation, s: { gross: Pence; contribution: Pence; payable: Pence }): boolean {
  return a.arithmetic.grossPence === s.gross && a.arithmetic.contributionPence === s.contribution && a.arithmetic.payablePence === s.payable;
}
