/** Validation findings. They name record ids, fields and rules, never values. */

export type RecordType =
  | 'File'
  | 'Extract'
  | 'Person'
  | 'Payee'
  | 'DirectPayment'
  | 'Rate'
  | 'Contribution'
  | 'Suspension'
  | 'OneOff'
  | 'Split'
  | 'Trailer';

export type Rule =
  /** A mandatory value is empty or a mandatory element/row is missing. */
  | 'required'
  /** 1-32 characters `[A-Za-z0-9_-]`. */
  | 'id-format'
  /** The id occurs more than once within its kind in this extract. */
  | 'id-unique'
  /** Not a real `YYYY-MM-DD` date. */
  | 'date-format'
  /** Not an ISO 8601 timestamp with an explicit zone. */
  | 'timestamp-format'
  /** Not non-negative decimal pounds with at most 2 places. */
  | 'money-format'
  /** Not a percentage 0-100 with at most 2 places. */
  | 'percent-format'
  /** Not a non-negative integer count. */
  | 'count-format'
  /** Not one of the allowed codes. */
  | 'enum'
  /** NHS number is not 10 digits. */
  | 'nhs-number-format'
  /** Sort code is not 6 digits. */
  | 'sort-code-format'
  /** Account number is not 8 digits. */
  | 'account-number-format'
  /** Text longer than allowed. */
  | 'max-length'
  /** Text holds a NUL character (PostgreSQL cannot store it; no real name or reference has one). */
  | 'control-character'
  /** A date precedes the date it must not precede (end < start, to < from, death < birth). */
  | 'date-order'
  /** Two effective-dated children of one DP share a `from` date. */
  | 'from-unique'
  /** personId / payeeId / dp_id names no record in this extract. */
  | 'reference-exists'
  /** vendorNo is required for BANK and MANAGED payees. */
  | 'vendor-no-required'
  /** Bank details on a CARD payee, or card details on a BANK/MANAGED payee. */
  | 'not-allowed-for-account-type'
  /** A JOINT DP has no Split. */
  | 'joint-requires-split'
  /** A trailer count differs from the number of elements in the file. */
  | 'trailer-count'
  /** The trailer totalWeeklyGross differs from the recomputed total. */
  | 'trailer-total'
  /** CSV: a header column that is not in the contract and not mapped. */
  | 'unknown-column'
  /** CSV: a contract column missing from the header. */
  | 'missing-column'
  /** CSV: a column appears twice in the header. */
  | 'duplicate-column'
  /** CSV: a required file is missing from the folder/zip. */
  | 'missing-file'
  /** CSV: trailer.csv does not hold exactly one row. */
  | 'single-row';

export interface ValidationError {
  recordType: RecordType;
  /** The record's id (for child elements, the owning DP's id); '' when it has none. */
  recordId: string;
  /** Canonical field name (for 'File' errors: the column or file name). */
  field: string;
  rule: Rule;
  /** For child elements (Rate, Contribution, Suspension, OneOff, Split): 0-based position in the DP. */
  index?: number;
}

export type FlagKind =
  /** NHS number fails the modulus 11 check: person flagged, reclaim lines held. */
  | 'nhs-number-invalid'
  /** Bank details fail the Pay.UK modulus check: payee flagged, payments held. */
  | 'bank-modulus-failed'
  /** An S117 DP carries contributions: they are kept for the record but never charged. */
  | 's117-contribution-ignored'
  /** A non-JOINT DP carries Splits: kept for the record, no health share applies. */
  | 'split-ignored-not-joint';

export interface ExtractFlag {
  recordType: 'Person' | 'Payee' | 'DirectPayment';
  recordId: string;
  flag: FlagKind;
}

/** Thrown by readers when the file cannot be parsed at all (structure, encoding, DOCTYPE...). */
export class MosaicParseError extends Error {
  constructor(
    message: string,
    readonly issues: ValidationError[] = [],
  ) {
    super(message);
    this.name = 'MosaicParseError';
  }
}
