/**
 * Payment runs as officers see them: listed, a HELD run's holds released (the run becomes
 * RELEASED, or AWAITING_APPROVAL where the council's releaseMode is `authorise`), and a run
 * awaiting approval approved by a second officer (four eyes). Building and delivering the files of
 * a run that became RELEASED is the caller's job (pipeline officer-actions: deliverRun).
 */
import type { EntityManager } from 'typeorm';
import type { Pence } from '@dpb/common';
import type { RunState } from '../run/payment-run.repository';
import { recordOfficerAction } from './officer-action.repository';
import { lockCouncil, managerOf, type Db } from '@dpb/persistence';
import { approveRunRow, councilOfRun, listRunRows, releaseRunHolds, runForUpdate, type PaymentRunRow as RunRow } from '../run/payment-run.repository';
import { OfficerRefusal, assertRunId, normaliseOfficer, sameOfficer } from './errors';
import { describeHolds, type HoldReasonText } from './hold-text';
import type { DecisionContext } from './lines';

export interface RunView {
  runId: string;
  council: string;
  runDate: string;
  sequence: number;
  state: RunState;
  holds: HoldReasonText[];
  holdsReleasedBy: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  /** Lines the run created plus held lines released into it. */
  lines: number;
  /** Of those, lines still held (waiting for an officer). */
  heldLines: number;
  credits: number;
  /** Paid in this run: released lines whose released_run_id is this run. */
  payablePence: Pence;
  /** Still held (lines of this run waiting for an officer). */
  heldPence: Pence;
  /** What an officer must do next, if anything. */
  needs: 'RELEASE' | 'APPROVAL' | null;
}

export interface RunFilters {
  state?: RunState;
  limit?: number;
}

/** Runs, newest first; `council` undefined lists every council. */
export async function listRuns(db: Db, council?: string, filters: RunFilters = {}): Promise<RunView[]> {
  const limit = Math.min(Math.max(filters.limit ?? 100, 1), 1000);
  const rows = await listRunRows(managerOf(db), { council, state: filters.state, limit });
  return rows.map((r) => ({
    ...runBase(r),
    lines: r.lines,
    heldLines: r.held,
    credits: r.credits,
    payablePence: BigInt(r.payable),
    heldPence: BigInt(r.held_pence),
  }));
}

function runBase(r: RunRow) {
  return {
    runId: r.run_id,
    council: r.council,
    runDate: r.run_date,
    sequence: r.sequence,
    state: r.state,
    holds: describeHolds(r.hold_reasons),
    holdsReleasedBy: r.holds_released_by,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at ? new Date(r.approved_at).toISOString() : null,
    needs: r.state === 'HELD' ? ('RELEASE' as const) : r.state === 'AWAITING_APPROVAL' ? ('APPROVAL' as const) : null,
  };
}

export interface RunDecision {
  runId: string;
  council: string;
  outcome: 'RELEASED' | 'AWAITING_APPROVAL' | 'APPROVED' | 'ALREADY_RELEASED' | 'ALREADY_APPROVED';
  state: RunState;
  holdsReleasedBy: string | null;
  approvedBy: string | null;
  /** The run is RELEASED (not yet DELIVERED): its files must be built and delivered now. */
  deliver: boolean;
}

/** The release mode in force for a council (its settings); undefined = council not configured. */
export type ReleaseModeOf = (council: string) => 'auto' | 'authorise' | undefined;

/** Releases a HELD run's holds. */
export async function releaseRun(db: Db, runId: string, officer: string, releaseModeOf: ReleaseModeOf, ctx: DecisionContext = {}): Promise<RunDecision> {
  return decideRun(db, runId, officer, 'RUN_RELEASE', ctx, async (t, run, who) => {
    if (run.holds_released_by) return { outcome: 'ALREADY_RELEASED', run };
    if (run.state !== 'HELD') {
      throw new OfficerRefusal(
        'RUN_NOT_HELD',
        run.state === 'AWAITING_APPROVAL' ? `run ${run.run_id} is not held; it awaits approval (dpbridge runs approve)` : `run ${run.run_id} is not held (state ${run.state})`,
        run.council,
      );
    }
    const mode = releaseModeOf(run.council);
    if (!mode) throw new OfficerRefusal('UNKNOWN_COUNCIL', `council ${run.council} of run ${run.run_id} is not configured`, run.council);
    const next: RunState = mode === 'authorise' ? 'AWAITING_APPROVAL' : 'RELEASED';
    const after = await releaseRunHolds(t, run.run_id, next, who);
    return { outcome: next === 'RELEASED' ? 'RELEASED' : 'AWAITING_APPROVAL', run: after };
  });
}

/** Approves a run awaiting approval; the approver may not be the officer who released its holds. */
export async function approveRun(db: Db, runId: string, officer: string, ctx: DecisionContext = {}): Promise<RunDecision> {
  return decideRun(db, runId, officer, 'RUN_APPROVE', ctx, async (t, run, who) => {
    if (run.approved_by) return { outcome: 'ALREADY_APPROVED', run };
    if (run.state === 'HELD') throw new OfficerRefusal('RUN_HELD', `run ${run.run_id} is held; release its holds first (dpbridge runs release)`, run.council);
    if (run.state !== 'AWAITING_APPROVAL') {
      throw new OfficerRefusal('NOT_AWAITING_APPROVAL', `run ${run.run_id} does not await approval (state ${run.state})`, run.council);
    }
    if (sameOfficer(run.holds_released_by, who)) {
      throw new OfficerRefusal('FOUR_EYES', `run ${run.run_id}: the officer who released its holds may not approve it (four-eyes rule)`, run.council);
    }
    const after = await approveRunRow(t, run.run_id, who);
    return { outcome: 'APPROVED', run: after };
  });
}

async function decideRun(
  db: Db,
  rawRunId: string,
  rawOfficer: string,
  action: 'RUN_RELEASE' | 'RUN_APPROVE',
  ctx: DecisionContext,
  decide: (t: EntityManager, run: RunRow, officer: string) => Promise<{ outcome: RunDecision['outcome']; run: RunRow }>,
): Promise<RunDecision> {
  const runId = assertRunId(rawRunId);
  const officer = normaliseOfficer(rawOfficer);
  const m = managerOf(db);
  try {
    return await m.transaction(async (t) => {
      const council = await councilOfRun(t, runId);
      if (council === null) throw new OfficerRefusal('NOT_FOUND', `run ${runId} not found`);
      await lockCouncil(t, 'payment-run', council);
      const run = await runForUpdate(t, runId);
      const { outcome, run: after } = await decide(t, run, officer);
      const already = outcome.startsWith('ALREADY_');
      await recordOfficerAction(t, {
        council: run.council, action, subjectKind: 'RUN', subjectId: runId, officer, outcome: already ? 'ALREADY_DONE' : 'DONE',
        stateBefore: run.state, stateAfter: after.state, reason: null, detail: { holdReasons: run.hold_reasons, via: ctx.via ?? null },
      });
      return {
        runId,
        council: after.council,
        outcome,
        state: after.state,
        holdsReleasedBy: after.holds_released_by,
        approvedBy: after.approved_by,
        deliver: after.state === 'RELEASED',
      };
    });
  } catch (e) {
    if (e instanceof OfficerRefusal && e.council) {
      await recordOfficerAction(m, {
        council: e.council, action, subjectKind: 'RUN', subjectId: runId, officer, outcome: 'REFUSED',
        stateBefore: null, stateAfter: null, reason: e.code, detail: { via: ctx.via ?? null },
      });
    }
    throw e;
  }
}
