/**
 * Why an officer's request was refused. Messages name record ids, states and rule names only,
 * never personal data (no names, bank details or amounts tied to a person).
 */
export type RefusalCode =
  | 'NOT_FOUND'
  | 'BAD_INPUT'
  | 'NOT_HELD'
  | 'LINE_CANCELLED'
  | 'LINE_RELEASED'
  | 'RUN_NOT_HELD'
  | 'RUN_HELD'
  | 'NOT_AWAITING_APPROVAL'
  | 'FOUR_EYES'
  | 'UNKNOWN_COUNCIL'
  | 'CASE_STATUS';

export class OfficerRefusal extends Error {
  override readonly name = 'OfficerRefusal';
  constructor(
    readonly code: RefusalCode,
    message: string,
    /** Council of the subject, when known (for the audit row of a refused request). */
    readonly council: string | null = null,
  ) {
    super(message);
  }
}

const OFFICER = /^[\p{L}\p{N} .,'@_-]{1,100}$/u;

/** An officer's name as recorded (trimmed); refused when empty, too long or with control characters. */
export function normaliseOfficer(officer: string | undefined | null): string {
  const o = (officer ?? '').trim().replace(/\s+/g, ' ');
  if (!OFFICER.test(o)) throw new OfficerRefusal('BAD_INPUT', 'officer: must be 1-100 letters, digits, spaces or . , \' @ _ -');
  return o;
}

/** Whether two officer names denote the same person (the four-eyes comparison). */
export function sameOfficer(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function assertLineId(id: string): string {
  const s = String(id).trim();
  if (!/^[1-9]\d{0,17}$/.test(s)) throw new OfficerRefusal('BAD_INPUT', 'line id: must be a positive whole number');
  return s;
}

export function assertRunId(id: string): string {
  const s = String(id).trim();
  if (!/^[A-Z0-9]{2,12}-\d{8}-\d{1,4}$/.test(s)) throw new OfficerRefusal('BAD_INPUT', 'run id: must look like CODE-YYYYMMDD-N');
  return s;
}
