/**
 * Recoveries from APPROVED cases. Each case's method is chosen once, from the council's settings
 * (`recoveryMethodByReason`, else `recoveryMethod`), and kept: `invoice` raises one RECOVERY
 * invoice per case (the database refuses a second), to the DP's person, for the approved amount,
 * with the reason code; `offset` raises nothing here: the next payment runs take the amount from
 * the DP's payments (plan.ts, deductRecoveries). Nothing is recovered before an officer's approval
 * (the cases' four-eyes rule applies there).
 */
import type { DataSource } from 'typeorm';
import type { Pence } from '@dpb/common';
import { CaseService } from '@dpb/cases';
import { chooseRecoveryMethods, stalledOffsetRecoveries } from '@dpb/cases/recovery.repository';
import type { CouncilSettings } from '@dpb/payments/rules';
import { insertInvoice, invoicedCases, lockCouncilInvoices, personsOfDps } from './invoice.repository';
import { recoveryFromCase, recoveryInvoiceId, recoveryMethodOf } from './rules/recovery';

export interface RecoverySummary {
  raised: string[];
  totalPence: Pence;
  /** Cases newly set to be recovered from later payments. */
  offset: string[];
  /** OFFSET cases with an amount outstanding whose DP has no later payments (left for an officer). */
  stalled: string[];
}

export type RecoverySettings = Pick<CouncilSettings, 'recoveryMethod' | 'recoveryMethodByReason'>;

const RECOVERABLE_KINDS = ['SURPLUS', 'SPEND_FLAG', 'DEATH', 'OVERPAYMENT'] as const;

export async function raiseRecoveryInvoices(
  ds: DataSource,
  args: { council: string; nightDate: string; settings: RecoverySettings },
): Promise<RecoverySummary> {
  const { council, nightDate, settings } = args;
  const cases = new CaseService(ds);
  const approved = (await Promise.all(RECOVERABLE_KINDS.map((kind) => cases.list({ council, kind, status: 'APPROVED', limit: 5000 })))).flat();
  const planned = approved.flatMap((c) => {
    const r = recoveryFromCase({ id: c.id, kind: c.kind, status: c.status, dpId: c.dpId, amountPence: c.amountPence, detail: c.detail });
    return r ? [{ ...r, openedOn: c.openedOn }] : [];
  });
  const summary: RecoverySummary = { raised: [], totalPence: 0n, offset: [], stalled: [] };
  return ds.transaction(async (m) => {
    await lockCouncilInvoices(m, council);
    const done = await invoicedCases(m, council, planned.map((p) => p.caseId));
    const fresh = planned.filter((p) => !done.has(p.caseId)).sort((a, b) => Number(BigInt(a.caseId) - BigInt(b.caseId)));
    const { methods, chosenNow } = await chooseRecoveryMethods(m, fresh.map((p) => ({
      council, caseId: p.caseId, dpId: p.dpId, method: recoveryMethodOf(p.reason, settings), reason: p.reason, amountPence: p.amountPence, chosenOn: nightDate,
    })));
    const todo = fresh.filter((p) => methods.get(p.caseId) === 'INVOICE');
    summary.offset = fresh.filter((p) => methods.get(p.caseId) === 'OFFSET' && chosenNow.has(p.caseId)).map((p) => p.caseId);
    summary.stalled = await stalledOffsetRecoveries(m, council, nightDate);
    const persons = await personsOfDps(m, council, todo.map((p) => p.dpId));
    for (const p of todo) {
      const personId = persons.get(p.dpId);
      if (!personId) continue; // a DP no longer in the care records: left for an officer
      const id = recoveryInvoiceId(council, p.caseId);
      const created = await insertInvoice(m, {
        id, council, kind: 'RECOVERY', customer: personId, periodFrom: p.openedOn, periodTo: nightDate, adjustmentsOnly: false,
        caseId: p.caseId, dpId: p.dpId, reason: p.reason, raisedOn: nightDate, totalPence: p.amountPence,
        lines: [{
          lineNo: 1, dpId: p.dpId, personId, nhsNumber: null, month: nightDate.slice(0, 7), from: p.openedOn, to: nightDate,
          costPence: p.amountPence, healthBasisPoints: 10000n, amountPence: p.amountPence, adjustment: false,
        }],
      });
      if (created) {
        summary.raised.push(id);
        summary.totalPence += p.amountPence;
      }
    }
    return summary;
  });
}
