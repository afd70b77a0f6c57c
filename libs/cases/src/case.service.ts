/**
 * The officer-case service: stages record findings (`openOrUpdate`, idempotent), officers move
 * cases through the workflow (`propose`, `approve`, `reject`, `close`), every step written to
 * the case's history under the person (or `system:<stage>`) who took it, refusals included.
 */
import type { EntityManager } from 'typeorm';
import { isCivilDate, type Pence } from '@dpb/common';
import { managerOf, type Db } from '@dpb/persistence';
import { OfficerRefusal, normaliseOfficer, type DecisionContext } from '@dpb/payments/officer';
import * as repo from './case.repository';
import { keyOf, planFindings, subjectOf, type ActiveCase } from './finding-plan';
import { recoveryOfCase } from './recovery.repository';
import {
  CASE_KINDS,
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

/** The (council, kind) locks findings need, in the one order every writer takes them. */
function lockOrder(findings: readonly CaseFinding[]): { council: string; kind: CaseKind }[] {
  const seen = new Map<string, { council: string; kind: CaseKind }>();
  for (const f of findings) seen.set(`${f.council}\u0000${f.kind}`, { council: f.council, kind: f.kind });
  return [...seen.values()].sort((a, b) => (a.council < b.council ? -1 : a.council > b.council ? 1 : CASE_KINDS.indexOf(a.kind) - CASE_KINDS.indexOf(b.kind)));
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
    const [r] = await this.openOrUpdateMany([f]);
    return r;
  }

  /**
   * Records findings as `openOrUpdate` would one after another (each sees what the earlier ones
   * did; the rule is `planFindings`), in a few set-based statements: the council's kinds are
   * locked in one fixed order (so two writers wait for each other, never deadlock), the known
   * keys and the DPs' active cases read at once, then one insert or update per table. Answers
   * one result per finding, in order.
   */
  async openOrUpdateMany(findings: readonly CaseFinding[]): Promise<FindingResult[]> {
    findings.forEach(checkFinding);
    if (!findings.length) return [];
    return managerOf(this.db).transaction(async (t) => {
      for (const { council, kind } of lockOrder(findings)) await repo.lockCaseKind(t, council, kind);
      const keys = await repo.casesByKeys(t, findings);
      const recorded = new Map(keys.map((k) => [keyOf(k.council, k.kind, k.dedup_key), k.case_id]));
      const subjects = new Map<string, repo.DpKind>();
      for (const f of findings) {
        if (f.mergeIntoActive && f.dpId !== null && !recorded.has(keyOf(f.council, f.kind, f.dedupKey))) {
          subjects.set(subjectOf(f.council, f.dpId, f.kind), { council: f.council, dpId: f.dpId, kind: f.kind });
        }
      }
      const active = new Map<string, ActiveCase>();
      // In id order: the newest of a DP's active cases of a kind is the one kept.
      for (const r of await repo.activeCasesOfDps(t, [...subjects.values()])) {
        active.set(subjectOf(r.council, r.dp_id as string, r.kind), { id: r.id, council: r.council, dpId: r.dp_id as string, kind: r.kind, status: r.status, escalated: r.escalated, updatedOn: r.updated_on });
      }
      const plan = planFindings(findings, recorded, active);
      const ids = await repo.newCaseIds(t, plan.opened.length);
      plan.opened.forEach((c, i) => (c.id = ids[i]));
      const id = (c: { id: string | null }): string => c.id as string;
      await repo.insertCases(
        t,
        plan.opened.map((c) => ({
          id: id(c), council: c.council, dpId: c.dpId, kind: c.kind, amountPence: c.amountPence, on: c.openedOn, updatedOn: c.updatedOn, escalated: c.escalated, source: c.source, detail: c.detail,
        })),
      );
      const inserted = new Set((await repo.insertCaseKeys(t, plan.keys.map((k) => ({ ...k, caseId: id(k.target) })))).map((k) => keyOf(k.council, k.kind, k.dedupKey)));
      const lost = plan.keys.find((k) => k.mustBeNew && !inserted.has(keyOf(k.council, k.kind, k.dedupKey)));
      // Unreachable under the lock; the key's primary key is the guarantee either way.
      if (lost) throw new Error(`case finding ${lost.kind}: dedup key taken concurrently`);
      await repo.updateFromFindings(t, plan.updated.map((c) => ({ caseId: id(c), amountPence: c.amountPence, escalate: c.escalated, on: c.updatedOn, detail: c.detail })));
      await repo.appendEvidence(t, plan.evidence.map((e) => ({ caseId: id(e.target), type: e.evidence.type, id: e.evidence.id })));
      await repo.insertCaseEvents(
        t,
        plan.events.map((e) => ({
          caseId: id(e.target), actor: e.actor, action: e.action, outcome: 'DONE' as const, statusBefore: e.statusBefore, statusAfter: e.statusAfter, amountPence: e.amountPence, detail: e.detail,
        })),
      );
      return plan.results.map((r) => ({ caseId: id(r.target), outcome: r.outcome }));
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
