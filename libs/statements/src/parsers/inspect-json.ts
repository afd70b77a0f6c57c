import { penceToJson } from '@dpb/common';
import type { NormalisedFile } from '../model';

export interface InspectEntryJson {
  amountMinor: number;
  bookingDate: string | null;
  valueDate: string | null;
  status: string;
  reversal: boolean;
  reference: string | null;
  endToEndId: string | null;
  counterparty: string | null;
  mcc: string | null;
}

export interface InspectStatementJson {
  account: string;
  currency: string;
  sequence: string | null;
  openingBalanceMinor: number | null;
  closingBalanceMinor: number | null;
  entries: InspectEntryJson[];
}

export interface InspectJson {
  format: string;
  statements: InspectStatementJson[];
}

const n = (v: bigint | null): number | null => (v === null ? null : penceToJson(v));

/**
 * The `dpbridge inspect --json` shape (docs/pipeline.md), exactly: bigint -> JSON number (refusing
 * values outside the safe-integer range), no `extra`, no warnings.
 */
export function toInspectJson(file: NormalisedFile): InspectJson {
  return {
    format: file.format,
    statements: file.statements.map((s) => ({
      account: s.account,
      currency: s.currency,
      sequence: s.sequence,
      openingBalanceMinor: n(s.openingBalanceMinor),
      closingBalanceMinor: n(s.closingBalanceMinor),
      entries: s.entries.map((e) => ({
        amountMinor: penceToJson(e.amountMinor),
        bookingDate: e.bookingDate,
        valueDate: e.valueDate,
        status: e.status,
        reversal: e.reversal,
        reference: e.reference,
        endToEndId: e.endToEndId,
        counterparty: e.counterparty,
        mcc: e.mcc,
      })),
    })),
  };
}
