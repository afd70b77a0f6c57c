/**
 * What one night raises (docs/reclaims.md "Timing" and "Adjustments"), as a plain function:
 *
 * - Month M is due on the first night dated on or after the 1st of M+1 (in arrears). Every due
 *   month not raised yet is raised now: one invoice per partner with one line per DP, partner,
 *   percentage and month.
 * - For every month already raised, what is due now (from tonight's terms) is compared with what
 *   was invoiced per (DP, partner, month), adjustments included. A difference becomes one
 *   adjustment line with the differences of cost and amount; issued invoices are never changed.
 *   It goes on the partner's invoice raised tonight, or on an invoice of its own for the
 *   adjustments, whose period is the night's month so far.
 * - A DP and month with held days (NO_SPLIT, NHS_INVALID) gets no adjustment until released; its
 *   released days are then invoiced as adjustment lines.
 * - An invoice with no lines is not raised; a negative total is a credit note of the same kind.
 */
import { type CivilDate, type Pence, compareDates, endOfMonth, startOfMonth, startOfNextMonth } from '@dpb/common';
import type { DirectPaymentForCalc } from '@dpb/payments/rules';
import { type HeldMonth, type ReclaimSettings, type ShareLine, healthShareForMonth, monthKey } from './health-share';

export interface ReclaimDp {
  dp: DirectPaymentForCalc;
  personId: string;
  nhsValid: boolean | null;
  /**
   * The DP's terms (and the settings) are those its raised months were last compared with: only
   * months raised tonight are computed for it (nothing else can have changed).
   */
  settled?: boolean;
}

/** What was invoiced so far for one DP, partner and month (lines and adjustments summed). */
export interface InvoicedSum {
  dpId: string;
  partner: string;
  month: string;
  from: CivilDate;
  to: CivilDate;
  healthBasisPoints: bigint;
  costPence: Pence;
  amountPence: Pence;
}

export interface PlannedLine {
  dpId: string;
  personId: string;
  /** The month the line is about (`YYYY-MM`): for an adjustment, the original month. */
  month: string;
  from: CivilDate;
  to: CivilDate;
  costPence: Pence;
  healthBasisPoints: bigint;
  amountPence: Pence;
  adjustment: boolean;
}

export interface PlannedInvoice {
  customer: string;
  periodFrom: CivilDate;
  periodTo: CivilDate;
  /** True for an invoice raised only to carry adjustments. */
  adjustmentsOnly: boolean;
  totalPence: Pence;
  /** Ordered by dpId, then from. */
  lines: PlannedLine[];
}

export interface ReclaimPlan {
  /** Months raised tonight (`YYYY-MM`), oldest first. */
  newMonths: string[];
  invoices: PlannedInvoice[];
  /** Every DP and due month still held, by dpId then month (for settled DPs: tonight's months only). */
  held: HeldMonth[];
}

export interface ReclaimInput {
  nightDate: CivilDate;
  settings: ReclaimSettings;
  /** Months already raised for the council (`YYYY-MM`). */
  raisedMonths: ReadonlySet<string>;
  dps: readonly ReclaimDp[];
  invoiced: readonly InvoicedSum[];
}

/** Months due on `nightDate`: from go-live's month to the month before the night's, oldest first. */
export function dueMonths(nightDate: CivilDate, goLiveDate: CivilDate): string[] {
  const out: string[] = [];
  for (let m = startOfMonth(goLiveDate); compareDates(startOfNextMonth(m), nightDate) <= 0; m = startOfNextMonth(m)) out.push(monthKey(m));
  return out;
}

const key = (dpId: string, partner: string, month: string) => `${dpId}\u0000${partner}\u0000${month}`;
const byDpThenFrom = (a: PlannedLine, b: PlannedLine) =>
  a.dpId < b.dpId ? -1 : a.dpId > b.dpId ? 1 : a.from < b.from ? -1 : a.from > b.from ? 1 : a.month < b.month ? -1 : a.month > b.month ? 1 : 0;

export function planReclaim(input: ReclaimInput): ReclaimPlan {
  const months = dueMonths(input.nightDate, input.settings.goLiveDate);
  const newMonths = months.filter((m) => !input.raisedMonths.has(m));
  const isNew = new Set(newMonths);
  const invoiced = new Map<string, InvoicedSum>();
  for (const s of input.invoiced) invoiced.set(key(s.dpId, s.partner, s.month), s);

  // Per partner: lines per new month, and adjustments.
  const monthLines = new Map<string, Map<string, PlannedLine[]>>();
  const adjustments = new Map<string, PlannedLine[]>();
  const push = <K>(map: Map<K, PlannedLine[]>, k: K, l: PlannedLine) => {
    const a = map.get(k);
    if (a) a.push(l);
    else map.set(k, [l]);
  };
  const held: HeldMonth[] = [];
  const dueKeys = new Set<string>();
  const heldDpMonths = new Set<string>();
  const dpsById = new Map<string, ReclaimDp>();

  for (const r of input.dps) {
    dpsById.set(r.dp.dpId, r);
    for (const m of months) {
      if (r.settled && !isNew.has(m)) continue;
      const share = healthShareForMonth(r.dp, `${m}-01`, input.settings, r.nhsValid);
      held.push(...share.held);
      if (share.held.length) heldDpMonths.add(`${r.dp.dpId}\u0000${m}`);
      if (isNew.has(m)) {
        for (const l of share.lines) {
          const perMonth = monthLines.get(l.partner) ?? new Map<string, PlannedLine[]>();
          monthLines.set(l.partner, perMonth);
          push(perMonth, m, toPlanned(l, r.personId, false));
        }
        continue;
      }
      if (share.held.length) continue; // no adjustment while days are held
      // Already raised: compare with what was invoiced, per partner.
      const byPartner = new Map<string, ShareLine[]>();
      for (const l of share.lines) byPartner.set(l.partner, [...(byPartner.get(l.partner) ?? []), l]);
      for (const [partner, ls] of byPartner) {
        dueKeys.add(key(r.dp.dpId, partner, m));
        const adj = difference(ls, invoiced.get(key(r.dp.dpId, partner, m)), r.personId);
        if (adj) push(adjustments, partner, adj);
      }
    }
  }
  // Invoiced (DP, partner, month) with nothing due now: credit it all back (unless held).
  for (const s of input.invoiced) {
    const k = key(s.dpId, s.partner, s.month);
    if (dueKeys.has(k) || isNew.has(s.month) || heldDpMonths.has(`${s.dpId}\u0000${s.month}`)) continue;
    if (!months.includes(s.month) || dpsById.get(s.dpId)?.settled) continue;
    if (s.costPence === 0n && s.amountPence === 0n) continue;
    const r = dpsById.get(s.dpId);
    push(adjustments, s.partner, {
      dpId: s.dpId,
      personId: r?.personId ?? '',
      month: s.month,
      from: s.from,
      to: s.to,
      costPence: -s.costPence,
      healthBasisPoints: s.healthBasisPoints,
      amountPence: -s.amountPence,
      adjustment: true,
    });
  }

  const invoices: PlannedInvoice[] = [];
  const partners = [...new Set([...monthLines.keys(), ...adjustments.keys()])].sort();
  for (const partner of partners) {
    const perMonth = monthLines.get(partner) ?? new Map<string, PlannedLine[]>();
    const raisedMonths = newMonths.filter((m) => perMonth.get(m)?.length);
    const adj = adjustments.get(partner) ?? [];
    for (const m of raisedMonths) {
      const lines = [...(perMonth.get(m) ?? [])];
      // Adjustments ride on the partner's latest invoice raised tonight.
      if (m === raisedMonths[raisedMonths.length - 1]) lines.push(...adj);
      invoices.push(invoice(partner, `${m}-01`, endOfMonth(`${m}-01`), false, lines));
    }
    if (!raisedMonths.length && adj.length) {
      invoices.push(invoice(partner, startOfMonth(input.nightDate), input.nightDate, true, adj));
    }
  }
  held.sort((a, b) => (a.dpId < b.dpId ? -1 : a.dpId > b.dpId ? 1 : a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  return { newMonths, invoices, held };
}

function toPlanned(l: ShareLine, personId: string, adjustment: boolean): PlannedLine {
  return {
    dpId: l.dpId,
    personId,
    month: l.month,
    from: l.from,
    to: l.to,
    costPence: l.costPence,
    healthBasisPoints: l.healthBasisPoints,
    amountPence: l.amountPence,
    adjustment,
  };
}

/** Due now minus invoiced, as one adjustment line over the month's days; undefined when equal. */
function difference(due: ShareLine[], was: InvoicedSum | undefined, personId: string): PlannedLine | undefined {
  const cost = due.reduce((s, l) => s + l.costPence, 0n) - (was?.costPence ?? 0n);
  const amount = due.reduce((s, l) => s + l.amountPence, 0n) - (was?.amountPence ?? 0n);
  if (cost === 0n && amount === 0n) return undefined;
  const first = due[0];
  const last = due[due.length - 1];
  return {
    dpId: first.dpId,
    personId,
    month: first.month,
    from: was && compareDates(was.from, first.from) < 0 ? was.from : first.from,
    to: was && compareDates(was.to, last.to) > 0 ? was.to : last.to,
    costPence: cost,
    healthBasisPoints: last.healthBasisPoints,
    amountPence: amount,
    adjustment: true,
  };
}

function invoice(customer: string, periodFrom: CivilDate, periodTo: CivilDate, adjustmentsOnly: boolean, lines: PlannedLine[]): PlannedInvoice {
  lines.sort(byDpThenFrom);
  return { customer, periodFrom, periodTo, adjustmentsOnly, totalPence: lines.reduce((s, l) => s + l.amountPence, 0n), lines };
}

/**
 * The invoice number, from council, kind, customer and period alone (no clock, no sequence):
 * `HCC-HR-ICBQRL-202612` for a month, `HCC-HR-ICBQRL-20261210A` for adjustments raised on the 10th.
 */
export function healthInvoiceId(council: string, customer: string, periodFrom: CivilDate, periodTo: CivilDate, adjustmentsOnly: boolean): string {
  const c = customer.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return adjustmentsOnly ? `${council}-HR-${c}-${periodTo.replace(/-/g, '')}A` : `${council}-HR-${c}-${periodFrom.slice(0, 7).replace('-', '')}`;
}
