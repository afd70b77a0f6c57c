import type { Statement } from '../model';
import { checkContinuity, type IntegrityCode } from '../parsers/integrity';

export type StatementState = 'POSTED' | 'HELD' | 'DUPLICATE';
export type StatementKind = 'STATEMENT' | 'NOTIFICATION';

/** What the store knows about an earlier statement of the same account. */
export interface StoredStatement {
  id: string;
  sequence: string | null;
  closing: bigint | null;
  contentHash: string;
}

export type FindingCode = IntegrityCode | 'STATEMENT_RESENT';

export interface FindingDraft {
  code: FindingCode;
  /** A blocking finding holds the statement (entries stored, not posted) until an officer accepts it. */
  blocking: boolean;
  /** Amounts and sequence facts only: no names, no account numbers. */
  detail: Record<string, string | null>;
}

export interface Decision {
  state: StatementState;
  duplicateOf: string | null;
  findings: FindingDraft[];
}

const BLOCKING: Record<IntegrityCode, boolean> = {
  BALANCE_MISMATCH: true,
  BALANCE_DISCONTINUITY: true,
  SEQUENCE_DUPLICATE: true,
  SEQUENCE_GAP: true,
  SEQUENCE_RESTART: false,
};

/**
 * The store's rule for one incoming statement (pure; the caller looks the neighbours up):
 * - same content as a stored statement of the account: DUPLICATE (entries not stored again),
 *   with a non-blocking STATEMENT_RESENT finding;
 * - otherwise a stored statement with the same sequence: HELD, SEQUENCE_DUPLICATE;
 * - otherwise continuity with the predecessor (`checkContinuity`): a balance discontinuity or a
 *   sequence gap holds the statement; a restart at 1 is recorded but does not hold it;
 * - notifications (camt.054) carry no balances: stored as they come, only exact resends deduped.
 */
export function decideStatement(args: {
  statement: Statement;
  kind: StatementKind;
  sameContent: StoredStatement | null;
  sameSequence: StoredStatement | null;
  predecessor: StoredStatement | null;
}): Decision {
  const { statement: s, kind, sameContent, sameSequence, predecessor } = args;
  if (sameContent) {
    return {
      state: 'DUPLICATE',
      duplicateOf: sameContent.id,
      findings: [{ code: 'STATEMENT_RESENT', blocking: false, detail: { duplicateOf: sameContent.id, sequence: s.sequence } }],
    };
  }
  if (kind === 'NOTIFICATION') return { state: 'POSTED', duplicateOf: null, findings: [] };
  if (sameSequence) {
    return {
      state: 'HELD',
      duplicateOf: null,
      findings: [{ code: 'SEQUENCE_DUPLICATE', blocking: true, detail: { conflictsWith: sameSequence.id, sequence: s.sequence } }],
    };
  }
  const found = checkContinuity(predecessor ? { closing: predecessor.closing, sequence: predecessor.sequence } : null, s);
  const findings: FindingDraft[] = found.map((f) => ({
    code: f.code,
    blocking: BLOCKING[f.code],
    detail: {
      previousStatement: predecessor?.id ?? null,
      previousSequence: predecessor?.sequence ?? null,
      sequence: s.sequence,
      ...(f.expectedMinor !== undefined ? { expectedMinor: f.expectedMinor.toString() } : {}),
      ...(f.actualMinor !== undefined ? { actualMinor: f.actualMinor.toString() } : {}),
    },
  }));
  return { state: findings.some((f) => f.blocking) ? 'HELD' : 'POSTED', duplicateOf: null, findings };
}
