import type { EntityManager } from 'typeorm';
import { blockPayeeBankDetails, countUnmatchedReturns, markReturnMatched, openDeathAlert, returnMatchCandidates } from './bacs-return.repository';

export interface ReturnMatchSummary {
  matched: number;
  unmatched: number;
  payeesBlocked: number;
  deathAlerts: number;
  amountDisagrees: number;
}

/**
 * Matches every UNMATCHED Bacs return of a council to the credit it returns: by EndToEndId first
 * (the return's EndToEndId, or its reference when the bank put our EndToEndId there), else by
 * payment reference (upper-cased, trimmed). A match blocks the payee's bank details
 * (`payee.bacs_return_blocked`, so the payment stage holds that payee's lines); a deceased reason
 * (ARUCS 2, ISO MD07) also opens a DEATH_WORKFLOW `return_alert` (one open per payee).
 * A return whose amount differs from the credit is still matched (the payee is blocked either
 * way) and flagged `amount_agrees = false` for reconciliation. Idempotent: run it as often as needed.
 */
export async function matchReturns(m: EntityManager, council: string): Promise<ReturnMatchSummary> {
  const cand = await returnMatchCandidates(m, council);
  const out: ReturnMatchSummary = { matched: 0, unmatched: 0, payeesBlocked: 0, deathAlerts: 0, amountDisagrees: 0 };
  for (const c of cand) {
    await markReturnMatched(m, c);
    out.matched++;
    if (!c.agrees) out.amountDisagrees++;
    if (await blockPayeeBankDetails(m, council, c.payee_id)) out.payeesBlocked++;
    if (c.deceased && (await openDeathAlert(m, council, c.id, c.payee_id))) out.deathAlerts++;
  }
  out.unmatched = await countUnmatchedReturns(m, council);
  return out;
}
