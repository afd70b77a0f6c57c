/**
 * The one normalised shape every bank-statement and card-file parser produces
 * (docs/pipeline.md, `dpbridge inspect --json`). Amounts are signed integer minor units (pence):
 * credits positive, debits negative. Dates are civil `YYYY-MM-DD` strings.
 */
export type StatementFormat = 'camt.053' | 'camt.054' | 'mt940' | 'bai2' | 'cards-csv';

export type EntryStatus = 'BOOKED' | 'PENDING' | 'DECLINED' | 'REVERSED';

export interface StatementEntry {
  amountMinor: bigint;
  bookingDate: string | null;
  valueDate: string | null;
  status: EntryStatus;
  /** true when this entry reverses an earlier one (camt RvslInd, MT940 RC/RD). */
  reversal: boolean;
  reference: string | null;
  endToEndId: string | null;
  counterparty: string | null;
  mcc: string | null;
  /** Format-specific extras that later stages need (bank transaction code, card txn id and type,
   * camt domain/family/subfamily such as ICDT/ARET, return reason). Never logged. */
  extra?: Record<string, string>;
}

export interface Statement {
  account: string;
  currency: string;
  sequence: string | null;
  openingBalanceMinor: bigint | null;
  closingBalanceMinor: bigint | null;
  entries: StatementEntry[];
}

export interface NormalisedFile {
  format: StatementFormat;
  statements: Statement[];
  /** Integrity findings that do not reject the file (e.g. card running-balance mismatch). */
  warnings?: { code: string; statement?: number; entry?: number; message: string }[];
}
