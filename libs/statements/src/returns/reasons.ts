/**
 * Bacs return reasons. ARUCS codes (domain notes 6.4) and the ISO 20022 return reasons a camt
 * ARET entry carries (`RtrInf/Rsn/Cd`). Code 2 / MD07 (beneficiary deceased) must start the death
 * workflow, not only block the payee's bank details.
 */
export const ARUCS_REASONS: Record<string, string> = {
  '0': 'invalid details (refer to payer)',
  '2': 'beneficiary deceased',
  '3': 'account transferred',
  '5': 'no account',
  B: 'account closed',
  C: 'requested by remitter/originator',
};

/** ISO 20022 external return reason codes that mean the beneficiary has died. */
const ISO_DECEASED = new Set(['MD07']);

export function isKnownArucsReason(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(ARUCS_REASONS, code);
}

/** True when a return's reason (ARUCS code or ISO code) means the beneficiary is deceased. */
export function isDeceasedReason(source: 'ARUCS' | 'STATEMENT', reason: string | null): boolean {
  if (reason === null) return false;
  const r = reason.trim().toUpperCase();
  return source === 'ARUCS' ? r === '2' : ISO_DECEASED.has(r);
}
