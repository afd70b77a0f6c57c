import { SaxesParser, SaxesTagPlain } from 'saxes';
import type { Readable } from 'stream';
import type { EntryStatus, NormalisedFile, Statement, StatementEntry } from '../../model';
import { parseDecimalMinor } from '../amounts';
import { isoDatePart } from '../dates';
import { InvalidUtf8, Utf8Chunks } from '../encoding';
import { ParseError } from '../errors';
import { parserLimits, type ParserLimits } from '../limits';
import type { Warning } from '../warnings';
import { summaryProblems, type EntryTally, type SummaryProblem } from './camt-summary';

/**
 * ISO 20022 camt.053 (BkToCstmrStmt/Stmt) and camt.054 (BkToCstmrDbtCdtNtfctn/Ntfctn) reader on
 * `saxes` (streaming SAX, no DTD, no entity expansion). Version-agnostic: elements are matched
 * by local name and relative path, so .001.02 to .001.13 read alike (v8+ `<Sts><Cd>`, v2 `<Sts>`).
 */
export type CamtFormat = 'camt.053' | 'camt.054';

interface BalanceAcc {
  type: string | null;
  amount: string | null;
  ccy: string | null;
  cdi: string | null;
}

interface TxAcc {
  endToEndId: string | null;
  uetr: string | null;
  acctSvcrRef: string | null;
  ustrd: string[];
  strdRef: string | null;
  dbtrNm: string | null;
  cdtrNm: string | null;
  rtrRsn: string | null;
  domn: string | null;
  fmly: string | null;
  subFmly: string | null;
}

interface EntryAcc {
  index: number;
  amount: string | null;
  ccy: string | null;
  cdi: string | null;
  rvsl: string | null;
  sts: string | null;
  bookg: string | null;
  val: string | null;
  acctSvcrRef: string | null;
  ntryRef: string | null;
  domn: string | null;
  fmly: string | null;
  subFmly: string | null;
  prtry: string | null;
  addtl: string | null;
  btchNbOfTxs: string | null;
  txs: TxAcc[];
}

interface RecordAcc {
  index: number;
  id: string | null;
  iban: string | null;
  othrId: string | null;
  ccy: string | null;
  elSeq: string | null;
  lglSeq: string | null;
  balances: BalanceAcc[];
  entries: StatementEntry[];
  entryCurrencies: (string | null)[];
  /** TxsSummry values by path below TxsSummry (e.g. `TtlCdtNtries/Sum`). */
  summary: Map<string, string>;
  tally: EntryTally;
}

const RECORD_ELEMENT: Record<CamtFormat, string> = { 'camt.053': 'Stmt', 'camt.054': 'Ntfctn' };
const MESSAGE_ELEMENT: Record<string, CamtFormat> = {
  BkToCstmrStmt: 'camt.053',
  BkToCstmrDbtCdtNtfctn: 'camt.054',
};
const STATUS: Record<string, EntryStatus> = { BOOK: 'BOOKED', PDNG: 'PENDING', INFO: 'PENDING', FUTR: 'PENDING' };

function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function nonEmpty(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

export interface CamtOptions {
  /**
   * Enforce the message's own control data (default true): GrpHdr/MsgId present (at most 35
   * characters) and each TxsSummry total and count equal to the entries. `false` turns summary
   * mismatches into warnings, for looking at a bad file, never for applying one.
   */
  strict?: boolean;
  /** Input limits (depth, element count, text and attribute length); the defaults of limits.ts otherwise. */
  limits?: Partial<ParserLimits>;
}

export interface CamtReaderOptions extends CamtOptions {
  /** Called with each complete statement/notification; when given, the reader does not keep them. */
  onStatement?: (s: Statement, index: number) => void;
}

/** Incremental camt reader: feed it text chunks, then `finish()`. */
export class CamtReader {
  private readonly sax = new SaxesParser({ xmlns: false, position: true });
  private readonly stack: string[] = [];
  private text = '';
  private format: CamtFormat | null = null;
  private recordDepth = -1;
  private entryDepth = -1;
  private txDepth = -1;
  private balDepth = -1;
  private rec: RecordAcc | null = null;
  private entry: EntryAcc | null = null;
  private tx: TxAcc | null = null;
  private bal: BalanceAcc | null = null;
  private recordCount = 0;
  private amtCcy: string | null = null;
  private msgId: string | null = null;
  private elements = 0;
  /** Characters read since the last `<` (bounds what saxes buffers for one text node or tag). */
  private sinceMarkup = 0;
  private readonly limits: ParserLimits;
  private readonly strict: boolean;
  private readonly maxUnmarked: number;
  readonly statements: Statement[] = [];
  readonly warnings: Warning[] = [];

  constructor(private readonly opts: CamtReaderOptions = {}) {
    this.limits = parserLimits(opts.limits);
    this.strict = opts.strict !== false;
    // a text node or a start tag with a few attributes, with room for the markup around them
    this.maxUnmarked = this.limits.maxFieldChars + 4 * this.limits.maxXmlAttributeChars + 1024;
    this.sax.on('doctype', () => {
      throw new ParseError('XML_DOCTYPE', 'XML with a DOCTYPE is refused (no DTDs or entity declarations)', {
        line: this.sax.line,
      });
    });
    this.sax.on('error', () => {
      throw new ParseError('XML_MALFORMED', 'not well-formed XML', { line: this.sax.line });
    });
    this.sax.on('opentag', (t) => this.open(t as SaxesTagPlain));
    this.sax.on('text', (t) => this.addText(t));
    this.sax.on('cdata', (t) => this.addText(t));
    this.sax.on('closetag', () => this.close());
  }

  write(chunk: string): void {
    const first = chunk.indexOf('<');
    if (first < 0) this.sinceMarkup += chunk.length;
    else {
      if (this.sinceMarkup + first > this.maxUnmarked) this.tooLong();
      this.sinceMarkup = chunk.length - chunk.lastIndexOf('<') - 1;
    }
    if (this.sinceMarkup > this.maxUnmarked) this.tooLong();
    this.sax.write(chunk);
  }

  /** Line numbers for errors found outside saxes (e.g. invalid UTF-8 right after the text fed so far). */
  get line(): number {
    return this.sax.line;
  }

  private tooLong(): never {
    throw new ParseError('FIELD_TOO_LONG', `more than ${this.maxUnmarked} characters of text or tag without markup`, {
      path: this.path() || '(prolog)',
      line: this.sax.line,
    });
  }

  private addText(t: string): void {
    this.text += t;
    if (this.text.length > this.limits.maxFieldChars) {
      throw new ParseError('FIELD_TOO_LONG', `element text is longer than ${this.limits.maxFieldChars} characters`, {
        path: this.path(),
        line: this.sax.line,
      });
    }
  }

  finish(): NormalisedFile {
    this.sax.close();
    if (!this.format) throw new ParseError('UNSUPPORTED_MESSAGE', 'no camt.053 or camt.054 message found');
    if (this.recordCount === 0) {
      throw new ParseError('NO_STATEMENTS', `message has no ${RECORD_ELEMENT[this.format]} element`);
    }
    const out: NormalisedFile = { format: this.format, statements: this.statements };
    if (this.warnings.length) out.warnings = this.warnings;
    return out;
  }

  get detectedFormat(): CamtFormat | null {
    return this.format;
  }

  private path(): string {
    return this.stack.join('/');
  }

  private open(tag: SaxesTagPlain): void {
    const name = local(tag.name);
    const depth = this.stack.length;
    this.stack.push(name);
    this.text = '';
    if (++this.elements > this.limits.maxXmlElements) {
      throw new ParseError('XML_TOO_MANY_ELEMENTS', `document has more than ${this.limits.maxXmlElements} elements`, { line: this.sax.line });
    }
    if (depth >= this.limits.maxXmlDepth) {
      throw new ParseError('XML_TOO_DEEP', `elements nested deeper than ${this.limits.maxXmlDepth}`, {
        path: this.stack.slice(0, 8).join('/') + '/...',
        line: this.sax.line,
      });
    }
    for (const k in tag.attributes) {
      if (k.length > this.limits.maxXmlAttributeChars || tag.attributes[k].length > this.limits.maxXmlAttributeChars) {
        throw new ParseError('FIELD_TOO_LONG', `attribute longer than ${this.limits.maxXmlAttributeChars} characters`, {
          path: this.path(),
          line: this.sax.line,
        });
      }
    }
    if (depth === 0) {
      if (name !== 'Document') throw new ParseError('UNSUPPORTED_MESSAGE', 'root element is not an ISO 20022 Document', { path: name });
      const iso = Object.entries(tag.attributes)
        .filter(([k, v]) => (k === 'xmlns' || k.startsWith('xmlns:')) && v.includes(':iso:20022:tech:xsd:'))
        .map(([, v]) => v);
      if (iso.length && !iso.some((v) => /camt\.05[34]\.001\.\d{2}$/.test(v))) {
        throw new ParseError('UNSUPPORTED_MESSAGE', 'namespace is not camt.053 or camt.054', { path: name });
      }
      return;
    }
    if (depth === 1) {
      const f = MESSAGE_ELEMENT[name];
      if (!f) throw new ParseError('UNSUPPORTED_MESSAGE', 'message is not BkToCstmrStmt or BkToCstmrDbtCdtNtfctn', { path: this.path() });
      this.format = f;
      return;
    }
    if (depth === 2 && this.format && name === RECORD_ELEMENT[this.format]) {
      if (this.recordCount === 0 && this.strict) this.checkMsgId();
      this.recordCount++;
      this.recordDepth = depth;
      this.rec = {
        index: this.recordCount - 1, id: null, iban: null, othrId: null, ccy: null, elSeq: null, lglSeq: null,
        balances: [], entries: [], entryCurrencies: [], summary: new Map(),
        tally: { count: 0, credits: 0, creditSum: 0n, debits: 0, debitSum: 0n },
      };
      return;
    }
    if (!this.rec) return;
    if (name === 'Amt' || name === 'InstdAmt' || name === 'TxAmt') this.amtCcy = tag.attributes['Ccy'] ?? null;
    if (depth === this.recordDepth + 1 && name === 'Bal') {
      this.balDepth = depth;
      this.bal = { type: null, amount: null, ccy: null, cdi: null };
    } else if (depth === this.recordDepth + 1 && name === 'Ntry') {
      this.entryDepth = depth;
      this.entry = {
        index: this.rec.entries.length, amount: null, ccy: null, cdi: null, rvsl: null, sts: null, bookg: null,
        val: null, acctSvcrRef: null, ntryRef: null, domn: null, fmly: null, subFmly: null, prtry: null,
        addtl: null, btchNbOfTxs: null, txs: [],
      };
    } else if (this.entry && name === 'TxDtls' && this.stack[depth - 1] === 'NtryDtls') {
      this.txDepth = depth;
      this.tx = {
        endToEndId: null, uetr: null, acctSvcrRef: null, ustrd: [], strdRef: null, dbtrNm: null, cdtrNm: null,
        rtrRsn: null, domn: null, fmly: null, subFmly: null,
      };
    }
  }

  private rel(from: number): string {
    return this.stack.slice(from + 1).join('/');
  }

  private close(): void {
    const depth = this.stack.length - 1;
    const text = this.text;
    this.text = '';
    try {
      if (this.rec) this.assign(depth, text);
      else if (depth === 3 && this.stack[2] === 'GrpHdr' && this.stack[3] === 'MsgId') this.msgId = text.trim();
    } finally {
      this.stack.pop();
    }
  }

  private assign(depth: number, text: string): void {
    const rec = this.rec as RecordAcc;
    if (this.tx && depth >= this.txDepth) {
      if (depth === this.txDepth) {
        (this.entry as EntryAcc).txs.push(this.tx);
        this.tx = null;
        return;
      }
      this.assignTx(this.rel(this.txDepth), text, this.tx);
      return;
    }
    if (this.entry && depth >= this.entryDepth) {
      if (depth === this.entryDepth) {
        this.finishEntry(rec, this.entry);
        this.entry = null;
        return;
      }
      this.assignEntry(this.rel(this.entryDepth), text, this.entry);
      return;
    }
    if (this.bal && depth >= this.balDepth) {
      if (depth === this.balDepth) {
        rec.balances.push(this.bal);
        this.bal = null;
        return;
      }
      const p = this.rel(this.balDepth);
      if (p === 'Tp/CdOrPrtry/Cd') this.bal.type = nonEmpty(text);
      else if (p === 'Amt') {
        this.bal.amount = text;
        this.bal.ccy = this.amtCcy;
      } else if (p === 'CdtDbtInd') this.bal.cdi = nonEmpty(text);
      return;
    }
    if (depth === this.recordDepth) {
      this.finishRecord(rec);
      this.rec = null;
      return;
    }
    const p = this.rel(this.recordDepth);
    if (p === 'Id') rec.id = nonEmpty(text);
    else if (p === 'ElctrncSeqNb') rec.elSeq = nonEmpty(text);
    else if (p === 'LglSeqNb') rec.lglSeq = nonEmpty(text);
    else if (p === 'Acct/Id/IBAN') rec.iban = nonEmpty(text);
    else if (p === 'Acct/Id/Othr/Id') rec.othrId = nonEmpty(text);
    else if (p === 'Acct/Ccy') rec.ccy = nonEmpty(text);
    else if (p.startsWith('TxsSummry/')) rec.summary.set(p.slice(10), text.trim());
  }

  private checkMsgId(): void {
    const path = `${this.stack[1]}/GrpHdr/MsgId`;
    if (!this.msgId) throw new ParseError('MISSING_ELEMENT', 'message has no GrpHdr/MsgId before its first statement', { path, line: this.sax.line });
    if (this.msgId.length > 35) throw new ParseError('FIELD_TOO_LONG', 'GrpHdr/MsgId is longer than 35 characters', { path, line: this.sax.line });
  }

  private assignEntry(p: string, text: string, e: EntryAcc): void {
    switch (p) {
      case 'Amt':
        e.amount = text;
        e.ccy = this.amtCcy;
        return;
      case 'CdtDbtInd':
        e.cdi = nonEmpty(text);
        return;
      case 'RvslInd':
        e.rvsl = nonEmpty(text);
        return;
      case 'Sts':
        if (e.sts === null) e.sts = nonEmpty(text);
        return;
      case 'Sts/Cd':
      case 'Sts/Prtry':
        e.sts = nonEmpty(text);
        return;
      case 'BookgDt/Dt':
      case 'BookgDt/DtTm':
        e.bookg = nonEmpty(text);
        return;
      case 'ValDt/Dt':
      case 'ValDt/DtTm':
        e.val = nonEmpty(text);
        return;
      case 'AcctSvcrRef':
        e.acctSvcrRef = nonEmpty(text);
        return;
      case 'NtryRef':
        e.ntryRef = nonEmpty(text);
        return;
      case 'BkTxCd/Domn/Cd':
        e.domn = nonEmpty(text);
        return;
      case 'BkTxCd/Domn/Fmly/Cd':
        e.fmly = nonEmpty(text);
        return;
      case 'BkTxCd/Domn/Fmly/SubFmlyCd':
        e.subFmly = nonEmpty(text);
        return;
      case 'BkTxCd/Prtry/Cd':
        e.prtry = nonEmpty(text);
        return;
      case 'AddtlNtryInf':
        e.addtl = nonEmpty(text);
        return;
      case 'NtryDtls/Btch/NbOfTxs':
        e.btchNbOfTxs = nonEmpty(text);
        return;
      default:
        return;
    }
  }

  private assignTx(p: string, text: string, t: TxAcc): void {
    switch (p) {
      case 'Refs/EndToEndId':
        t.endToEndId = nonEmpty(text);
        return;
      case 'Refs/UETR':
        t.uetr = nonEmpty(text);
        return;
      case 'Refs/AcctSvcrRef':
        t.acctSvcrRef = nonEmpty(text);
        return;
      case 'RmtInf/Ustrd': {
        const u = nonEmpty(text);
        if (u) t.ustrd.push(u);
        return;
      }
      case 'RmtInf/Strd/CdtrRefInf/Ref':
        if (t.strdRef === null) t.strdRef = nonEmpty(text);
        return;
      case 'RltdPties/Dbtr/Nm':
      case 'RltdPties/Dbtr/Pty/Nm':
        t.dbtrNm = nonEmpty(text);
        return;
      case 'RltdPties/Cdtr/Nm':
      case 'RltdPties/Cdtr/Pty/Nm':
        t.cdtrNm = nonEmpty(text);
        return;
      case 'RtrInf/Rsn/Cd':
      case 'RtrInf/Rsn/Prtry':
        t.rtrRsn = nonEmpty(text);
        return;
      case 'BkTxCd/Domn/Cd':
        t.domn = nonEmpty(text);
        return;
      case 'BkTxCd/Domn/Fmly/Cd':
        t.fmly = nonEmpty(text);
        return;
      case 'BkTxCd/Domn/Fmly/SubFmlyCd':
        t.subFmly = nonEmpty(text);
        return;
      default:
        return;
    }
  }

  private entryPath(rec: RecordAcc, e: EntryAcc, field: string): string {
    return `${RECORD_ELEMENT[this.format as CamtFormat]}[${rec.index + 1}]/Ntry[${e.index + 1}]/${field}`;
  }

  private finishEntry(rec: RecordAcc, e: EntryAcc): void {
    const at = (field: string) => ({ path: this.entryPath(rec, e, field), line: this.sax.line, field });
    if (e.amount === null) throw new ParseError('MISSING_ELEMENT', 'entry has no Amt', at('Amt'));
    if (e.cdi !== 'CRDT' && e.cdi !== 'DBIT') {
      throw new ParseError(e.cdi === null ? 'MISSING_ELEMENT' : 'BAD_CODE', 'CdtDbtInd must be CRDT or DBIT', at('CdtDbtInd'));
    }
    if (e.sts === null) throw new ParseError('MISSING_ELEMENT', 'entry has no Sts', at('Sts'));
    const status = STATUS[e.sts];
    if (!status) throw new ParseError('BAD_CODE', 'Sts is not BOOK, PDNG, INFO or FUTR', at('Sts'));
    if (e.rvsl !== null && e.rvsl !== 'true' && e.rvsl !== 'false' && e.rvsl !== '1' && e.rvsl !== '0') {
      throw new ParseError('BAD_CODE', 'RvslInd is not a boolean', at('RvslInd'));
    }
    const reversal = e.rvsl === 'true' || e.rvsl === '1';
    const magnitude = parseDecimalMinor(e.amount, e.ccy, at('Amt'));
    const amountMinor = e.cdi === 'DBIT' ? -magnitude : magnitude;
    const tally = rec.tally;
    tally.count++;
    if (e.cdi === 'DBIT') {
      tally.debits++;
      tally.debitSum += magnitude;
    } else {
      tally.credits++;
      tally.creditSum += magnitude;
    }
    const bookingDate = e.bookg === null ? null : isoDatePart(e.bookg, at('BookgDt'));
    const valueDate = e.val === null ? null : isoDatePart(e.val, at('ValDt'));

    const txs = e.txs;
    const single = txs.length === 1 ? txs[0] : null;
    const e2e = single && single.endToEndId !== 'NOTPROVIDED' ? single.endToEndId : null;
    const remittance = single ? (single.strdRef ?? (single.ustrd.length ? single.ustrd.join(' ') : null)) : null;
    const reference = remittance ?? e.acctSvcrRef ?? single?.acctSvcrRef ?? e.ntryRef;
    // The other party: who paid us on a credit, whom we paid on a debit; a reversal turns the
    // original direction round (an ARET return credit names the original creditor).
    const creditSide = (e.cdi === 'CRDT') !== reversal;
    const counterparty = single ? (creditSide ? single.dbtrNm : single.cdtrNm) : null;

    const extra: Record<string, string> = {};
    const domn = e.domn ?? single?.domn ?? null;
    const fmly = e.fmly ?? single?.fmly ?? null;
    const sub = e.subFmly ?? single?.subFmly ?? null;
    if (domn) extra.bankTxDomain = domn;
    if (fmly) extra.bankTxFamily = fmly;
    if (sub) extra.bankTxSubFamily = sub;
    if (domn && fmly && sub) extra.bankTxCode = `${domn}/${fmly}/${sub}`;
    if (e.prtry) extra.bankTxProprietary = e.prtry;
    if (e.acctSvcrRef) extra.acctSvcrRef = e.acctSvcrRef;
    if (e.ntryRef) extra.entryRef = e.ntryRef;
    if (e.ccy) extra.currency = e.ccy;
    if (e.sts !== 'BOOK' && e.sts !== 'PDNG') extra.camtStatus = e.sts;
    if (e.btchNbOfTxs) extra.batchCount = e.btchNbOfTxs;
    extra.txCount = String(txs.length);
    const reasons = txs.map((t) => t.rtrRsn).filter((r): r is string => r !== null);
    if (reasons.length) extra.returnReason = reasons[0];
    if (single?.uetr) extra.uetr = single.uetr;
    if (txs.length > 1) {
      extra.endToEndIds = JSON.stringify(txs.map((t) => t.endToEndId));
    }
    if (e.addtl) extra.additionalInfo = e.addtl;

    rec.entries.push({
      amountMinor,
      bookingDate,
      valueDate,
      status,
      reversal,
      reference,
      endToEndId: e2e,
      counterparty,
      mcc: null,
      extra,
    });
    rec.entryCurrencies.push(e.ccy);
  }

  private finishRecord(rec: RecordAcc): void {
    const where = `${RECORD_ELEMENT[this.format as CamtFormat]}[${rec.index + 1}]`;
    const account = rec.iban ?? rec.othrId;
    if (!account) throw new ParseError('MISSING_ELEMENT', 'record has no Acct/Id/IBAN or Acct/Id/Othr/Id', { path: `${where}/Acct` });
    const find = (type: string) => rec.balances.find((b) => b.type === type) ?? null;
    const opening = find('OPBD') ?? find('PRCD');
    const closing = find('CLBD');
    const currency = rec.ccy ?? opening?.ccy ?? closing?.ccy ?? rec.balances[0]?.ccy ?? rec.entryCurrencies.find((c) => c) ?? null;
    if (!currency) throw new ParseError('MISSING_ELEMENT', 'no currency on the account, balances or entries', { path: `${where}/Acct/Ccy` });
    const balance = (b: BalanceAcc | null, label: string): bigint | null => {
      if (!b) return null;
      const path = `${where}/Bal[${label}]`;
      if (b.amount === null) throw new ParseError('MISSING_ELEMENT', 'balance has no Amt', { path });
      if (b.cdi !== 'CRDT' && b.cdi !== 'DBIT') throw new ParseError('BAD_CODE', 'balance CdtDbtInd must be CRDT or DBIT', { path });
      const v = parseDecimalMinor(b.amount, b.ccy ?? currency, { path, field: 'Bal/Amt' });
      if (b.ccy && b.ccy !== currency) {
        this.warnings.push({
          code: 'BALANCE_CURRENCY_MISMATCH',
          statement: rec.index,
          message: `${label} balance currency differs from the statement currency`,
        });
      }
      return b.cdi === 'DBIT' ? -v : v;
    };
    rec.entryCurrencies.forEach((c, i) => {
      if (c && c !== currency) {
        this.warnings.push({ code: 'ENTRY_CURRENCY_MISMATCH', statement: rec.index, entry: i, message: 'entry currency differs from the statement currency' });
      } else if (c) {
        delete rec.entries[i].extra?.currency;
      }
    });
    if (rec.summary.size) this.checkSummary(rec, where, currency);
    const st: Statement = {
      account,
      currency,
      sequence: rec.elSeq ?? rec.lglSeq ?? null,
      openingBalanceMinor: balance(opening, opening?.type ?? 'OPBD'),
      closingBalanceMinor: balance(closing, 'CLBD'),
      entries: rec.entries,
    };
    if (this.opts.onStatement) this.opts.onStatement(st, rec.index);
    else this.statements.push(st);
  }

  private checkSummary(rec: RecordAcc, where: string, currency: string): void {
    const problems: SummaryProblem[] = summaryProblems(rec.summary, rec.tally, currency);
    for (const p of problems) {
      const path = `${where}/TxsSummry/${p.field}`;
      if (this.strict) throw new ParseError(p.code, p.message, { path, record: where, field: `TxsSummry/${p.field}` });
      this.warnings.push({ code: `CAMT_SUMMARY_${p.code === 'CONTROL_COUNT' ? 'COUNT' : 'TOTAL'}`, statement: rec.index, message: `${p.message} (${path})` });
    }
  }
}

/**
 * Feeds UTF-8 bytes to the reader; bytes that are not UTF-8 are refused (INVALID_UTF8) with the
 * line they are on (the valid text before them is read first, so the reader's line is theirs).
 */
function feed(reader: CamtReader, decode: () => string): void {
  try {
    reader.write(decode());
  } catch (e) {
    if (!(e instanceof InvalidUtf8)) throw e;
    reader.write(e.validText);
    throw new ParseError('INVALID_UTF8', 'bytes that are not valid UTF-8 (camt files are UTF-8)', { line: reader.line });
  }
}

/** Parses a whole camt.053/camt.054 document held in memory. */
export function parseCamt(input: Buffer | string, opts: CamtOptions = {}): NormalisedFile {
  const r = new CamtReader(opts);
  let text = '';
  if (typeof input === 'string') text = input;
  else {
    const dec = new Utf8Chunks();
    feed(r, () => {
      text = dec.write(input) + dec.end();
      return '';
    });
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ParseError('EMPTY_INPUT', 'file is empty');
  r.write(text);
  return r.finish();
}

/**
 * Streams a camt document (e.g. a 200 MB file) through the SAX reader, yielding each statement
 * as soon as its closing tag is read; memory is bounded by the largest single statement.
 * The final value (`return`) carries the format and any warnings.
 */
export async function* camtStatements(
  readable: Readable | AsyncIterable<Buffer | string>,
  opts: CamtOptions = {},
): AsyncGenerator<Statement, Pick<NormalisedFile, 'format' | 'warnings'>, void> {
  const ready: Statement[] = [];
  const reader = new CamtReader({ ...opts, onStatement: (s) => ready.push(s) });
  const dec = new Utf8Chunks();
  let first = true;
  for await (const chunk of readable as AsyncIterable<Buffer | string>) {
    feed(reader, () => {
      let s = typeof chunk === 'string' ? chunk : dec.write(chunk);
      if (first && s.length) {
        s = s.replace(/^\uFEFF/, '');
        first = false;
      }
      return s;
    });
    while (ready.length) yield ready.shift() as Statement;
  }
  feed(reader, () => dec.end());
  const done = reader.finish();
  while (ready.length) yield ready.shift() as Statement;
  return { format: done.format, ...(done.warnings ? { warnings: done.warnings } : {}) };
}

/** Streams a camt document and collects it into one NormalisedFile. */
export async function parseCamtStream(readable: Readable | AsyncIterable<Buffer | string>, opts: CamtOptions = {}): Promise<NormalisedFile> {
  const statements: Statement[] = [];
  const it = camtStatements(readable, opts);
  for (;;) {
    const r = await it.next();
    if (r.done) {
      const out: NormalisedFile = { format: r.value.format, statements };
      if (r.value.warnings) out.warnings = r.value.warnings;
      return out;
    }
    statements.push(r.value);
  }
}
