/**
 * AR batches and their outputs for one council. Invoices are put into a batch before any file is
 * built; a batch's files are built from its stored invoices (never from a plan), so a re-run or a
 * crash-and-retry rebuilds the same bytes, and invoices raised by a later run of the same night go
 * into the next batch instead of changing delivered files.
 */
import type { DataSource } from 'typeorm';
import type { CouncilSettings } from '@dpb/payments/rules';
import { assignArBatch, findInvoices, lockCouncilInvoices, markDelivered, undeliveredArBatches } from './invoice.repository';
import { type ArOutputs, buildArOutputs } from './files/batch';
import type { ArSettings } from './files/model';

export function arSettingsOf(council: string, s: Pick<CouncilSettings, 'finance' | 'receivables'>): ArSettings | undefined {
  if (!s.receivables) return undefined;
  return {
    council, companyCode: s.finance.sapCompanyCode, docType: s.finance.sapDocTypeInvoice, currency: s.finance.currency,
    incomeGlAccount: s.receivables.incomeGlAccount, costCentre: s.receivables.costCentre, customers: s.receivables.customers,
  };
}

export interface BatchAr {
  batchId: string;
  invoiceIds: string[];
  outputs: ArOutputs;
}

/** Batches the council's unbatched invoices as the night's next batch. */
export async function batchNewInvoices(ds: DataSource, council: string, nightDate: string): Promise<void> {
  await ds.transaction(async (m) => {
    await lockCouncilInvoices(m, council);
    await assignArBatch(m, council, nightDate);
  });
}

/** Every batch with invoices not yet delivered, with its files built and checked. */
export async function undeliveredArOutputs(ds: DataSource, council: string, settings: ArSettings, format: CouncilSettings['finance']['postingFormat']): Promise<BatchAr[]> {
  const out: BatchAr[] = [];
  for (const b of await undeliveredArBatches(ds, council)) {
    const rows = await findInvoices(ds, { council, arBatch: b.id });
    const outputs = await buildArOutputs({ batchId: b.id, nightDate: b.nightDate, invoices: rows }, settings, format);
    out.push({ batchId: b.id, invoiceIds: rows.map((r) => r.id), outputs });
  }
  return out;
}

export const markInvoicesDelivered = (ds: DataSource, ids: string[]) => markDelivered(ds, ids);
