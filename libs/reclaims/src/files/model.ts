/** What the AR files are written from: one night's invoices of one council, and its AR settings. */
import { fromCompact } from '@dpb/common';
import { forEachCsvRecord } from '@dpb/payments/files/csv';
import { FinanceFileError } from '@dpb/payments/files/errors';
import type { InvoiceKind, InvoiceLineRow } from '../invoice.repository';

export class ArFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ArFileError';
  }
}

/** Every record of an RFC 4180 document (BOM allowed, empty lines skipped), or CSV_NOT_PARSEABLE naming `what`. */
export function csvRows(content: Buffer | string, what: string): string[][] {
  const rows: string[][] = [];
  try {
    forEachCsvRecord(content, what, (r) => rows.push(r));
  } catch (e) {
    if (e instanceof FinanceFileError) throw new ArFileError(e.rule, `${what} is not RFC 4180 CSV`);
    throw e;
  }
  return rows;
}

/** Throws the record faults a reader found (`record <n>: <type> field <name> (column <c>) ...`). */
export function refuseFaults(problems: string[]): void {
  if (problems.length) throw new ArFileError('INVALID_FIELD', problems.join('; '));
}

/** `YYYYMMDD` (a date the record definitions have already checked) -> `YYYY-MM-DD`. */
export const dashed = (compact: string): string => fromCompact(compact) ?? compact;

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
