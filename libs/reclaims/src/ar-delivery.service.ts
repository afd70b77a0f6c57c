/**
 * A night's AR outputs for one council, built from the invoices raised that night (never from the
 * plan), so that a re-run or a crash-and-retry rebuilds the same bytes.
 */
import type { DataSource } from 'typeorm';
import type { CouncilSettings } from '@dpb/payments/rules';
import { findInvoices, markDelivered } from './invoice.repository';
import { type ArOutputs, buildArOutputs } from './files/batch';
import { type ArSettings, batchIdFor } from './files/model';

export function arSettingsOf(council: string, s: Pick<CouncilSettings, 'finance' | 'receivables'>): ArSettings | undefined {
  if (!s.receivables) return undefined;
  return {
    council, companyCode: s.finance.sapCompanyCode, docType: s.finance.sapDocTypeInvoice, currency: s.finance.currency,
    incomeGlAccount: s.receivables.incomeGlAccount, costCentre: s.receivables.costCentre, customers: s.receivables.customers,
  };
}

export interface NightAr {
  invoiceIds: string[];
  outputs: ArOutputs;
}

/** Undefined when nothing was raised that night. */
export async function nightArOutputs(ds: DataSource, council: string, nightDate: string, settings: ArSettings, format: CouncilSettings['finance']['postingFormat']): Promise<NightAr | undefined> {
  const rows = await findInvoices(ds, { council, raisedOn: nightDate });
  if (!rows.length) return undefined;
  const outputs = await buildArOutputs(
    { batchId: batchIdFor(council, nightDate), nightDate, invoices: rows.map((r) => ({ ...r })) },
    settings,
    format,
  );
  return { invoiceIds: rows.map((r) => r.id), outputs };
}

export const markInvoicesDelivered = (ds: DataSource, ids: string[]) => markDelivered(ds, ids);
