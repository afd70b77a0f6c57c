/**
 * What officers see (`dpbridge invoices list|show`, the ops API): the contract's JSON shape, amounts
 * in integer pence, percentages as two-decimal strings. No NHS numbers here: ids only.
 */
import type { DataSource } from 'typeorm';
import { OfficerRefusal } from '@dpb/payments/officer';
import { formatPence, isCivilDate } from '@dpb/common';
import { type InvoiceKind, type InvoiceRow, councilsWithInvoices, findInvoices, listHeld, loadBalances } from './invoice.repository';
import { agedDebt } from './rules/debt';
import { basisPointsText, type HeldReason } from './rules/health-share';

export const INVOICE_KINDS: readonly InvoiceKind[] = ['HEALTH_RECLAIM', 'RECOVERY', 'CONTRIBUTION'];

export interface InvoiceView {
  id: string;
  council: string;
  kind: InvoiceKind;
  customer: string;
  period: { from: string; to: string };
  totalPence: number;
  state: 'RAISED' | 'DELIVERED';
  raisedOn: string;
  adjustmentsOnly: boolean;
  caseId?: string;
  reason?: string;
  lines: { dpId: string; personId: string; month: string; from: string; to: string; costPence: number; healthPct: string; amountPence: number; adjustment: boolean }[];
}

export interface InvoiceList {
  invoices: InvoiceView[];
  heldFromReclaim: { council: string; dpId: string; month: string; reason: HeldReason }[];
}

function view(r: InvoiceRow): InvoiceView {
  return {
    id: r.id, council: r.council, kind: r.kind, customer: r.customer, period: { from: r.periodFrom, to: r.periodTo },
    totalPence: Number(r.totalPence), state: r.state, raisedOn: r.raisedOn, adjustmentsOnly: r.adjustmentsOnly,
    ...(r.caseId ? { caseId: r.caseId } : {}), ...(r.reason ? { reason: r.reason } : {}),
    lines: r.lines.map((l) => ({
      dpId: l.dpId, personId: l.personId, month: l.month, from: l.from, to: l.to, costPence: Number(l.costPence),
      healthPct: basisPointsText(l.healthBasisPoints), amountPence: Number(l.amountPence), adjustment: l.adjustment,
    })),
  };
}

export function assertInvoiceKind(kind: string | undefined): asserts kind is InvoiceKind | undefined {
  if (kind !== undefined && !INVOICE_KINDS.includes(kind as InvoiceKind)) throw new OfficerRefusal('BAD_INPUT', `kind: one of ${INVOICE_KINDS.join(', ')}`);
}

export async function listInvoices(ds: DataSource, f: { council?: string; kind?: string }): Promise<InvoiceList> {
  assertInvoiceKind(f.kind);
  const rows = await findInvoices(ds, { council: f.council, kind: f.kind });
  const held = await listHeld(ds, f.council);
  return { invoices: rows.map(view), heldFromReclaim: held.map((h) => ({ council: h.council, dpId: h.dpId, month: h.month, reason: h.reason })) };
}

export async function showInvoice(ds: DataSource, id: string): Promise<InvoiceView> {
  const [row] = await findInvoices(ds, { id });
  if (!row) throw new OfficerRefusal('NOT_FOUND', `invoice ${id} not found`);
  return view(row);
}

const pounds = (p: number) => formatPence(BigInt(p)).replace(/^(-?)/, '$1£');

export function renderInvoiceList(l: InvoiceList): string[] {
  const out = ['Invoices'];
  if (!l.invoices.length) out.push('  (none)');
  for (const i of l.invoices) {
    out.push(`  ${i.id.padEnd(26)} ${i.kind.padEnd(14)} ${i.customer.padEnd(10)} ${i.period.from}..${i.period.to}  ${pounds(i.totalPence).padStart(12)}  ${i.state}  ${i.lines.length} line(s)`);
  }
  out.push('Held from the reclaim');
  if (!l.heldFromReclaim.length) out.push('  (none)');
  for (const h of l.heldFromReclaim) out.push(`  ${h.council.padEnd(6)} ${h.dpId.padEnd(12)} ${h.month}  ${h.reason}`);
  return out;
}

export function renderInvoice(i: InvoiceView): string[] {
  const out = [
    `${i.id}  ${i.kind}  customer ${i.customer}  period ${i.period.from}..${i.period.to}  raised ${i.raisedOn}  ${i.state}`,
    `  total ${pounds(i.totalPence)}${i.adjustmentsOnly ? '  (adjustments only)' : ''}${i.reason ? `  reason ${i.reason}` : ''}`,
  ];
  for (const l of i.lines) {
    out.push(`  ${l.dpId.padEnd(12)} ${l.personId.padEnd(10)} ${l.from}..${l.to}  cost ${pounds(l.costPence).padStart(11)}  ${l.healthPct.padStart(6)}%  ${pounds(l.amountPence).padStart(11)}${l.adjustment ? `  adjustment for ${l.month}` : ''}`);
  }
  return out;
}

export interface AgedDebtView {
  council: string;
  asOf: string;
  bands: { band: string; invoices: number; outstandingPence: number }[];
  totalPence: number;
}

/** Outstanding invoices of each council by age band, as of a date (default: today's night). */
export async function agedDebtList(ds: DataSource, f: { council?: string; asOf: string }): Promise<{ agedDebt: AgedDebtView[] }> {
  if (!isCivilDate(f.asOf)) throw new OfficerRefusal('BAD_INPUT', 'as-of: a YYYY-MM-DD date');
  const councils = f.council ? [f.council] : await councilsWithInvoices(ds);
  const out: AgedDebtView[] = [];
  for (const council of councils) {
    const a = agedDebt(await loadBalances(ds, council), f.asOf);
    out.push({
      council, asOf: a.asOf, totalPence: Number(a.totalPence),
      bands: a.bands.map((b) => ({ band: b.band, invoices: b.invoices, outstandingPence: Number(b.outstandingPence) })),
    });
  }
  return { agedDebt: out };
}

export function renderAgedDebt(l: { agedDebt: AgedDebtView[] }): string[] {
  const out: string[] = [];
  if (!l.agedDebt.length) out.push('(no invoices)');
  for (const a of l.agedDebt) {
    out.push(`${a.council} aged debt as of ${a.asOf}: ${pounds(a.totalPence)}`);
    for (const b of a.bands) out.push(`  ${b.band.padEnd(6)} days  ${String(b.invoices).padStart(5)} invoice(s)  ${pounds(b.outstandingPence).padStart(12)}`);
  }
  return out;
}
