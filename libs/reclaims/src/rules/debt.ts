/**
 * Debt follow-up (docs/reclaims.md "Debt follow-up"), as plain functions.
 *
 * Finance's open-items extract lists, as of a date, what is still open on each customer item.
 * Each of our invoices raised on or before that date is then:
 *   open = the extract's open amount for it, or 0 when it is not listed (cleared);
 *   PAID when open = 0, OUTSTANDING when open = total, PART_PAID in between; paid = total - open.
 * Invoices raised after the extract's date are left as they are. Rows for other documents (not
 * ids of this council's invoices) are ignored. A row naming an unknown invoice of ours, or an open
 * amount beyond the invoice total (or of the other sign), rejects the whole extract.
 *
 * Aged debt: for each invoice not PAID with a positive amount open, its age in days from the day
 * it was raised to the as-of date, in bands 0-30, 31-60, 61-90 and 90+ days.
 */
import { type CivilDate, type Pence, compareDates, diffDays } from '@dpb/common';

export type Settlement = 'OUTSTANDING' | 'PART_PAID' | 'PAID';

export interface OpenItem {
  invoiceId: string;
  openPence: Pence;
  asOf: CivilDate;
  /** 1-based record number in the file (for problems). */
  record: number;
}

export interface InvoiceBalance {
  id: string;
  raisedOn: CivilDate;
  totalPence: Pence;
  paidPence: Pence;
  settlement: Settlement;
}

export interface SettlementChange {
  id: string;
  paidPence: Pence;
  settlement: Settlement;
}

export interface SettleProblem {
  record: number;
  field: 'invoice_id' | 'open_amount' | 'as_of';
  rule: 'UNKNOWN_INVOICE' | 'OPEN_EXCEEDS_TOTAL' | 'MIXED_AS_OF' | 'DUPLICATE_INVOICE' | 'NOT_YET_RAISED';
}

export type SettleResult =
  | { ok: true; asOf: CivilDate | null; changes: SettlementChange[]; ignored: number }
  | { ok: false; problems: SettleProblem[] };

export function settlementOf(totalPence: Pence, openPence: Pence): Settlement {
  if (openPence === 0n) return 'PAID';
  return openPence === totalPence ? 'OUTSTANDING' : 'PART_PAID';
}

/** `ours` tells an invoice id of this council from other documents finance lists. */
export function settle(invoices: readonly InvoiceBalance[], items: readonly OpenItem[], ours: (id: string) => boolean): SettleResult {
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const problems: SettleProblem[] = [];
  const asOf = items[0]?.asOf ?? null;
  const open = new Map<string, Pence>();
  let ignored = 0;
  for (const it of items) {
    if (it.asOf !== asOf) problems.push({ record: it.record, field: 'as_of', rule: 'MIXED_AS_OF' });
    if (!ours(it.invoiceId)) {
      ignored++;
      continue;
    }
    const inv = byId.get(it.invoiceId);
    if (!inv) {
      problems.push({ record: it.record, field: 'invoice_id', rule: 'UNKNOWN_INVOICE' });
      continue;
    }
    if (open.has(it.invoiceId)) problems.push({ record: it.record, field: 'invoice_id', rule: 'DUPLICATE_INVOICE' });
    if (asOf !== null && compareDates(inv.raisedOn, asOf) > 0) problems.push({ record: it.record, field: 'as_of', rule: 'NOT_YET_RAISED' });
    const t = inv.totalPence;
    const o = it.openPence;
    const beyond = t >= 0n ? o < 0n || o > t : o > 0n || o < t;
    if (beyond) problems.push({ record: it.record, field: 'open_amount', rule: 'OPEN_EXCEEDS_TOTAL' });
    open.set(it.invoiceId, o);
  }
  if (problems.length) return { ok: false, problems };
  if (asOf === null) return { ok: true, asOf, changes: [], ignored };
  const changes: SettlementChange[] = [];
  for (const inv of invoices) {
    if (compareDates(inv.raisedOn, asOf) > 0) continue;
    const o = open.get(inv.id) ?? 0n;
    const settlement = settlementOf(inv.totalPence, o);
    const paidPence = inv.totalPence - o;
    if (settlement !== inv.settlement || paidPence !== inv.paidPence) changes.push({ id: inv.id, paidPence, settlement });
  }
  return { ok: true, asOf, changes, ignored };
}

export const AGE_BANDS = ['0-30', '31-60', '61-90', '90+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export function ageBand(days: number): AgeBand {
  return days <= 30 ? '0-30' : days <= 60 ? '31-60' : days <= 90 ? '61-90' : '90+';
}

export interface AgedDebt {
  asOf: CivilDate;
  bands: { band: AgeBand; invoices: number; outstandingPence: Pence }[];
  totalPence: Pence;
}

export function agedDebt(invoices: readonly InvoiceBalance[], asOf: CivilDate): AgedDebt {
  const bands = AGE_BANDS.map((band) => ({ band, invoices: 0, outstandingPence: 0n }));
  let total = 0n;
  for (const i of invoices) {
    const outstanding = i.totalPence - i.paidPence;
    if (i.settlement === 'PAID' || outstanding <= 0n || compareDates(i.raisedOn, asOf) > 0) continue;
    const b = bands[AGE_BANDS.indexOf(ageBand(diffDays(asOf, i.raisedOn)))];
    b.invoices++;
    b.outstandingPence += outstanding;
    total += outstanding;
  }
  return { asOf, bands, totalPence: total };
}
