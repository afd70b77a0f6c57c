/**
 * ISO 20022 pain.001.001.03 customer credit transfer initiation for UK domestic (Bacs) credits.
 * One PmtInf; accounts as Othr/Id = sort code + account number (14 digits), agents as
 * ClrSysMmbId GBDSC + sort code. MsgId = runId, CreDtTm = `${runDate}T00:00:00` (no clock).
 */
import { formatPence, sumPence } from '@dpb/common';
import { decimalToPence } from './amounts';
import { civilParts } from './dates';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { isoLatinText, xmlEscape } from './text';
import { validateRunInput } from './validate-input';
import { children, child, parseXml, path, textAt, type XmlElement } from './xml-tree';

export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';

const el = (name: string, value: string) => `<${name}>${xmlEscape(value)}</${name}>`;

function ukAgent(sortCode: string): string {
  return `<FinInstnId><ClrSysMmbId><ClrSysId><Cd>GBDSC</Cd></ClrSysId>${el('MmbId', sortCode)}</ClrSysMmbId></FinInstnId>`;
}

function ukAccount(sortCode: string, accountNumber: string, ccy?: string): string {
  return `<Id><Othr>${el('Id', sortCode + accountNumber)}</Othr></Id>${ccy ? el('Ccy', ccy) : ''}`;
}

export function writePain001(input: PaymentRunFilesInput): WrittenFile {
  validateRunInput(input);
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
  civilParts(input.entryDate, 'entryDate');
  const count = String(input.credits.length);
  const total = formatPence(sumPence(input.credits.map((c) => c.amountPence)));
  const i2 = '  ';
  const out: string[] = [
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
  ];
  for (const c of input.credits) {
    const name = isoLatinText(c.accountName, 70);
    if (!name) throw new FinanceFileError('PAIN001_EMPTY_NAME', `payee ${c.payeeId}: accountName is empty after character mapping`);
    out.push(
      `${i2.repeat(3)}<CdtTrfTxInf>`,
      `${i2.repeat(4)}<PmtId>${el('InstrId', c.paymentRef)}${el('EndToEndId', c.endToEndId)}</PmtId>`,
      `${i2.repeat(4)}<Amt><InstdAmt Ccy="${s.currency}">${formatPence(c.amountPence)}</InstdAmt></Amt>`,
      `${i2.repeat(4)}<CdtrAgt>${ukAgent(c.sortCode)}</CdtrAgt>`,
      `${i2.repeat(4)}<Cdtr>${el('Nm', name)}</Cdtr>`,
      `${i2.repeat(4)}<CdtrAcct>${ukAccount(c.sortCode, c.accountNumber)}</CdtrAcct>`,
      `${i2.repeat(4)}<RmtInf>${el('Ustrd', c.paymentRef)}</RmtInf>`,
      `${i2.repeat(3)}</CdtTrfTxInf>`,
    );
  }
  out.push(`${i2.repeat(2)}</PmtInf>`, `${i2}</CstmrCdtTrfInitn>`, '</Document>', '');
  return {
    name: fileNames.pain001(input),
    content: Buffer.from(out.join('\n'), 'utf8'),
    records: input.credits.length,
    totalPence: sumPence(input.credits.map((c) => c.amountPence)),
  };
}

function readTx(tx: XmlElement, n: number, problems: string[]): ReadCredit {
  const instd = path(tx, 'Amt', 'InstdAmt');
  const eqvt = path(tx, 'Amt', 'EqvtAmt', 'Amt');
  const amountEl = instd ?? eqvt;
  if (!amountEl) problems.push(`transaction ${n}: no amount`);
  const amountPence = amountEl ? decimalToPence(amountEl.text, `transaction ${n} amount`) : 0n;
  const ustrd = textAt(tx, 'RmtInf', 'Ustrd');
  const strdRef = textAt(tx, 'RmtInf', 'Strd', 'CdtrRefInf', 'Ref');
  const endToEndId = textAt(tx, 'PmtId', 'EndToEndId');
  const otherId = textAt(tx, 'CdtrAcct', 'Id', 'Othr', 'Id');
  const iban = textAt(tx, 'CdtrAcct', 'Id', 'IBAN');
  const uk = otherId && /^\d{14}$/.test(otherId) ? otherId : undefined;
  const agentSort = textAt(tx, 'CdtrAgt', 'FinInstnId', 'ClrSysMmbId', 'MmbId');
  if (uk && agentSort && agentSort !== uk.slice(0, 6)) problems.push(`transaction ${n}: CdtrAgt sort code differs from the account`);
  return {
    ref: ustrd ?? strdRef ?? endToEndId ?? '',
    amountPence,
    endToEndId,
    currency: amountEl?.attributes.Ccy,
    sortCode: uk?.slice(0, 6),
    accountNumber: uk ? uk.slice(6) : (iban ?? otherId),
    accountName: textAt(tx, 'Cdtr', 'Nm'),
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

/**
 * Reads any pain.001 (namespace-agnostic: .001.03, .001.09, national variants): every PmtInf
 * and CdtTrfTxInf, with the declared NbOfTxs/CtrlSum checked at group and PmtInf level.
 * Amounts come from InstdAmt, or EqvtAmt/Amt where that is used instead.
 */
export function readPain001(content: Buffer | string): ReadResult {
  const root = parseXml(content, 'pain.001');
  const initn = child(root, 'CstmrCdtTrfInitn');
  if (root.name !== 'Document' || !initn) throw new FinanceFileError('NOT_A_PAIN001', 'Document/CstmrCdtTrfInitn missing');
  const problems: string[] = [];
  const credits: ReadCredit[] = [];
  let n = 0;
  for (const pmtInf of children(initn, 'PmtInf')) {
    const id = textAt(pmtInf, 'PmtInfId') ?? '?';
    const txs = children(pmtInf, 'CdtTrfTxInf').map((tx) => readTx(tx, ++n, problems));
    const count = declaredCount(textAt(pmtInf, 'NbOfTxs'), `PmtInf ${id}`, problems);
    if (count !== undefined && count !== txs.length) problems.push(`PmtInf ${id}: NbOfTxs does not equal its transactions`);
    const sum = textAt(pmtInf, 'CtrlSum');
    if (sum !== undefined && decimalToPence(sum, `PmtInf ${id} CtrlSum`) !== sumPence(txs.map((t) => t.amountPence))) {
      problems.push(`PmtInf ${id}: CtrlSum does not equal its transactions`);
    }
    credits.push(...txs);
  }
  const totalPence = sumPence(credits.map((c) => c.amountPence));
  const declared: ReadResult['declared'] = {};
  declared.records = declaredCount(textAt(initn, 'GrpHdr', 'NbOfTxs'), 'GrpHdr', problems);
  const ctrl = textAt(initn, 'GrpHdr', 'CtrlSum');
  if (ctrl !== undefined) declared.totalPence = decimalToPence(ctrl, 'GrpHdr CtrlSum');
  if (declared.records === undefined) problems.push('GrpHdr NbOfTxs is missing');
  else if (declared.records !== credits.length) problems.push('GrpHdr NbOfTxs does not equal the transactions');
  if (declared.totalPence !== undefined && declared.totalPence !== totalPence) {
    problems.push('GrpHdr CtrlSum does not equal the transactions');
  }
  if (new Set(credits.map((c) => c.currency)).size > 1) problems.push('transactions are in more than one currency');
  return { format: 'PAIN001', records: credits.length, totalPence, credits, declared, problems };
}
