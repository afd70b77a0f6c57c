import { isWithin, type Pence } from '@dpb/common';
import type { AuditWindow, LedgerItem, SpendFlag } from './model';

export interface FlagRules {
  flagMcc: readonly string[];
  cashMcc: readonly string[];
  /** Council default or the DP's own override. */
  cashAllowed: boolean;
  allowPayees: readonly string[];
}

function normalise(s: string): string {
  return ` ${s.toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim()} `;
}

/** True when the merchant name holds an allow-listed payee as whole words, ignoring case and punctuation. */
export function allowedPayee(merchant: string | null, allowPayees: readonly string[]): boolean {
  if (!merchant) return false;
  const m = normalise(merchant);
  return allowPayees.some((p) => {
    const n = normalise(p);
    return n.trim() !== '' && m.includes(n);
  });
}

/**
 * The review flags of the items posted in the window. SETTLED and DECLINED items only; each item
 * has one kind: SAFEGUARDING (declined at a flagged MCC), else CASH (cash MCC or ATM, unless cash
 * is allowed), else MCC (settled at a flagged MCC). A declined item is never CASH or MCC. Payees
 * on the allow list are never flagged.
 */
export function spendFlags(items: readonly LedgerItem[], window: AuditWindow, r: FlagRules): SpendFlag[] {
  const flagged = new Set(r.flagMcc);
  const cash = new Set(r.cashMcc);
  const out: SpendFlag[] = [];
  for (const i of items) {
    if (!isWithin(i.date, window.from, window.to)) continue;
    if (i.status !== 'SETTLED' && i.status !== 'DECLINED') continue;
    if (allowedPayee(i.merchant, r.allowPayees)) continue;
    const atFlaggedMcc = i.mcc !== null && flagged.has(i.mcc);
    const flag = (kind: SpendFlag['kind']) => out.push({ txnId: i.id, kind, mcc: i.mcc, amountPence: i.amountPence });
    if (i.status === 'DECLINED') {
      if (atFlaggedMcc) flag('SAFEGUARDING');
      continue;
    }
    const isCash = i.type === 'ATM' || (i.mcc !== null && cash.has(i.mcc));
    if (isCash && !r.cashAllowed) flag('CASH');
    else if (atFlaggedMcc) flag('MCC');
  }
  return out;
}

/** The sum of the flagged items' absolute amounts (a SPEND_FLAG or SAFEGUARDING case's amount). */
export function flaggedTotal(flags: readonly SpendFlag[]): Pence {
  return flags.reduce((t, f) => t + (f.amountPence < 0n ? -f.amountPence : f.amountPence), 0n);
}
