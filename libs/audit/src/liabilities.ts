/**
 * Officers' liabilities: amounts owed from a DP's account (unpaid wages, HMRC, pension,
 * invoices) that the audit takes off the balance before the surplus. Every add and remove,
 * refused ones included, is recorded under the officer who asked (`liability_action`).
 */
import type { DataSource } from 'typeorm';
import { isCivilDate, londonDateOf, type CivilDate } from '@dpb/common';
import { OfficerRefusal, normaliseOfficer } from '@dpb/payments/officer';
import {
  LIABILITY_KINDS,
  dpExists,
  insertLiability,
  listLiabilities as listRows,
  lockLiability,
  markRemoved,
  recordLiabilityAction,
  type Liability,
  type LiabilityKind,
} from './liability.repository';

export type { Liability, LiabilityKind } from './liability.repository';
export { LIABILITY_KINDS } from './liability.repository';

export interface LiabilityContext {
  /** Where the request came from: `cli` or `api:<login>`. */
  via?: string;
  /** Today's London date (defaults to the clock). */
  today?: CivilDate;
}

export interface AddLiability {
  council: string;
  dpId: string;
  kind: string;
  amountPence: bigint;
  /** The day the amount became owed (default today). */
  owedOn?: CivilDate;
  officer: string;
}

const todayOf = (ctx: LiabilityContext) => ctx.today ?? londonDateOf(new Date().toISOString());

export async function addLiability(ds: DataSource, a: AddLiability, ctx: LiabilityContext = {}): Promise<Liability> {
  const officer = normaliseOfficer(a.officer);
  const via = ctx.via ?? 'cli';
  const refuse = async (code: 'BAD_INPUT' | 'NOT_FOUND', message: string): Promise<never> => {
    await ds.transaction((m) => recordLiabilityAction(m, { council: a.council, liabilityId: null, dpId: a.dpId, action: 'ADD', officer, outcome: 'REFUSED', via, reason: code }));
    throw new OfficerRefusal(code, message, a.council);
  };
  if (!(LIABILITY_KINDS as readonly string[]).includes(a.kind)) return refuse('BAD_INPUT', `kind: must be one of ${LIABILITY_KINDS.join(', ')}`);
  if (a.amountPence <= 0n) return refuse('BAD_INPUT', 'amount: must be more than 0');
  const owedOn = a.owedOn ?? todayOf(ctx);
  if (!isCivilDate(owedOn)) return refuse('BAD_INPUT', 'owed-on: must be a YYYY-MM-DD date');
  return ds.transaction(async (m) => {
    // The refusal is recorded after the rollback (below), so its row stays.
    if (!(await dpExists(m, a.council, a.dpId))) throw new OfficerRefusal('NOT_FOUND', `DP ${a.dpId} is not known in council ${a.council}`, a.council);
    const l = await insertLiability(m, { council: a.council, dpId: a.dpId, kind: a.kind as LiabilityKind, amountPence: a.amountPence, owedOn, officer });
    await recordLiabilityAction(m, { council: a.council, liabilityId: l.id, dpId: a.dpId, action: 'ADD', officer, outcome: 'DONE', via });
    return l;
  }).catch(async (e: unknown) => {
    if (e instanceof OfficerRefusal && e.code === 'NOT_FOUND') {
      await ds.transaction((m) => recordLiabilityAction(m, { council: a.council, liabilityId: null, dpId: a.dpId, action: 'ADD', officer, outcome: 'REFUSED', via, reason: 'NOT_FOUND' }));
    }
    throw e;
  });
}

export interface RemovedLiability {
  liability: Liability;
  outcome: 'DONE' | 'ALREADY_DONE';
}

/** Removes a liability from today (audits up to yesterday still count it). Removing it twice is a no-op. */
export async function removeLiability(ds: DataSource, id: string, officerName: string, ctx: LiabilityContext = {}): Promise<RemovedLiability> {
  const officer = normaliseOfficer(officerName);
  const via = ctx.via ?? 'cli';
  if (!/^[1-9]\d{0,17}$/.test(String(id).trim())) throw new OfficerRefusal('BAD_INPUT', 'liability id: must be a positive whole number');
  return ds.transaction(async (m) => {
    const l = await lockLiability(m, id);
    if (!l) throw new OfficerRefusal('NOT_FOUND', `liability ${id} does not exist`);
    if (l.removedBy) {
      await recordLiabilityAction(m, { council: l.council, liabilityId: l.id, dpId: l.dpId, action: 'REMOVE', officer, outcome: 'ALREADY_DONE', via });
      return { liability: l, outcome: 'ALREADY_DONE' as const };
    }
    const removedOn = todayOf(ctx);
    await markRemoved(m, l.id, officer, removedOn);
    await recordLiabilityAction(m, { council: l.council, liabilityId: l.id, dpId: l.dpId, action: 'REMOVE', officer, outcome: 'DONE', via });
    return { liability: { ...l, removedBy: officer, removedOn }, outcome: 'DONE' as const };
  });
}

export async function listLiabilities(ds: DataSource, f: { council?: string; dpId?: string; includeRemoved?: boolean } = {}): Promise<Liability[]> {
  return listRows(ds.manager, f);
}
