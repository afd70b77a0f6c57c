import type { NormalisedFile, Statement, StatementEntry } from '../../model';
import { parseIntegerMinor } from '../amounts';
import { yymmdd } from '../dates';
import { decodeText } from '../encoding';
import { ParseError } from '../errors';
import { parserLimits, type ParserLimits } from '../limits';
import type { Warning } from '../warnings';
import { Bai2Record, splitBai2Records } from './bai2-records';

/**
 * BAI2 cash-management balance report reader (record types 01, 02, 03, 16, 88, 49, 98, 99).
 * Amounts carry implied decimals, i.e. they already are integer minor units. Each 03 account
 * of each 02 group is one Statement: opening = type 010 (opening ledger), closing = 015 (closing
 * ledger). 16 details: type 100-399 credit, 400-699 debit; other codes are refused unless
 * `typeCodeDirections` says which way they go.
 *
 * Control totals and record counts (49/98/99) are always recomputed and must agree: a mismatch,
 * a missing count or a blank total over amounts is a ParseError (CONTROL_TOTAL / CONTROL_COUNT,
 * naming the account/group/file and the trailer field). `strict: false` turns them into
 * warnings, for looking at a bad file (`inspect`), never for applying one.
 */
export interface Bai2Options {
  /** Enforce the 49/98/99 control totals and counts (default true). */
  strict?: boolean;
  /** Input limits (line and field length); the defaults of limits.ts otherwise. */
  limits?: Partial<ParserLimits>;
  /** Currency when neither the 03 nor the 02 record names one (BAI2 default: USD). */
  defaultCurrency?: string;
  /** Extra detail type codes -> direction, for bank-specific (e.g. 9xx) codes. */
  typeCodeDirections?: Record<string, 'credit' | 'debit'>;
}

interface Funds {
  fundsType: string;
  valueDate: string | null;
  next: number;
}

export function parseBai2(input: Buffer | string, opts: Bai2Options = {}): NormalisedFile {
  const text = decodeText(input).replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '');
  if (text.trim() === '') throw new ParseError('EMPTY_INPUT', 'file is empty');
  const limits = parserLimits(opts.limits);
  const strict = opts.strict !== false;
  const { records } = splitBai2Records(text, limits.maxLineChars);
  const warnings: Warning[] = [];
  const statements: Statement[] = [];
  /** Where a trailer mismatch is: `account N` (file-wide statement number), `group N` or `file`. */
  type Scope = { record: string; statement?: number };
  const mismatch = (code: string, message: string, r: Bai2Record, scope: Scope, field: string) => {
    if (strict) {
      throw new ParseError(code === 'BAI2_CONTROL_TOTAL' ? 'CONTROL_TOTAL' : 'CONTROL_COUNT', message, { line: r.line, record: scope.record, field });
    }
    warnings.push({ code, message, ...(scope.statement !== undefined ? { statement: scope.statement } : {}) });
  };
  const fields = (r: Bai2Record) => {
    const f = [r.body, ...r.continuations].join(',').split(',');
    checkFieldLengths(f, r);
    return f;
  };
  const count = (r: Bai2Record) => 1 + r.continuations.length;

  let i = 0;
  const next = () => records[i++];
  const peek = () => records[i];
  const first = next();
  if (!first || first.code !== '01') {
    if (first && !/^(01|02|03|16|49|88|98|99)$/.test(first.code)) {
      throw new ParseError('UNSUPPORTED_RECORD_TYPE', 'record type is not a BAI2 record type', { line: first.line, record: '1' });
    }
    throw new ParseError('UNEXPECTED_RECORD', 'file does not start with a 01 file header', { line: first?.line ?? 1 });
  }
  const header = fields(first);
  if ((header[7] ?? '').trim() !== '2') {
    throw new ParseError('UNSUPPORTED_MESSAGE', '01 version number is not 2', { line: first.line });
  }
  let fileRecords = count(first);
  let groupTotalsSum = 0n;
  let groups = 0;

  for (;;) {
    const r = next();
    if (!r) throw new ParseError('MISSING_TRAILER', 'file has no 99 file trailer (file truncated?)', { line: records[records.length - 1].line, record: 'file', field: '99' });
    checkType(r);
    if (r.code === '99') {
      fileRecords += count(r);
      const f = fields(r);
      const scope = { record: 'file' };
      checkTotal(f[0], groupTotalsSum, 'file control total (99) differs from the sum of group totals', r, scope, '99 file control total');
      checkCount(f[1], groups, 'BAI2_GROUP_COUNT', '99 number of groups differs from the groups present', r, scope, '99 number of groups');
      checkCount(f[2], fileRecords, 'BAI2_RECORD_COUNT', '99 number of records differs from the records present', r, scope, '99 number of records');
      if (peek()) throw new ParseError('UNEXPECTED_RECORD', 'records after the 99 file trailer', { line: peek().line });
      break;
    }
    if (r.code !== '02') throw new ParseError('UNEXPECTED_RECORD', `record ${r.code} where a 02 group header or 99 trailer belongs`, { line: r.line });
    groups++;
    const g = fields(r);
    const groupCurrency = (g[5] ?? '').trim();
    const asOf = yymmdd((g[3] ?? '').trim(), { field: '02 as-of date', line: r.line });
    if (asOf.adjusted) throw new ParseError('BAD_DATE', '02 as-of date is not a date', { line: r.line });
    let groupRecords = count(r);
    let accountTotalsSum = 0n;
    let accounts = 0;
    for (;;) {
      const a = next();
      if (!a) throw new ParseError('MISSING_TRAILER', 'group has no 98 group trailer (file truncated?)', { line: r.line, record: `group ${groups}`, field: '98' });
      checkType(a);
      if (a.code === '98') {
        groupRecords += count(a);
        const f = fields(a);
        const scope = { record: `group ${groups}` };
        checkTotal(f[0], accountTotalsSum, 'group control total (98) differs from the sum of account totals', a, scope, '98 group control total');
        checkCount(f[1], accounts, 'BAI2_ACCOUNT_COUNT', '98 number of accounts differs from the accounts present', a, scope, '98 number of accounts');
        checkCount(f[2], groupRecords, 'BAI2_RECORD_COUNT', '98 number of records differs from the records present', a, scope, '98 number of records');
        groupTotalsSum += parseTotal(f[0], a);
        fileRecords += groupRecords;
        break;
      }
      if (a.code !== '03') throw new ParseError('UNEXPECTED_RECORD', `record ${a.code} where a 03 account or 98 trailer belongs`, { line: a.line });
      accounts++;
      const statementIndex = statements.length;
      const acc = readAccount(a, groupCurrency, asOf.date, statementIndex);
      groupRecords += acc.records;
      accountTotalsSum += acc.trailerTotal;
      statements.push(acc.statement);
    }
  }
  const out: NormalisedFile = { format: 'bai2', statements };
  if (warnings.length) out.warnings = warnings;
  return out;

  function checkType(r: Bai2Record): void {
    if (!/^(01|02|03|16|49|98|99)$/.test(r.code)) {
      throw new ParseError(
        r.code === '88' ? 'UNEXPECTED_RECORD' : 'UNSUPPORTED_RECORD_TYPE',
        r.code === '88' ? '88 continuation with nothing to continue' : 'record type is not a BAI2 record type',
        { line: r.line },
      );
    }
  }

  function parseTotal(v: string | undefined, r: Bai2Record): bigint {
    const t = (v ?? '').trim();
    return t === '' ? 0n : parseIntegerMinor(t, { field: 'control total', line: r.line });
  }

  /**
   * A control total must equal the computed sum. A blank one is accepted only when there is
   * nothing to add up (an account with no amounts: the corpus has such files); a blank total
   * over amounts would let any amounts through.
   */
  function checkTotal(v: string | undefined, computed: bigint, message: string, r: Bai2Record, scope: Scope, field: string): void {
    if ((v ?? '').trim() === '') {
      if (computed !== 0n) mismatch('BAI2_CONTROL_TOTAL', `${field} is blank but there are amounts to total`, r, scope, field);
      return;
    }
    if (parseTotal(v, r) !== computed) mismatch('BAI2_CONTROL_TOTAL', message, r, scope, field);
  }

  /** A record/account/group count must be given and equal what is present. */
  function checkCount(v: string | undefined, present: number, code: string, message: string, r: Bai2Record, scope: Scope, field: string): void {
    const t = (v ?? '').trim();
    if (t === '') {
      mismatch(code, `${field} is missing`, r, scope, field);
      return;
    }
    if (!/^\d{1,9}$/.test(t) || Number(t) !== present) mismatch(code, message, r, scope, field);
  }

  function checkFieldLengths(f: string[], r: Bai2Record): void {
    for (let k = 0; k < f.length; k++) {
      if (f[k].length > limits.maxFieldChars) {
        throw new ParseError('FIELD_TOO_LONG', `field ${k + 1} of a ${r.code} record is longer than ${limits.maxFieldChars} characters`, {
          line: r.line,
          field: `${r.code} field ${k + 1}`,
        });
      }
    }
  }

  function funds(f: string[], at: number, r: Bai2Record): Funds {
    const t = (f[at] ?? '').trim();
    switch (t) {
      case '':
      case '0':
      case '1':
      case '2':
      case 'Z':
        return { fundsType: t, valueDate: null, next: at + 1 };
      case 'V': {
        const d = (f[at + 1] ?? '').trim();
        const valueDate = d === '' ? null : yymmdd(d, { field: 'value date', line: r.line }).date;
        return { fundsType: t, valueDate, next: at + 3 };
      }
      case 'S':
        return { fundsType: t, valueDate: null, next: at + 4 };
      case 'D': {
        const n = Number((f[at + 1] ?? '').trim());
        if (!Number.isInteger(n) || n < 0 || n > 1000) throw new ParseError('BAD_RECORD', 'distributed availability count is not a number', { line: r.line });
        return { fundsType: t, valueDate: null, next: at + 2 + 2 * n };
      }
      default:
        throw new ParseError('BAD_CODE', 'funds type is not 0, 1, 2, S, V, D or Z', { line: r.line });
    }
  }

  function direction(typeCode: string, r: Bai2Record): 1n | -1n {
    const custom = opts.typeCodeDirections?.[typeCode];
    if (custom) return custom === 'credit' ? 1n : -1n;
    const n = Number(typeCode);
    if (/^\d{3}$/.test(typeCode) && n >= 100 && n <= 399) return 1n;
    if (/^\d{3}$/.test(typeCode) && n >= 400 && n <= 699) return -1n;
    throw new ParseError('BAD_CODE', 'detail type code is not a credit (100-399) or debit (400-699) code', { line: r.line });
  }

  function readAccount(a: Bai2Record, groupCurrency: string, asOf: string, sIdx: number) {
    const f = fields(a);
    const account = (f[0] ?? '').trim();
    if (!account) throw new ParseError('MISSING_ELEMENT', '03 has no account number', { line: a.line });
    const currency = (f[1] ?? '').trim() || groupCurrency || opts.defaultCurrency || 'USD';
    let opening: bigint | null = null;
    let closing: bigint | null = null;
    let computed = 0n;
    for (let k = 2; k < f.length; ) {
      const type = (f[k] ?? '').trim();
      if (type === '') {
        k++;
        continue;
      }
      const amountText = (f[k + 1] ?? '').trim();
      const amount = amountText === '' ? null : parseIntegerMinor(amountText, { field: '03 summary amount', line: a.line });
      if (amount !== null) computed += amount;
      if (type === '010' && opening === null) opening = amount;
      if (type === '015' && closing === null) closing = amount;
      k = funds(f, k + 3, a).next;
    }
    let records = count(a);
    const entries: StatementEntry[] = [];
    for (;;) {
      const d = next();
      if (!d) throw new ParseError('MISSING_TRAILER', 'account has no 49 account trailer (file truncated?)', { line: a.line, record: `account ${sIdx + 1}`, field: '49' });
      checkType(d);
      records += count(d);
      if (d.code === '49') {
        const t = fields(d);
        const scope = { record: `account ${sIdx + 1}`, statement: sIdx };
        checkTotal(t[0], computed, 'account control total (49) differs from the sum of its 03 and 16 amounts', d, scope, '49 account control total');
        checkCount(t[1], records, 'BAI2_RECORD_COUNT', '49 number of records differs from the records present', d, scope, '49 number of records');
        return {
          records,
          trailerTotal: parseTotal(t[0], d),
          statement: { account, currency, sequence: null, openingBalanceMinor: opening, closingBalanceMinor: closing, entries } as Statement,
        };
      }
      if (d.code !== '16') throw new ParseError('UNEXPECTED_RECORD', `record ${d.code} inside an account`, { line: d.line });
      const df = d.body.split(',');
      checkFieldLengths(df, d);
      const type = (df[0] ?? '').trim();
      const amount = parseIntegerMinor((df[1] ?? '').trim(), { field: '16 amount', line: d.line });
      computed += amount;
      const fu = funds(df, 2, d);
      const bankRef = (df[fu.next] ?? '').trim();
      const custRef = (df[fu.next + 1] ?? '').trim();
      const textParts = [df.slice(fu.next + 2).join(','), ...d.continuations].map((s) => s.trim()).filter(Boolean);
      if (textParts.reduce((n, s) => n + s.length + 1, 0) > limits.maxFieldChars) {
        throw new ParseError('FIELD_TOO_LONG', `16 text (with its 88 continuations) is longer than ${limits.maxFieldChars} characters`, {
          line: d.line,
          record: `account ${sIdx + 1}`,
          field: '16 text',
        });
      }
      const magnitude = amount < 0n ? -amount : amount;
      const extra: Record<string, string> = { typeCode: type };
      if (fu.fundsType) extra.fundsType = fu.fundsType;
      if (bankRef) extra.bankReference = bankRef;
      if (textParts.length) extra.text = textParts.join(' ');
      entries.push({
        amountMinor: direction(type, d) * magnitude,
        bookingDate: asOf,
        valueDate: fu.valueDate ?? asOf,
        status: 'BOOKED',
        reversal: false,
        reference: custRef || null,
        endToEndId: null,
        counterparty: null,
        mcc: null,
        extra,
      });
    }
  }
}
