import { compareDates, type CivilDate, type Pence } from '@dpb/common';
import type { LedgerItem } from './model';

/** A card account's ledger balance at `to`: every SETTLED item posted on or before `to`, all history. */
export function cardBalance(items: readonly LedgerItem[], to: CivilDate): Pence {
  let total = 0n;
  for (const i of items) if (i.status === 'SETTLED' && compareDates(i.date, to) <= 0) total += i.amountPence;
  return total;
}
