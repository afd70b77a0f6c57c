/**
 * Held lines: listed for officers, released (paid, recomputed, in the next run) or cancelled
 * (never paid). Only HELD lines can be decided; repeating a decision is a no-op.
 */
import type { EntityManager } from 'typeorm';
import type { Pence } from '@dpb/common';
import { recordOfficerAction } from './officer-action.repository';
import { lockCouncil, managerOf, type Db } from '@dpb/persistence';
import { councilOfLine, decideHeldLine, heldLines, lineForUpdate, type LineState, type PaymentLineRow as LineRow } from '../run/payment-run.repository';
import { OfficerRefusal, assertLineId, normaliseOfficer } from './errors';
import { describeHolds, type HoldReasonText } from './hold-text';

export type { LineState } from '../run/payment-run.repository';

export interface HeldLineFilters {
  runId?: string;
  dpId?: string;
  /** Only lines held for this reason (e.g. BANK_CHANGED). */
  reason?: string;
  limit?: number;
}

/** What officers see of any payment line (ids, period and amounts; no personal data). */
export interface LineCore {
  id: string;
  council: string;
  dpId: string;
  personId: string;
  payeeId: string;
  kind: 'REGULAR' | 'ADJUSTMENT' | 'ONE_OFF';
  frequency: string;
  periodStart: string;
  periodEnd: string;
  oneOffId: string | null;
  grossPence: Pence;
  contributionPence: Pence;
  payablePence: Pence;
}

export interface HeldLineView extends LineCore {
  runId: string;
  holds: HoldReasonText[];
}

/** Lines still HELD, oldest run first; `council` undefined lists every council. */
export async function listHeldLines(db: Db, council?: string, filters: HeldLineFilters = {}): Promise<HeldLineView[]> {
  const limit = Math.min(Math.max(filters.limit ?? 1000, 1), 10000);
  const rows = await heldLines(managerOf(db), { council, runId: filters.runId, dpId: filters.dpId, reason: filters.reason, limit });
  return rows.map(toView);
}

function toView(r: LineRow): HeldLineView {
  return {
    id: r.id,
    council: r.council,
    runId: r.run_id,
    dpId: r.dp_id,
    personId: r.person_id,
    payeeId: r.payee_id,
    kind: r.kind,
    frequency: r.frequency,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    oneOffId: r.one_off_id,
    grossPence: BigInt(r.gross_pence),
    contributionPence: BigInt(r.contribution_pence),
    payablePence: BigInt(r.payable_pence),
    holds: describeHolds(r.hold_reasons),
  };
}

export interface LineDecision {
  lineId: string;
  council: string;
  outcome: 'RELEASED' | 'CANCELLED' | 'ALREADY_RELEASED' | 'ALREADY_CANCELLED';
  state: LineState;
  decidedBy: string | null;
  decidedAt: string | null;
  /** Set once the run that pays a released line has been created. */
  releasedRunId: string | null;
}

export interface DecisionContext {
  /** How the decision arrived (cli, api), kept in the audit row. */
  via?: string;
  /** The officer's reason (cancellations). */
  reason?: string;
}

/** Releases a HELD line: it is recomputed and paid in the council's next run. */
export function releaseLine(db: Db, id: string, officer: string, ctx: DecisionContext = {}): Promise<LineDecision> {
  return decideLine(db, id, officer, 'RELEASED', ctx);
}

/** Cancels a HELD line: it keeps its (DP, period) and is never paid. */
export function cancelLine(db: Db, id: string, officer: string, ctx: DecisionContext = {}): Promise<LineDecision> {
  return decideLine(db, id, officer, 'CANCELLED', ctx);
}

async function decideLine(db: Db, rawId: string, rawOfficer: string, to: 'RELEASED' | 'CANCELLED', ctx: DecisionContext): Promise<LineDecision> {
  const id = assertLineId(rawId);
  const officer = normaliseOfficer(rawOfficer);
  const action = to === 'RELEASED' ? 'LINE_RELEASE' : 'LINE_CANCEL';
  const reason = ctx.reason?.trim().slice(0, 500) || null;
  const m = managerOf(db);
  try {
    return await m.transaction(async (t) => {
      const council = await councilOfLine(t, id);
      if (council === null) throw new OfficerRefusal('NOT_FOUND', `line ${id} not found`);
      await lockCouncil(t, 'payment-run', council);
      const line = await lineForUpdate(t, id);
      if (line.state === to && line.decided_by) {
        await audit(t, line, action, officer, 'ALREADY_DONE', line.state, reason, ctx);
        return decision(line, to === 'RELEASED' ? 'ALREADY_RELEASED' : 'ALREADY_CANCELLED');
      }
      if (line.state === 'CANCELLED') throw new OfficerRefusal('LINE_CANCELLED', `line ${id} was cancelled; a cancelled line is never paid`, line.council);
      if (line.state === 'RELEASED') {
        throw new OfficerRefusal('LINE_RELEASED', `line ${id} is not held (it was released${line.released_run_id ? ` into run ${line.released_run_id}` : ''})`, line.council);
      }
      const after = await decideHeldLine(t, id, to, officer);
      await audit(t, after, action, officer, 'DONE', 'HELD', reason, ctx);
      return decision(after, to);
    });
  } catch (e) {
    if (e instanceof OfficerRefusal && e.council) {
      await recordOfficerAction(m, {
        council: e.council, action, subjectKind: 'LINE', subjectId: id, officer, outcome: 'REFUSED',
        stateBefore: null, stateAfter: null, reason: e.code, detail: { via: ctx.via ?? null },
      });
    }
    throw e;
  }
}

function audit(t: EntityManager, l: LineRow, action: 'LINE_RELEASE' | 'LINE_CANCEL', officer: string, outcome: 'DONE' | 'ALREADY_DONE', before: string, reason: string | null, ctx: DecisionContext) {
  return recordOfficerAction(t, {
    council: l.council, action, subjectKind: 'LINE', subjectId: l.id, officer, outcome, stateBefore: before, stateAfter: l.state, reason,
    detail: { runId: l.run_id, dpId: l.dp_id, kind: l.kind, periodStart: l.period_start, holdReasons: l.hold_reasons, via: ctx.via ?? null },
  });
}

function decision(l: LineRow, outcome: LineDecision['outcome']): LineDecision {
  return {
    lineId: l.id,
    council: l.council,
    outcome,
    state: l.state,
    decidedBy: l.decided_by,
    decidedAt: l.decided_at ? new Date(l.decided_at).toISOString() : null,
    releasedRunId: l.released_run_id,
  };
}
