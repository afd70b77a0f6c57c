/** What the AR files are written from: one night's invoices of one council, and its AR settings. */
import type { InvoiceKind, InvoiceLineRow } from '../invoice.repository';

export interface ArSettings {
  council: string;
  companyCode: string;
  docType: string;
  currency: 'GBP';
  incomeGlAccount: string;
  costCentre: string;
  /** Partner code -> SAP customer number (the code itself when absent). */
  customers: Readonly<Record<string, string>>;
}

export interface ArInvoice {
  id: string;
  kind: InvoiceKind;
  customer: string;
  periodFrom: string;
  periodTo: string;
  reason: string | null;
  totalPence: bigint;
  lines: InvoiceLineRow[];
}

export interface ArBatch {
  /** `<COUNCIL>-AR-<YYYYMMDD>-<sequence>`: from council, night and the batch's sequence that night. */
  batchId: string;
  nightDate: string;
  invoices: ArInvoice[];
}

export interface ArFile {
  name: string;
  content: Buffer;
  /** Invoices (AR files) or schedule lines (schedules) it carries, and their amount total. */
  records: number;
  totalPence: bigint;
}

export const customerNo = (s: ArSettings, partner: string) => s.customers[partner] ?? partner.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 10);
export const arFileStem = (b: Pick<ArBatch, 'batchId'>) => b.batchId.replace(/-/g, '_');
