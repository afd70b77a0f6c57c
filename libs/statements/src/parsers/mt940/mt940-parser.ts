import type { NormalisedFile, Statement, StatementEntry } from '../../model';
import { parseDecimalMinor } from '../amounts';
import { mmddNear, yymmdd } from '../dates';
import { decodeText } from '../encoding';
import { ParseError } from '../errors';
import { parserLimits, type ParserLimits } from '../limits';
import type { Warning } from '../warnings';
import { parseStructured86 } from './field86';

/**
 * SWIFT MT940 customer statement reader. Accepts bare messages, messages wrapped in SWIFT FIN
 * blocks (`{1:..}{2:..}{3:..}{4:` ... `-}{5:..}`), bank preamble lines before `:20:`, SOH/ETX
 * control characters, CRLF/LF, and several statements (or pages, `:60M:`/`:62M:`) per file.
 * Each `:20:` block becomes one Statement.
 */
export interface Mt940Options {
  /** 8-bit code page used when the bytes are not valid UTF-8 (default windows-1252). */
  encoding?: string;
  /** Refuse a closing balance in another currency than the opening one (default true; false: a warning). */
  strict?: boolean;
  /** Input limits (line length, tag content length); the defaults of limits.ts otherwise. */
  limits?: Partial<ParserLimits>;
}

interface TagLine {
  tag: string;
  lines: string[];
  line: number;
}

interface Balance {
  amount: bigint;
  currency: string;
  date: string;
}

interface StatementAcc {
  index: number;
  line: number;
  account: string | null;
  sequence: string | null;
  opening: Balance | null;
  closing: Balance | null;
  entries: StatementEntry[];
  rawEntries: { tag: TagLine; details: string[] }[];
  closed: boolean;
}

const TAG = /^:(\d{2}[A-Z]?|NS):(.*)$/;
const BALANCE = /^([CD])(\d{6})([A-Z]{3})(\d+,\d*)$/;
const LINE61 = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?(\d+,\d*)([A-Z][A-Z0-9 ]{3})(.*)$/;

function isTerminator(line: string): boolean {
  return /^-(\}.*|XXX)?\s*$/.test(line);
}

export function parseMt940(input: Buffer | string, opts: Mt940Options = {}): NormalisedFile {
  const text = decodeText(input, opts.encoding).replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '');
  if (text.trim() === '') throw new ParseError('EMPTY_INPUT', 'file is empty');
  const lines = text.split(/\r\n|\r|\n/);
  const limits = parserLimits(opts.limits);
  const strict = opts.strict !== false;
  const warnings: Warning[] = [];
  const statements: StatementAcc[] = [];
  let cur: StatementAcc | null = null;
  let tag: TagLine | null = null;

  let tagChars = 0;
  const flushTag = () => {
    if (tag && cur) applyTag(cur, tag);
    tag = null;
  };
  const closeStatement = () => {
    flushTag();
    cur = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i];
    if (line.length > limits.maxLineChars) {
      throw new ParseError('LINE_TOO_LONG', `line is longer than ${limits.maxLineChars} characters`, { line: lineNo });
    }
    if (line.startsWith('{')) {
      const b4 = line.indexOf('{4:');
      if (b4 < 0) continue; // {1:..}{2:..} header-only or {5:..} trailer line
      closeStatement();
      line = line.slice(b4 + 3);
      if (line.trim() === '') continue;
    }
    if (isTerminator(line)) {
      closeStatement();
      continue;
    }
    if (line.trim() === '') continue;
    const m = TAG.exec(line);
    if (m) {
      flushTag();
      if (m[1] === '20') {
        cur = {
          index: statements.length, line: lineNo, account: null, sequence: null, opening: null, closing: null,
          entries: [], rawEntries: [], closed: false,
        };
        statements.push(cur);
      } else if (!cur) {
        throw new ParseError('UNEXPECTED_RECORD', `tag :${m[1]}: before any :20:`, { line: lineNo });
      }
      tag = { tag: m[1], lines: [m[2]], line: lineNo };
      tagChars = m[2].length;
      continue;
    }
    if (tag) {
      const t = tag as TagLine;
      tagChars += line.length + 1;
      if (tagChars > limits.maxFieldChars) {
        throw new ParseError('FIELD_TOO_LONG', `:${t.tag}: content is longer than ${limits.maxFieldChars} characters`, {
          line: lineNo,
          record: statements.length ? String(statements.length) : undefined,
          field: `:${t.tag}:`,
        });
      }
      t.lines.push(line);
    }
    // else: preamble line between messages (ABNANL2A, 940, :940:, 0000 01INGB...), ignored
  }
  closeStatement();

  if (statements.length === 0) throw new ParseError('NO_STATEMENTS', 'no :20: statement found');
  const out: NormalisedFile = { format: 'mt940', statements: statements.map((s) => finish(s, warnings)) };
  if (warnings.length) out.warnings = warnings;
  return out;

  function applyTag(s: StatementAcc, t: TagLine): void {
    const first = t.lines[0].trim();
    const rec = String(s.index + 1);
    switch (t.tag) {
      case '25':
        s.account = first;
        return;
      case '28':
      case '28C':
        s.sequence = first;
        return;
      case '60F':
      case '60M':
        s.opening = balance(first, t, rec);
        return;
      case '62F':
      case '62M':
        s.closing = balance(first, t, rec);
        s.closed = true;
        return;
      case '61':
        if (s.closed) throw new ParseError('UNEXPECTED_RECORD', ':61: after the closing balance', { line: t.line, record: rec });
        s.rawEntries.push({ tag: t, details: [] });
        return;
      case '86': {
        const last = s.rawEntries[s.rawEntries.length - 1];
        if (last && !s.closed) last.details.push(...t.lines);
        return; // otherwise statement-level information, not kept
      }
      default:
        return; // :21:, :64:, :65:, :NS: and others carry nothing we use
    }
  }

  function balance(v: string, t: TagLine, rec: string): Balance {
    const m = BALANCE.exec(v);
    if (!m) throw new ParseError('BAD_RECORD', `:${t.tag}: is not mark, YYMMDD, currency, amount`, { line: t.line, record: rec });
    const d = yymmdd(m[2], { field: `:${t.tag}: date`, line: t.line, record: rec });
    // A balance is dated by the bank's own books: an impossible date there (31 November) is a
    // corrupt file, not the 30-day-month value-date quirk that :61: tolerates with a warning.
    if (d.adjusted) throw new ParseError('BAD_DATE', `:${t.tag}: date is past the month's end`, { field: `:${t.tag}: date`, line: t.line, record: rec });
    const amt = parseDecimalMinor(m[4], m[3], { field: `:${t.tag}: amount`, line: t.line, record: rec });
    return { amount: m[1] === 'D' ? -amt : amt, currency: m[3], date: d.date };
  }

  function finish(s: StatementAcc, warn: Warning[]): Statement {
    const rec = String(s.index + 1);
    if (!s.account) throw new ParseError('MISSING_ELEMENT', 'statement has no :25: account', { line: s.line, record: rec });
    if (!s.opening) throw new ParseError('MISSING_ELEMENT', 'statement has no :60F:/:60M: opening balance', { line: s.line, record: rec });
    if (!s.closing) throw new ParseError('MISSING_ELEMENT', 'statement has no :62F:/:62M: closing balance', { line: s.line, record: rec });
    const currency = s.opening.currency;
    if (s.closing.currency !== currency) {
      if (strict) {
        throw new ParseError('BAD_CURRENCY', 'closing balance currency differs from the opening balance currency', {
          line: s.line,
          record: rec,
          field: ':62F:/:62M: currency',
        });
      }
      warn.push({ code: 'BALANCE_CURRENCY_MISMATCH', statement: s.index, message: 'closing balance currency differs from the opening balance currency' });
    }
    const entries = s.rawEntries.map((r, i) => entry(r.tag, r.details, currency, s.index, i, warn));
    return {
      account: s.account,
      currency,
      sequence: s.sequence,
      openingBalanceMinor: s.opening.amount,
      closingBalanceMinor: s.closing.amount,
      entries,
    };
  }
}

function entry(t: TagLine, details: string[], currency: string, sIdx: number, eIdx: number, warn: Warning[]): StatementEntry {
  const rec = `${sIdx + 1}/${eIdx + 1}`;
  const m = LINE61.exec(t.lines[0].replace(/\s+$/, ''));
  if (!m) throw new ParseError('BAD_RECORD', ':61: is not a valid statement line', { line: t.line, record: rec });
  const [, valueRaw, entryRaw, mark, funds, amountRaw, typeCode, rest] = m;
  const vd = yymmdd(valueRaw, { field: ':61: value date', line: t.line, record: rec });
  if (vd.adjusted) warn.push({ code: 'MT940_DATE_ADJUSTED', statement: sIdx, entry: eIdx, message: ':61: value date past the month end moved to its last day' });
  let bookingDate = vd.date;
  if (entryRaw) {
    const ed = mmddNear(entryRaw, vd.date, { field: ':61: entry date', line: t.line, record: rec });
    if (ed.adjusted) warn.push({ code: 'MT940_DATE_ADJUSTED', statement: sIdx, entry: eIdx, message: ':61: entry date past the month end moved to its last day' });
    bookingDate = ed.date;
  }
  const magnitude = parseDecimalMinor(amountRaw, currency, { field: ':61: amount', line: t.line, record: rec });
  // RC (reversal of a credit) is a debit; RD (reversal of a debit) is a credit.
  const debit = mark === 'D' || mark === 'RC';
  const reversal = mark === 'RC' || mark === 'RD';

  let customerRef: string;
  let bankRef = '';
  let supplementary: string;
  const slash = rest.indexOf('//');
  if (slash >= 0 && slash <= 16) {
    customerRef = rest.slice(0, slash);
    const after = rest.slice(slash + 2);
    bankRef = after.slice(0, 16);
    supplementary = after.slice(16);
  } else {
    customerRef = rest.slice(0, 16);
    supplementary = rest.slice(16);
  }
  const supp = [supplementary, ...t.lines.slice(1)].map((x) => x.trim()).filter(Boolean).join(' ');
  const ref = (x: string) => {
    const v = x.trim();
    return v === '' || v === 'NONREF' ? null : v;
  };

  const extra: Record<string, string> = { typeCode: typeCode.trim() || typeCode, mark };
  if (funds) extra.fundsCode = funds;
  const b = ref(bankRef);
  if (b) extra.bankReference = b;
  if (supp) extra.supplementary = supp;
  let endToEndId: string | null = null;
  let counterparty: string | null = null;
  if (details.length) {
    extra.details = details.map((d) => d.replace(/\s+$/, '')).join('\n').trim();
    const s = parseStructured86(details.map((d) => d.replace(/\s+$/, '')).join(''));
    if (s) {
      if (s.gvc) extra.transactionCode = s.gvc;
      endToEndId = s.endToEndId;
      counterparty = s.name;
      if (s.purpose) extra.purpose = s.purpose;
    }
  }
  return {
    amountMinor: debit ? -magnitude : magnitude,
    bookingDate,
    valueDate: vd.date,
    status: 'BOOKED',
    reversal,
    reference: ref(customerRef),
    endToEndId,
    counterparty,
    mcc: null,
    extra,
  };
}
