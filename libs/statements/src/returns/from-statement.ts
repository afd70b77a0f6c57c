import type { StatementEntry } from '../model';
import type { ArucsItem } from './arucs';
import { isDeceasedReason } from './reasons';

/** One advised Bacs return, before matching to the original credit. */
export interface ReturnDraft {
  source: 'STATEMENT' | 'ARUCS';
  /** Dedupe key within (council, source): the same return advised twice is stored once. */
  itemKey: string;
  lineNo: number;
  reference: string | null;
  endToEndId: string | null;
  amountMinor: bigint;
  reasonCode: string | null;
  deceased: boolean;
  returnDate: string | null;
}

/**
 * A statement entry is a Bacs return of one of our credits when it is booked money coming back
 * (amount > 0) and either carries the camt bank transaction sub-family ARET (`PMNT/ICDT/ARET`) or
 * is marked as a reversal (camt `RvslInd`, MT940 `RD`).
 */
export function isReturnEntry(e: StatementEntry): boolean {
  if (e.status !== 'BOOKED' || e.amountMinor <= 0n) return false;
  return e.extra?.bankTxSubFamily === 'ARET' || e.reversal;
}

/** The return advised by a statement entry (line_no = 1-based position in its statement). */
export function returnFromEntry(e: StatementEntry, lineNo: number): ReturnDraft {
  const reason = e.extra?.returnReason ?? null;
  const key = e.endToEndId
    ? `e2e:${e.endToEndId}`
    : `ref:${e.reference ?? ''}:${e.amountMinor.toString()}:${e.bookingDate ?? e.valueDate ?? ''}`;
  return {
    source: 'STATEMENT',
    itemKey: key,
    lineNo,
    reference: e.reference,
    endToEndId: e.endToEndId,
    amountMinor: e.amountMinor,
    reasonCode: reason,
    deceased: isDeceasedReason('STATEMENT', reason),
    returnDate: e.bookingDate ?? e.valueDate,
  };
}

export function returnFromArucs(i: ArucsItem): ReturnDraft {
  const key = [i.endToEndId ?? '', i.reference, i.amountMinor.toString(), i.originalProcessingDate ?? '', i.reasonCode].join('|');
  return {
    source: 'ARUCS',
    itemKey: key,
    lineNo: i.row,
    reference: i.reference,
    endToEndId: i.endToEndId,
    amountMinor: i.amountMinor,
    reasonCode: i.reasonCode,
    deceased: isDeceasedReason('ARUCS', i.reasonCode),
    returnDate: i.returnDate,
  };
}
