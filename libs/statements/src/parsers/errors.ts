/**
 * The one error every statement/card parser throws for input it rejects. Messages name codes,
 * record numbers, line numbers, element paths and field names: never values from the file
 * (amounts, names, account numbers, references), so they can go to logs and `.error.json`.
 */
export type ParseErrorCode =
  | 'EMPTY_INPUT'
  | 'UNKNOWN_FORMAT'
  | 'UNSUPPORTED_MESSAGE'
  | 'XML_DOCTYPE'
  | 'XML_MALFORMED'
  | 'MISSING_ELEMENT'
  | 'NO_STATEMENTS'
  | 'BAD_AMOUNT'
  | 'AMOUNT_PRECISION'
  | 'BAD_DATE'
  | 'BAD_CODE'
  | 'BAD_RECORD'
  | 'UNEXPECTED_RECORD'
  | 'UNSUPPORTED_RECORD_TYPE'
  | 'CONTROL_TOTAL'
  | 'MISSING_COLUMN'
  | 'BAD_CURRENCY'
  | 'CONFLICTING_ROW'
  // control totals and input limits (docs/formats/statements.md "Control totals and limits")
  | 'CONTROL_COUNT'
  | 'MISSING_TRAILER'
  | 'LINE_TOO_LONG'
  | 'FIELD_TOO_LONG'
  | 'XML_TOO_DEEP'
  | 'XML_TOO_MANY_ELEMENTS'
  | 'INVALID_UTF8';

export interface ParseErrorInfo {
  /** 1-based physical line (MT940, BAI2, CSV) or XML line. */
  line?: number;
  /** Element path in an XML file, e.g. `Stmt[2]/Ntry[5]/Amt`. */
  path?: string;
  /** Record identifier the error belongs to (statement/record/row number, txn id position). */
  record?: string;
  /** The field (column, tag, trailer field) the error is about, by name: never its value. */
  field?: string;
}

export class ParseError extends Error {
  readonly code: ParseErrorCode;
  readonly line?: number;
  readonly path?: string;
  readonly record?: string;
  readonly field?: string;

  constructor(code: ParseErrorCode, message: string, info: ParseErrorInfo = {}) {
    const where = [
      info.record !== undefined ? `record ${info.record}` : null,
      info.field !== undefined && info.path === undefined ? `field ${info.field}` : null,
      info.path !== undefined ? `at ${info.path}` : null,
      info.line !== undefined ? `line ${info.line}` : null,
    ]
      .filter(Boolean)
      .join(', ');
    super(where ? `${code}: ${message} (${where})` : `${code}: ${message}`);
    this.name = 'ParseError';
    this.code = code;
    if (info.line !== undefined) this.line = info.line;
    if (info.path !== undefined) this.path = info.path;
    if (info.record !== undefined) this.record = info.record;
    if (info.field !== undefined) this.field = info.field;
  }

  toJSON(): { code: ParseErrorCode; message: string; line?: number; path?: string; record?: string; field?: string } {
    return { code: this.code, message: this.message, line: this.line, path: this.path, record: this.record, field: this.field };
  }
}

export function isParseError(e: unknown): e is ParseError {
  return e instanceof ParseError;
}
