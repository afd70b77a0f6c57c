import type { NormalisedFile, Statement } from '../model';

/**
 * Pure integrity checks. Within a file: opening + sum of BOOKED entries = closing, per statement
 * with both balances. Across files (the importer brings the previous statement from the DB):
 * this opening = previous closing, and the sequence number follows on.
 */
export type IntegrityCode =
  | 'BALANCE_MISMATCH'
  | 'BALANCE_DISCONTINUITY'
  | 'SEQUENCE_DUPLICATE'
  | 'SEQUENCE_GAP'
  | 'SEQUENCE_RESTART';

export interface IntegrityFinding {
  code: IntegrityCode;
  /** Index of the statement in its file (checkIntegrity) or absent (checkContinuity). */
  statement?: number;
  message: string;
  expectedMinor?: bigint;
  actualMinor?: bigint;
}

export function bookedTotal(s: Statement): bigint {
  let sum = 0n;
  for (const e of s.entries) if (e.status === 'BOOKED') sum += e.amountMinor;
  return sum;
}

export function checkIntegrity(file: NormalisedFile): IntegrityFinding[] {
  const out: IntegrityFinding[] = [];
  file.statements.forEach((s, i) => {
    if (s.openingBalanceMinor === null || s.closingBalanceMinor === null) return;
    const expected = s.openingBalanceMinor + bookedTotal(s);
    if (expected !== s.closingBalanceMinor) {
      out.push({
        code: 'BALANCE_MISMATCH',
        statement: i,
        message: `statement ${i + 1}: opening balance plus booked entries does not equal the closing balance`,
        expectedMinor: expected,
        actualMinor: s.closingBalanceMinor,
      });
    }
  });
  return out;
}

const SEQ = /^0*(\d+)(?:\/0*(\d+))?$/;

function parseSeq(s: string | null): { n: bigint; page: bigint | null } | null {
  if (s === null) return null;
  const m = SEQ.exec(s.trim());
  if (!m) return null;
  return { n: BigInt(m[1]), page: m[2] === undefined ? null : BigInt(m[2]) };
}

/**
 * Compares a statement with the previous one stored for the same account. Sequences are
 * numeric (`ElctrncSeqNb`, `:28C:` number) optionally with a page (`19321/2`): the next is the
 * following page of the same number or page 1 of the following number. A restart at 1 (yearly
 * MT940 numbering) is reported as SEQUENCE_RESTART so the caller can treat it more gently.
 * Non-numeric or missing sequences are not compared.
 */
export function checkContinuity(
  prev: { closing: bigint | null; sequence: string | null } | null,
  next: Statement,
): IntegrityFinding[] {
  if (!prev) return [];
  const out: IntegrityFinding[] = [];
  if (prev.closing !== null && next.openingBalanceMinor !== null && prev.closing !== next.openingBalanceMinor) {
    out.push({
      code: 'BALANCE_DISCONTINUITY',
      message: 'opening balance does not equal the previous statement closing balance',
      expectedMinor: prev.closing,
      actualMinor: next.openingBalanceMinor,
    });
  }
  const a = parseSeq(prev.sequence);
  const b = parseSeq(next.sequence);
  if (!a || !b) return out;
  const samePage = a.page === b.page;
  if (a.n === b.n && samePage) {
    out.push({ code: 'SEQUENCE_DUPLICATE', message: 'sequence number repeats the previous statement' });
    return out;
  }
  const firstPage = b.page === null || b.page === 1n;
  const follows =
    (b.n === a.n + 1n && firstPage) || (a.page !== null && b.page !== null && b.n === a.n && b.page === a.page + 1n);
  if (follows) return out;
  if (b.n === 1n && firstPage) {
    out.push({ code: 'SEQUENCE_RESTART', message: 'sequence number restarts at 1' });
  } else {
    out.push({ code: 'SEQUENCE_GAP', message: 'sequence number does not follow the previous statement' });
  }
  return out;
}
