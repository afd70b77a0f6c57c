import { createHash } from 'node:crypto';
import type { Statement, StatementEntry } from '../model';

/** A statement sequence (`ElctrncSeqNb`, `:28C:` `19321/2`) as sortable numbers, or null when not numeric. */
export interface SequenceKey {
  no: bigint;
  page: bigint | null;
}

const SEQ = /^0*(\d+)(?:\/0*(\d+))?$/;

export function sequenceKey(sequence: string | null): SequenceKey | null {
  if (sequence === null) return null;
  const m = SEQ.exec(sequence.trim());
  if (!m) return null;
  return { no: BigInt(m[1]), page: m[2] === undefined ? null : BigInt(m[2]) };
}

function entryCanonical(e: StatementEntry): unknown[] {
  const extra = e.extra ? Object.keys(e.extra).sort().map((k) => [k, (e.extra as Record<string, string>)[k]]) : [];
  return [
    e.amountMinor.toString(), e.bookingDate, e.valueDate, e.status, e.reversal, e.reference, e.endToEndId,
    e.counterparty, e.mcc, extra,
  ];
}

/**
 * SHA-256 of a statement's content (account, currency, sequence, balances, every entry in order):
 * equal hashes mean the bank sent the same statement again (perhaps in a file with other bytes,
 * e.g. a new message id or creation time).
 */
export function statementContentHash(s: Statement): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([s.account, s.currency, s.sequence, s.openingBalanceMinor?.toString() ?? null, s.closingBalanceMinor?.toString() ?? null]));
  for (const e of s.entries) h.update('\n' + JSON.stringify(entryCanonical(e)));
  return h.digest('hex');
}
