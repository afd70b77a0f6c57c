/**
 * The officer-case service: stages record findings (`openOrUpdate`, idempotent), officers move
 * cases through the workflow (`propose`, `approve`, `reject`, `close`), every step written to
 * the case's history under the person (or `system:<stage>`) who took it, refusals included.
 */
import type { EntityManager } from 'typeorm';
import { isCivilDate, type Pence } from '@dpb/common';
import { OfficerRefusal, managerOf, normaliseOfficer, type Db, type DecisionContext } from '@dpb/payments/officer';
import * as repo from './case.repository';
import { recoveryOfCase } from './recovery.repository';
import {
  isCaseKind,
  isCaseStatus,
  type CaseFilters,
  type CaseFinding,
  type CaseKind,
  type CaseSummary,
  type CaseView,
  type FindingResult,
} from './model';
import { caseTransition, type OfficerCaseAction } from './transitions';

export interface CaseDecision {
  caseId: string;
  council: string;
  kind: CaseSummary['kind'];
  outcome: 'DONE' | 'ALREADY_DONE';
  status: CaseSummary['status'];
  amountPence: Pence | null;
  by: string;
}

export interface ProposeOptions extends DecisionContext {
  /** The amount proposed (amends the case's amount); omitted keeps the case's amount. */
  amountPence?: Pence | null;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

function assertCaseId(id: string): string {
  const s = String(id).trim();
  if (!/^[1-9]\d{0,17}$/.test(s)) throw new OfficerRefusal('BAD_INPUT', 'case id: must be a positive whole number');
  return s;
}

function checkFinding(f: CaseFinding): void {
  if (!isCaseKind(f.kind)) throw new Error(`case finding: unknown kind ${String(f.kind)}`);
  if (!KEY.test(f.dedupKey)) throw new Error(`case finding ${f.kind}: dedupKey must be 1-200 printable characters`);
  if (!isCivilDate(f.on)) throw new Error(`case finding ${f.kind}: on must be a date`);
  if (f.amountPence !== null && typeof f.amountPence !== 'bigint') throw new Error(`case finding ${f.kind}: amountPence must be bigint pence or null`);
}

export class CaseService {
  constructor(private readonly db: Db) {}

  /**
   * Records a finding. The same `dedupKey` (per council and kind) never opens a second case: a
   * re-run answers UNCHANGED. With `mergeIntoActive`, a DP's OPEN or PROPOSED case of the kind
   * takes the finding (UPDATED: amount while OPEN, evidence appended, escalation). Runs in the
   * caller's transaction when given an EntityManager inside one.
   */
  async openOrUpdate(f: CaseFinding): Promise<FindingResult> {
    checkFinding(f);
    return managerOf(this.db).transaction(async (t) => {
      await repo.lockCaseKind(t, f.council, f.kind);
      const actor = `system:${f.source}`;
      const known = await repo.caseIdByKey(t, f.council, f.kind, f.dedupKey);
      if (known) return { caseId: known, outcome: 'UNCHANGED' as const };
      const active = f.mergeIntoActive && f.dpId ? await repo.activeCaseOfDp(t, f.council, f.dpId, f.kind) : null;
      if (active) {
        await repo.insertCaseKey(t, f.council, f.kind, f.dedupKey, active.id);
        const amount = active.status === 'OPEN' ? f.amountPence : null;
        const after = await repo.updateFromFinding(t, active.id, { amountPence: amount, escalate: !!f.escalate, on: f.on, detail: f.detail ?? {} });
        await repo.appendEvidence(t, active.id, f.evidence);
        await repo.insertCaseEvent(t, {
          caseId: active.id, actor, action: 'UPDATE', outcome: 'DONE', statusBefore: active.status, statusAfter: after.status,
          amountPence: f.amountPence, detail: { dedupKey: f.dedupKey },
        });
        if (after.escalated && !active.escalated) {
          await repo.insertCaseEvent(t, { caseId: active.id, actor, action: 'ESCALATE', outcome: 'DONE', statusBefore: after.status, statusAfter: after.status, amountPence: null });
        }
        return { caseId: active.id, outcome: 'UPDATED' as const };
      }
      const row = await repo.insertCase(t, {
        council: f.council, dpId: f.dpId, kind: f.kind, amountPence: f.amountPence, on: f.on, escalated: !!f.escalate, source: f.source, detail: f.detail ?? {},
      });
      if (!(await repo.insertCaseKey(t, f.council, f.kind, f.dedupKey, row.id))) {
        // Unreachable under the lock; the key's primary key is the guarantee either way.
        throw new Error(`case finding ${f.kind}: dedup key taken concurrently`);
      }
      await repo.appendEvidence(t, row.id, f.evidence);
      await repo.insertCaseEvent(t, {
        caseId: row.id, actor, action: 'OPEN', outcome: 'DONE', statusBefore: null, statusAfter: 'OPEN', amountPence: f.amountPence, detail: { dedupKey: f.dedupKey },
      });
      return { caseId: row.id, outcome: 'OPENED' as const };
    });
  }

  /** OPEN (or PROPOSED, REJECTED) -> PROPOSED, by `by`, optionally with an amended amount. */
  propose(id: string, by: string, opts: ProposeOptions = {}): Promise<CaseDecision> {
    const amount = opts.amountPence ?? null;
    if (amount !== null && (typeof amount !== 'bigint' || amount < 0n)) throw new OfficerRefusal('BAD_INPUT', 'amount: must be whole pence, 0 or more');
    return this.decide(id, by, 'PROPOSE', opts, (t, c, who) => repo.setProposed(t, c.id, who, amount), amount);
  }

  /** PROPOSED -> APPROVED; refused (FOUR_EYES) when `by` proposed it. */
  approve(id: string, by: string, ctx: DecisionContext = {}): Promise<CaseDecision> {
    return this.decide(id, by, 'APPROVE', ctx, (t, c, who) => repo.setDecided(t, c.id, 'APPROVED', who));
  }

  /** PROPOSED -> REJECTED; refused (FOUR_EYES) when `by` proposed it. */
  reject(id: string, by: string, ctx: DecisionContext = {}): Promise<CaseDecision> {
    return this.decide(id, by, 'REJECT', ctx, (t, c, who) => repo.setDecided(t, c.id, 'REJECTED', who));
  }

  /** Any status -> CLOSED (closing a DEATH case lifts the hold on the person's DPs). */
  close(id: string, by: string, ctx: DecisionContext = {}): Promise<CaseDecision> {
    return this.decide(id, by, 'CLOSE', ctx, (t, c, who) => repo.setClosed(t, c.id, who));
  }

  async list(filters: CaseFilters = {}): Promise<CaseSummary[]> {
    if (filters.kind !== undefined && !isCaseKind(filters.kind)) throw new OfficerRefusal('BAD_INPUT', 'kind: not a case kind');
    if (filters.status !== undefined && !isCaseStatus(filters.status)) throw new OfficerRefusal('BAD_INPUT', 'status: not a case status');
    const m = managerOf(this.db);
    const rows = await repo.listCaseRows(m, filters);
    const evidence = await repo.evidenceOf(m, rows.map((r) => r.id));
    return rows.map((r) => repo.toSummary(r, evidence.get(r.id) ?? []));
  }

  async show(rawId: string): Promise<CaseView> {
    const id = assertCaseId(rawId);
    const m = managerOf(this.db);
    const row = await repo.caseById(m, id);
    if (!row) throw new OfficerRefusal('NOT_FOUND', `case ${id} not found`);
    const evidence = (await repo.evidenceOf(m, [id])).get(id) ?? [];
    const recovery = await recoveryOfCase(m, row.council, id);
    return { ...repo.toSummary(row, evidence), history: await repo.historyOf(m, id), ...(recovery ? { recovery } : {}) };
  }

  /** Of `keys`, those a finding of this council and kind has already recorded. */
  knownKeys(council: string, kind: CaseKind, keys: readonly string[]): Promise<Set<string>> {
    return repo.knownKeys(managerOf(this.db), council, kind, keys);
  }

  /** The findings (by dedup key) not yet recorded: a stage skips the rest without a transaction each. */
  async newFindings(findings: readonly CaseFinding[]): Promise<CaseFinding[]> {
    const out: CaseFinding[] = [];
    const groups = new Map<string, CaseFinding[]>();
    for (const f of findings) {
      const k = `${f.council}\u0000${f.kind}`;
      const g = groups.get(k);
      if (g) g.push(f);
      else groups.set(k, [f]);
    }
    for (const g of groups.values()) {
      const known = await this.knownKeys(g[0].council, g[0].kind, g.map((f) => f.dedupKey));
      out.push(...g.filter((f) => !known.has(f.dedupKey)));
    }
    return out;
  }

  /** DPs whose lines a DEATH case holds (a case not yet CLOSED names them). */
  dpsHeldForDeath(council: string): Promise<Set<string>> {
    return repo.dpsWithOpenDeathCase(managerOf(this.db), council);
  }

  /** Cases a stage opened on a night, by kind. */
  openedOn(council: string, on: string, source: string): Promise<Record<string, number>> {
    return repo.casesOpenedOn(managerOf(this.db), council, on, source);
  }

  private async decide(
    rawId: string,
    rawBy: string,
    action: OfficerCaseAction,
    ctx: DecisionContext,
    apply: (t: EntityManager, c: repo.CaseRow, by: string) => Promise<repo.CaseRow>,
    amount: Pence | null = null,
  ): Promise<CaseDecision> {
    const id = assertCaseId(rawId);
    const by = normaliseOfficer(rawBy);
    const m = managerOf(this.db);
    let refused: { council: string; status: repo.CaseRow['status']; code: 'CASE_STATUS' | 'FOUR_EYES'; message: string } | null = null;
    const decision = await m.transaction(async (t) => {
      const c = await repo.caseById(t, id, true);
      if (!c) throw new OfficerRefusal('NOT_FOUND', `case ${id} not found`);
      const v = caseTransition({ status: c.status, proposedBy: c.proposed_by, decidedBy: c.decided_by, closedBy: c.closed_by }, action, by);
      const detail = { via: ctx.via ?? null };
      if (v.kind === 'REFUSED') {
        refused = { council: c.council, status: c.status, code: v.code, message: v.message };
        await repo.insertCaseEvent(t, { caseId: id, actor: by, action, outcome: 'REFUSED', statusBefore: c.status, statusAfter: c.status, amountPence: amount, reason: v.code, detail });
        return null;
      }
      const after = v.kind === 'DONE' ? await apply(t, c, by) : c;
      await repo.insertCaseEvent(t, {
        caseId: id, actor: by, action, outcome: v.kind, statusBefore: c.status, statusAfter: after.status,
        amountPence: after.amount_pence === null ? null : BigInt(after.amount_pence), reason: ctx.reason ?? null, detail,
      });
      return {
        caseId: id,
        council: after.council,
        kind: after.kind,
        outcome: v.kind,
        status: after.status,
        amountPence: after.amount_pence === null ? null : BigInt(after.amount_pence),
        by,
      } satisfies CaseDecision;
    });
    if (!decision) {
      const r = refused as unknown as { council: string; status: string; code: 'CASE_STATUS' | 'FOUR_EYES'; message: string };
      throw new OfficerRefusal(r.code, `case ${id}: ${r.message}`, r.council);
    }
    return decision;
  }
}
