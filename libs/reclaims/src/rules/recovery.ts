/**
 * Recovery invoices to a DP's person from APPROVED cases (docs/reclaims.md "Recoveries"): the case
 * kind gives the reason code, unless the case names one of the recovery reasons itself
 * (`detail.reason`, e.g. PAYMENT_AFTER_DEATH or TERMINATION). Cases of other kinds, without a DP,
 * or without a positive amount raise nothing. One invoice per case, for the approved amount.
 */
import type { Pence } from '@dpb/common';
import { RECOVERY_REASONS, type CouncilSettings, type RecoveryReason } from '@dpb/payments/rules';

/** Case kind -> the reason it recovers for. */
const BY_KIND: Readonly<Record<string, RecoveryReason>> = {
  SURPLUS: 'SURPLUS',
  SPEND_FLAG: 'MISUSE',
  DEATH: 'DEATH',
  OVERPAYMENT: 'OVERPAYMENT',
};

export interface ApprovedCase {
  id: string;
  kind: string;
  status: string;
  dpId: string | null;
  amountPence: Pence | null;
  detail: Readonly<Record<string, unknown>>;
}

export interface PlannedRecovery {
  caseId: string;
  dpId: string;
  reason: RecoveryReason;
  amountPence: Pence;
}

export function recoveryFromCase(c: ApprovedCase): PlannedRecovery | undefined {
  if (c.status !== 'APPROVED' || c.dpId === null || c.amountPence === null || c.amountPence <= 0n) return undefined;
  const kindReason = BY_KIND[c.kind];
  if (!kindReason) return undefined;
  const named = c.detail.reason;
  const reason = typeof named === 'string' && (RECOVERY_REASONS as readonly string[]).includes(named) ? (named as RecoveryReason) : kindReason;
  return { caseId: c.id, dpId: c.dpId, reason, amountPence: c.amountPence };
}

/** `HCC-RC-42`: from council and case id alone. */
export const recoveryInvoiceId = (council: string, caseId: string) => `${council}-RC-${caseId}`;

/** The method the council chose for a reason (`recoveryMethodByReason`, else `recoveryMethod`). */
export function recoveryMethodOf(
  reason: RecoveryReason,
  s: Pick<CouncilSettings, 'recoveryMethod' | 'recoveryMethodByReason'>,
): 'INVOICE' | 'OFFSET' {
  return (s.recoveryMethodByReason[reason] ?? s.recoveryMethod) === 'offset' ? 'OFFSET' : 'INVOICE';
}
