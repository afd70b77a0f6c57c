/**
 * Payment runs as officers see them: listed, a HELD run's holds released (the run becomes
 * RELEASED, or AWAITING_APPROVAL where the council's releaseMode is `authorise`), and a run
 * awaiting approval approved by a second officer (four eyes). Building and delivering the files of
 * a run that became RELEASED is the caller's job (pipeline officer-actions: deliverRun).
 */
import type { EntityManager } from 'typeorm';
import type { Pence } from '@dpb/common';
import type { RunState } from '../run/service';
import { recordOfficerAction } from './audit';
import { lockCouncil } from '@dpb/persistence';
import { managerOf, updateReturning, type Db } from './db';
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

interface RunRow {
  run_id: string;
  council: string;
  run_date: string;
  sequence: number;
  state: RunState;
  hold_reasons: string[];
  holds_released_by: string | null;
  approved_by: string | null;
  approved_at: Date | null;
}

export interface RunFilters {
  state?: RunState;
  limit?: number;
}

/** Runs, newest first; `council` undefined lists every council. */
export async function listRuns(db: Db, council?: string, filters: RunFilters = {}): Promise<RunView[]> {
  const where: string[] = ['true'];
  const args: unknown[] = [];
  if (council) {
    args.push(council);
    where.push(`r.council = $${args.length}`);
  }
  if (filters.state) {
    args.push(filters.state);
    where.push(`r.state = $${args.length}`);
  }
  const limit = Math.min(Math.max(filters.limit ?? 100, 1), 1000);
  const rows: (RunRow & { lines: number; held: number; credits: number; payable: string; held_pence: string })[] = await managerOf(db).query(
    `SELECT r.run_id, r.council, r.run_date, r.sequence, r.state, r.hold_reasons, r.holds_released_by, r.approved_by, r.approved_at,
            coalesce(l.lines, 0) AS lines, coalesce(l.held, 0) AS held, coalesce(l.payable, 0) AS payable, coalesce(l.held_pence, 0) AS held_pence,
            (SELECT count(*)::int FROM credit c WHERE c.run_id = r.run_id) AS credits
       FROM payment_run r
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS lines, count(*) FILTER (WHERE state = 'HELD')::int AS held,
                sum(payable_pence) FILTER (WHERE state = 'RELEASED' AND released_run_id = r.run_id) AS payable,
                sum(payable_pence) FILTER (WHERE state = 'HELD') AS held_pence
           FROM payment_line WHERE run_id = r.run_id OR released_run_id = r.run_id) l ON true
      WHERE ${where.join(' AND ')}
      ORDER BY r.run_date DESC, r.council, r.sequence DESC
      LIMIT ${limit}`,
    args,
  );
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
    const [after]: RunRow[] = await updateReturning<RunRow>(
      t,
      `UPDATE payment_run SET state = $2, holds_released_by = $3 WHERE run_id = $1 AND state = 'HELD' RETURNING *`,
      [run.run_id, next, who],
    );
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
    const [after]: RunRow[] = await updateReturning<RunRow>(
      t,
      `UPDATE payment_run SET state = 'RELEASED', approved_by = $2, approved_at = now() WHERE run_id = $1 AND state = 'AWAITING_APPROVAL' RETURNING *`,
      [run.run_id, who],
    );
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
      const [found]: { council: string }[] = await t.query(`SELECT council FROM payment_run WHERE run_id = $1`, [runId]);
      if (!found) throw new OfficerRefusal('NOT_FOUND', `run ${runId} not found`);
      await lockCouncil(t, 'payment-run', found.council);
      const [run]: RunRow[] = await t.query(`SELECT * FROM payment_run WHERE run_id = $1 FOR UPDATE`, [runId]);
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
