/**
 * ISO 20022 pain.001.001.03 customer credit transfer initiation for UK domestic (Bacs) credits.
 * One PmtInf; accounts as Othr/Id = sort code + account number (14 digits), agents as
 * ClrSysMmbId GBDSC + sort code. MsgId = runId, CreDtTm = `${runDate}T00:00:00` (no clock).
 */
import { decimalToPence, penceText } from './amounts';
import { checkedCivilDate } from './dates';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { render, type Out } from './render';
import { isoLatinText, xmlEscape } from './text';
import { validateRunInput } from './validate-input';
import { attributesOf, firstChild, streamXml, type XmlFrame, type XmlVisitor } from './xml-stream';

export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

const XML_ESCAPER = { escape: xmlEscape };
const el = (name: string, value: string) => `<${name}>${xmlEscape(value)}</${name}>`;

function ukAgent(sortCode: string): string {
  return `<FinInstnId><ClrSysMmbId><ClrSysId><Cd>GBDSC</Cd></ClrSysId>${el('MmbId', sortCode)}</ClrSysMmbId></FinInstnId>`;
}

function ukAccount(sortCode: string, accountNumber: string, ccy?: string): string {
  return `<Id><Othr>${el('Id', sortCode + accountNumber)}</Othr></Id>${ccy ? el('Ccy', ccy) : ''}`;
}

const I3 = '      ';
const I4 = '        ';

export function writePain001(input: PaymentRunFilesInput): WrittenFile {
  validateRunInput(input);
  return writePain001Unchecked(input);
}

/** writePain001 for an input already passed through validateRunInput (writeRunFiles checks once for all files). */
export function writePain001Unchecked(input: PaymentRunFilesInput): WrittenFile {
  const s = input.settings;
  if (input.credits.length === 0) throw new FinanceFileError('PAIN001_EMPTY', 'a pain.001 file needs at least one credit');
  const debtorName = isoLatinText(s.debtorName ?? s.originatingAccountName ?? '', 70);
  if (!debtorName) throw new FinanceFileError('MISSING_PAIN001_SETTING', 'settings.debtorName is required for PAIN001');
  if (!s.originatingSortCode || !/^\d{6}$/.test(s.originatingSortCode)) {
    throw new FinanceFileError('MISSING_PAIN001_SETTING', 'settings.originatingSortCode must be 6 digits');
  }
  if (!s.originatingAccountNumber || !/^\d{8}$/.test(s.originatingAccountNumber)) {
    throw new FinanceFileError('MISSING_PAIN001_SETTING', 'settings.originatingAccountNumber must be 8 digits');
  }
  checkedCivilDate(input.entryDate, 'entryDate');
  // Names are mapped (and refused when empty) before anything is laid out.
  const names: string[] = new Array<string>(input.credits.length);
  let totalPence = 0n;
  input.credits.forEach((c, i) => {
    const name = isoLatinText(c.accountName, 70);
    if (!name) throw new FinanceFileError('PAIN001_EMPTY_NAME', `payee ${c.payeeId}: accountName is empty after character mapping`);
    names[i] = name;
    totalPence += c.amountPence;
  });
  const count = String(input.credits.length);
  const total = penceText(totalPence);
  const i2 = '  ';
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${PAIN001_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`,
    `${i2}<CstmrCdtTrfInitn>`,
    `${i2.repeat(2)}<GrpHdr>`,
    `${i2.repeat(3)}${el('MsgId', input.runId)}`,
    `${i2.repeat(3)}${el('CreDtTm', `${input.runDate}T00:00:00`)}`,
    `${i2.repeat(3)}${el('NbOfTxs', count)}`,
    `${i2.repeat(3)}${el('CtrlSum', total)}`,
    `${i2.repeat(3)}<InitgPty>${el('Nm', debtorName)}</InitgPty>`,
    `${i2.repeat(2)}</GrpHdr>`,
    `${i2.repeat(2)}<PmtInf>`,
    `${i2.repeat(3)}${el('PmtInfId', `${input.runId}/1`)}`,
    `${i2.repeat(3)}${el('PmtMtd', 'TRF')}`,
    `${i2.repeat(3)}${el('BtchBookg', 'true')}`,
    `${i2.repeat(3)}${el('NbOfTxs', count)}`,
    `${i2.repeat(3)}${el('CtrlSum', total)}`,
    `${i2.repeat(3)}<PmtTpInf><SvcLvl>${el('Cd', 'NURG')}</SvcLvl></PmtTpInf>`,
    `${i2.repeat(3)}${el('ReqdExctnDt', input.entryDate)}`,
    `${i2.repeat(3)}<Dbtr>${el('Nm', debtorName)}</Dbtr>`,
    `${i2.repeat(3)}<DbtrAcct>${ukAccount(s.originatingSortCode, s.originatingAccountNumber, s.currency)}</DbtrAcct>`,
    `${i2.repeat(3)}<DbtrAgt>${ukAgent(s.originatingSortCode)}</DbtrAgt>`,
    '',
  ].join('\n');
  const tail = [`${i2.repeat(2)}</PmtInf>`, `${i2}</CstmrCdtTrfInitn>`, '</Document>', ''].join('\n');
  const amountOpen = `${I4}<Amt><InstdAmt Ccy="${xmlEscape(s.currency)}">`;
  const layout = (out: Out): void => {
    out.raw(head); // plain ASCII: validated ids, dates and isoLatinText names, already escaped
    input.credits.forEach((c, i) => {
      out.raw(`${I3}<CdtTrfTxInf>\n${I4}<PmtId><InstrId>`);
      out.text(c.paymentRef);
      out.raw('</InstrId><EndToEndId>');
      out.text(c.endToEndId);
      out.raw(`</EndToEndId></PmtId>\n${amountOpen}${penceText(c.amountPence)}</InstdAmt></Amt>\n`);
      out.raw(`${I4}<CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>GBDSC</Cd></ClrSysId><MmbId>`);
      out.text(c.sortCode);
      out.raw(`</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>\n${I4}<Cdtr><Nm>`);
      out.text(names[i]);
      out.raw(`</Nm></Cdtr>\n${I4}<CdtrAcct><Id><Othr><Id>`);
      out.text(c.sortCode + c.accountNumber);
      out.raw(`</Id></Othr></Id></CdtrAcct>\n${I4}<RmtInf><Ustrd>`);
      out.text(c.paymentRef);
      out.raw(`</Ustrd></RmtInf>\n${I3}</CdtTrfTxInf>\n`);
    });
    out.raw(tail);
  };
  return {
    name: fileNames.pain001(input),
    content: render(layout, XML_ESCAPER),
    records: input.credits.length,
    totalPence,
  };
}
function declaredCount(text: string | undefined, where: string, problems: string[]): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) {
    problems.push(`${where} NbOfTxs is not a number`);
    return undefined;
  }
  return Number(text);
}

/** What the reader keeps of one CdtTrfTxInf: the first match of each path. */
interface TxFields {
  amount?: string; // InstdAmt text, untrimmed
  amountCcy?: string;
  eqvt?: string; // EqvtAmt/Amt text, untrimmed
  eqvtCcy?: string;
  ustrd?: string;
  strdRef?: string;
  endToEndId?: string;
  otherId?: string;
  iban?: string;
  agentSort?: string;
  name?: string;
}

/** Paths below CdtTrfTxInf, each step the first child of that name, to the field they fill. */
const TX_PATHS: Record<string, keyof TxFields> = {
  'Amt/InstdAmt': 'amount',
  'Amt/EqvtAmt/Amt': 'eqvt',
  'RmtInf/Ustrd': 'ustrd',
  'RmtInf/Strd/CdtrRefInf/Ref': 'strdRef',
  'PmtId/EndToEndId': 'endToEndId',
  'CdtrAcct/Id/Othr/Id': 'otherId',
  'CdtrAcct/Id/IBAN': 'iban',
  'CdtrAgt/FinInstnId/ClrSysMmbId/MmbId': 'agentSort',
  'Cdtr/Nm': 'name',
};
const TX_PREFIXES = new Set(Object.keys(TX_PATHS).flatMap((p) => p.split('/').map((_, i, a) => a.slice(0, i + 1).join('/'))));
const UNTRIMMED = new Set<keyof TxFields>(['amount', 'eqvt']);

const enum Tag {
  None = 0,
  Root,
  Initn,
  GrpHdr,
  GrpField,
  PmtInf,
  PmtField,
  Tx,
  TxPath,
}

class Pain001Visitor implements XmlVisitor {
  rootName: string | undefined;
  initnSeen = false;
  grpHdrSeen = false;
  grpNbOfTxs?: string;
  grpCtrlSum?: string;
  readonly problems: string[] = [];
  readonly credits: ReadCredit[] = [];
  readonly currencies = new Set<string | undefined>();
  totalPence = 0n;
  /** The first amount that failed to parse, thrown once the whole document has been read. */
  deferred: unknown;
  private n = 0;
  private pmt: { id?: string; nbOfTxs?: string; ctrlSum?: string; count: number; sum: bigint } | undefined;
  private tx: TxFields | undefined;

  open(el: XmlFrame, parent: XmlFrame | undefined): void {
    if (!parent) {
      this.rootName = el.name;
      el.tag = Tag.Root;
      return;
    }
    switch (parent.tag) {
      case Tag.Root:
        if (el.name === 'CstmrCdtTrfInitn' && !this.initnSeen) {
          el.tag = Tag.Initn;
          this.initnSeen = true;
        }
        return;
      case Tag.Initn:
        if (el.name === 'PmtInf') {
          el.tag = Tag.PmtInf;
          this.pmt = { count: 0, sum: 0n };
        } else if (el.name === 'GrpHdr' && !this.grpHdrSeen) {
          el.tag = Tag.GrpHdr;
          this.grpHdrSeen = true;
        }
        return;
      case Tag.GrpHdr:
        // First child of each name only (later ones are not captured).
        if ((el.name === 'NbOfTxs' && this.grpNbOfTxs === undefined) || (el.name === 'CtrlSum' && this.grpCtrlSum === undefined)) {
          el.tag = Tag.GrpField;
          el.capture = true;
        }
        return;
      case Tag.PmtInf:
        if (el.name === 'CdtTrfTxInf') {
          el.tag = Tag.Tx;
          this.tx = {};
        } else if (this.pmt && ((el.name === 'PmtInfId' && this.pmt.id === undefined) ||
          (el.name === 'NbOfTxs' && this.pmt.nbOfTxs === undefined) || (el.name === 'CtrlSum' && this.pmt.ctrlSum === undefined))) {
          el.tag = Tag.PmtField;
          el.capture = true;
        }
        return;
      case Tag.Tx:
      case Tag.TxPath: {
        if (!firstChild(parent, el.name)) return;
        const path = parent.tag === Tag.Tx ? el.name : `${parent.key}/${el.name}`;
        if (!TX_PREFIXES.has(path)) return;
        el.tag = Tag.TxPath;
        el.key = path;
        if (TX_PATHS[path]) el.capture = true;
        return;
      }
      default:
        return;
    }
  }

  close(el: XmlFrame): void {
    switch (el.tag) {
      case Tag.GrpField:
        if (el.name === 'NbOfTxs') this.grpNbOfTxs ??= el.text.trim();
        else this.grpCtrlSum ??= el.text.trim();
        return;
      case Tag.PmtField:
        if (this.pmt) {
          if (el.name === 'PmtInfId') this.pmt.id ??= el.text.trim();
          else if (el.name === 'NbOfTxs') this.pmt.nbOfTxs ??= el.text.trim();
          else this.pmt.ctrlSum ??= el.text.trim();
        }
        return;
      case Tag.TxPath: {
        const key = TX_PATHS[el.key ?? ''];
        if (key && this.tx) {
          this.tx[key] = UNTRIMMED.has(key) ? el.text : el.text.trim();
          if (key === 'amount') this.tx.amountCcy = attributesOf(el).Ccy;
          else if (key === 'eqvt') this.tx.eqvtCcy = attributesOf(el).Ccy;
        }
        return;
      }
      case Tag.Tx:
        if (this.tx && this.pmt && this.deferred === undefined) this.addTx(this.tx, this.pmt);
        this.tx = undefined;
        return;
      case Tag.PmtInf:
        if (this.pmt && this.deferred === undefined) this.endPmtInf(this.pmt);
        this.pmt = undefined;
        return;
      default:
        return;
    }
  }

  private addTx(tx: TxFields, pmt: NonNullable<Pain001Visitor['pmt']>): void {
    const n = ++this.n;
    const problems = this.problems;
    const amountText = tx.amount ?? tx.eqvt;
    if (amountText === undefined) problems.push(`transaction ${n}: no amount`);
    let amountPence = 0n;
    try {
      if (amountText !== undefined) amountPence = decimalToPence(amountText, `transaction ${n} amount`);
    } catch (e) {
      this.deferred = e;
      return;
    }
    const uk = tx.otherId && /^\d{14}$/.test(tx.otherId) ? tx.otherId : undefined;
    if (uk && tx.agentSort && tx.agentSort !== uk.slice(0, 6)) problems.push(`transaction ${n}: CdtrAgt sort code differs from the account`);
    const currency = tx.amount !== undefined ? tx.amountCcy : tx.eqvt !== undefined ? tx.eqvtCcy : undefined;
    this.credits.push({
      ref: tx.ustrd ?? tx.strdRef ?? tx.endToEndId ?? '',
      amountPence,
      endToEndId: tx.endToEndId,
      currency,
      sortCode: uk?.slice(0, 6),
      accountNumber: uk ? uk.slice(6) : (tx.iban ?? tx.otherId),
      accountName: tx.name,
    });
    this.currencies.add(currency);
    this.totalPence += amountPence;
    pmt.count++;
    pmt.sum += amountPence;
  }

  private endPmtInf(pmt: NonNullable<Pain001Visitor['pmt']>): void {
    const id = pmt.id ?? '?';
    const count = declaredCount(pmt.nbOfTxs, `PmtInf ${id}`, this.problems);
    if (count !== undefined && count !== pmt.count) this.problems.push(`PmtInf ${id}: NbOfTxs does not equal its transactions`);
    if (pmt.ctrlSum !== undefined) {
      try {
        if (decimalToPence(pmt.ctrlSum, `PmtInf ${id} CtrlSum`) !== pmt.sum) this.problems.push(`PmtInf ${id}: CtrlSum does not equal its transactions`);
      } catch (e) {
        this.deferred = e;
      }
    }
  }
}

/**
 * Reads any pain.001 (namespace-agnostic: .001.03, .001.09, national variants): every PmtInf
 * and CdtTrfTxInf, with the declared NbOfTxs/CtrlSum checked at group and PmtInf level.
 * Amounts come from InstdAmt, or EqvtAmt/Amt where that is used instead.
 */
export function readPain001(content: Buffer | string): ReadResult {
  const doc = streamXml(content, 'pain.001', () => new Pain001Visitor());
  if (doc.rootName !== 'Document' || !doc.initnSeen) throw new FinanceFileError('NOT_A_PAIN001', 'Document/CstmrCdtTrfInitn missing');
  if (doc.deferred !== undefined) throw doc.deferred;
  const { problems, credits, totalPence } = doc;
  const declared: ReadResult['declared'] = {};
  declared.records = declaredCount(doc.grpNbOfTxs, 'GrpHdr', problems);
  if (doc.grpCtrlSum !== undefined) declared.totalPence = decimalToPence(doc.grpCtrlSum, 'GrpHdr CtrlSum');
  if (declared.records === undefined) problems.push('GrpHdr NbOfTxs is missing');
  else if (declared.records !== credits.length) problems.push('GrpHdr NbOfTxs does not equal the transactions');
  if (declared.totalPence !== undefined && declared.totalPence !== totalPence) {
    problems.push('GrpHdr CtrlSum does not equal the transactions');
  }
  if (doc.currencies.size > 1) problems.push('transactions are in more than one currency');
  return { format: 'PAIN001', records: credits.length, totalPence, credits, declared, problems };
}
