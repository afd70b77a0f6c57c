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
  | 'CONFLICTING_ROW';

export interface ParseErrorInfo {
  /** 1-based physical line (MT940, BAI2, CSV) or XML line. */
  line?: number;
  /** Element path in an XML file, e.g. `Stmt[2]/Ntry[5]/Amt`. */
  path?: string;
  /** Record identifier the error belongs to (statement/record/row number, txn id position). */
  record?: string;
}

export class ParseError extends Error {
  readonly code: ParseErrorCode;
  readonly line?: number;
  readonly path?: string;
  readonly record?: string;

  constructor(code: ParseErrorCode, message: string, info: ParseErrorInfo = {}) {
    const where = [
      info.record !== undefined ? `record ${info.record}` : null,
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
  }

  toJSON(): { code: ParseErrorCode; message: string; line?: number; path?: string; record?: string } {
    return { code: this.code, message: this.message, line: this.line, path: this.path, record: this.record };
  }
}

export function isParseError(e: unknown): e is ParseError {
  return e instanceof ParseError;
}
