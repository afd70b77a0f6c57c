/**
 * Card-load confirmation (pure: no I/O, no clock). Each card load dpbridge delivered (a CARD
 * credit: provider, card account, amount, payment reference) is matched to one `LOAD` item the
 * provider posted on that card account:
 *
 * - same provider and card account, amount equal (pence), a SETTLED item;
 * - posted inside the load's window (from the run date to `loadMatchDays` Bacs days after the
 *   day the money arrives, both inclusive);
 * - a reference match wins over a date match: first every load takes an item in its window whose
 *   reference carries the load's payment reference; only then, and only once the load's window
 *   has closed (so a later file can still bring the referenced item), a load takes the earliest
 *   remaining item in its window whose reference names none of our loads;
 * - each load and each item is matched at most once; loads are served in (window start, credit
 *   id) order and items taken in (posting date, txn id) order, so the result does not depend on
 *   the order of the inputs.
 */
import { compareDates, type CivilDate, type Pence } from '@dpb/common';
import { ReferenceIndex, referenceCarries } from './references';

export interface ExpectedLoad {
  creditId: string;
  provider: string;
  accountRef: string;
  amountPence: Pence;
  paymentRef: string;
  /** First posting date accepted (the run date). */
  windowFrom: CivilDate;
  /** Last posting date accepted. */
  windowTo: CivilDate;
}

export interface CardLoadItem {
  provider: string;
  txnId: string;
  accountRef: string;
  amountPence: Pence;
  postingDate: CivilDate;
  reference: string | null;
}

export interface CardLoadMatch {
  creditId: string;
  provider: string;
  txnId: string;
  by: 'REFERENCE' | 'DATE';
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: string, b: string) => a.length - b.length || cmp(a, b);
const groupKey = (provider: string, accountRef: string, amount: Pence) => `${provider.toUpperCase()}\u0000${accountRef}\u0000${amount.toString()}`;

export function matchCardLoads(loads: readonly ExpectedLoad[], items: readonly CardLoadItem[], nightDate: CivilDate): CardLoadMatch[] {
  const sortedLoads = [...loads].sort((a, b) => compareDates(a.windowFrom, b.windowFrom) || byId(a.creditId, b.creditId));
  const sortedItems = [...items].sort((a, b) => compareDates(a.postingDate, b.postingDate) || cmp(a.provider, b.provider) || cmp(a.txnId, b.txnId));
  const itemsByGroup = new Map<string, CardLoadItem[]>();
  for (const it of sortedItems) {
    const k = groupKey(it.provider, it.accountRef, it.amountPence);
    const list = itemsByGroup.get(k);
    if (list) list.push(it);
    else itemsByGroup.set(k, [it]);
  }
  // Items whose reference names one of our loads: never taken by date (by a load it does not name).
  const itemsByReference = new ReferenceIndex(sortedItems, (it) => it.reference);
  const namingOurs = new Set(loads.flatMap((l) => itemsByReference.carrying(l.paymentRef)));
  const taken = new Set<CardLoadItem>();
  const matched = new Map<string, CardLoadMatch>();
  const inWindow = (l: ExpectedLoad, it: CardLoadItem) => compareDates(it.postingDate, l.windowFrom) >= 0 && compareDates(it.postingDate, l.windowTo) <= 0;

  for (const l of sortedLoads) {
    const group = itemsByGroup.get(groupKey(l.provider, l.accountRef, l.amountPence)) ?? [];
    const it = group.find((x) => !taken.has(x) && inWindow(l, x) && referenceCarries(x.reference, l.paymentRef));
    if (it) {
      taken.add(it);
      matched.set(l.creditId, { creditId: l.creditId, provider: it.provider, txnId: it.txnId, by: 'REFERENCE' });
    }
  }
  for (const l of sortedLoads) {
    if (matched.has(l.creditId) || compareDates(nightDate, l.windowTo) <= 0) continue;
    const group = itemsByGroup.get(groupKey(l.provider, l.accountRef, l.amountPence)) ?? [];
    const it = group.find((x) => !taken.has(x) && inWindow(l, x) && !namingOurs.has(x));
    if (it) {
      taken.add(it);
      matched.set(l.creditId, { creditId: l.creditId, provider: it.provider, txnId: it.txnId, by: 'DATE' });
    }
  }
  return sortedLoads.filter((l) => matched.has(l.creditId)).map((l) => matched.get(l.creditId)!);
}

/** Loads whose window closed before the night without a match: payments not confirmed. */
export function unconfirmedLoads(loads: readonly ExpectedLoad[], matches: readonly CardLoadMatch[], nightDate: CivilDate): ExpectedLoad[] {
  const done = new Set(matches.map((m) => m.creditId));
  return loads.filter((l) => !done.has(l.creditId) && compareDates(nightDate, l.windowTo) > 0).sort((a, b) => byId(a.creditId, b.creditId));
}

/**
 * LOAD items nobody sent: unmatched, and posted long enough ago (`graceTo` < night) that no load
 * of ours still waits for them.
 */
export function unexpectedLoads(items: readonly CardLoadItem[], matches: readonly CardLoadMatch[], graceToOf: (it: CardLoadItem) => CivilDate, nightDate: CivilDate): CardLoadItem[] {
  const done = new Set(matches.map((m) => `${m.provider}\u0000${m.txnId}`));
  return items
    .filter((it) => !done.has(`${it.provider}\u0000${it.txnId}`) && compareDates(nightDate, graceToOf(it)) > 0)
    .sort((a, b) => cmp(a.provider, b.provider) || cmp(a.txnId, b.txnId));
}
