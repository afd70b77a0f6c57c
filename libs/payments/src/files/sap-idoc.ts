/**
 * SAP FI posting as an ACC_DOCUMENT03 IDoc in XML (inbound to BAPI_ACC_DOCUMENT_POST).
 * One document per run, balanced to zero: per credit one vendor item (E1BPACAP09) of -amount,
 * per written line one GL/cost-centre item (E1BPACGL09) of +payable; amounts in E1BPACCR09.
 * Deterministic: every date comes from the input, CRETIM is 000000.
 */
import { formatPence, sumPence } from '@dpb/common';
import type { ReadCredit, ReadResult } from './read-result';
import { compactDate } from './dates';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import { xmlEscape } from './text';
import { validateRunInput, writtenLines } from './validate-input';
import { children, child, parseXml, textAt, type XmlElement } from './xml-tree';
import { decimalToPence } from './amounts';

export interface SapPostingOptions {
  /**
   * SAP payment block key put on every vendor item (PMNT_BLOCK) when dpbridge itself sends
   * the money (BACS_STD18 / PAIN001), so that SAP's payment run (F110) cannot pay the same
   * items a second time. Leave undefined when SAP pays (payment format NONE).
   */
  paymentBlock?: string;
}

const itemNo = (n: number) => String(n).padStart(10, '0');

function segment(name: string, fields: Array<[string, string | undefined]>, indent: string): string {
  const body = fields
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${indent}  <${k}>${xmlEscape(v as string)}</${k}>\n`)
    .join('');
  return `${indent}<${name} SEGMENT="1">\n${body}${indent}</${name}>\n`;
}

export function writeSapIdoc(input: PaymentRunFilesInput, options: SapPostingOptions = {}): WrittenFile {
  validateRunInput(input);
  if (input.credits.length === 0) throw new FinanceFileError('SAP_EMPTY', 'a SAP posting needs at least one credit');
  if (input.runId.length > 16) throw new FinanceFileError('RUN_ID_TOO_LONG_FOR_SAP', 'runId exceeds REF_DOC_NO (16)');
  if (options.paymentBlock !== undefined && !/^[A-Z0-9]$/.test(options.paymentBlock)) {
    throw new FinanceFileError('INVALID_PAYMENT_BLOCK', 'paymentBlock must be one character A-Z 0-9');
  }
  const s = input.settings;
  const date = compactDate(input.runDate, 'runDate');
  const ind = '    ';
  const gl: string[] = [];
  const ap: string[] = [];
  const cr: string[] = [];
  let n = 0;
  for (const c of input.credits) {
    const vendorItem = itemNo(++n);
    ap.push(
      segment('E1BPACAP09', [
        ['ITEMNO_ACC', vendorItem],
        ['VENDOR_NO', c.vendorNo],
        ['COMP_CODE', s.sapCompanyCode],
        ['BLINE_DATE', date],
        ['PMNT_BLOCK', options.paymentBlock],
        ['ALLOC_NMBR', c.paymentRef],
        ['ITEM_TEXT', `DP ${input.runId} ${c.paymentRef}`],
      ], ind),
    );
    const glItems: Array<[string, bigint]> = [];
    for (const l of writtenLines(c)) {
      const glItem = itemNo(++n);
      gl.push(
        segment('E1BPACGL09', [
          ['ITEMNO_ACC', glItem],
          ['GL_ACCOUNT', l.glAccount],
          ['ITEM_TEXT', `${l.dpId} ${l.kind} ${l.periodStart}/${l.periodEnd}`],
          ['COMP_CODE', s.sapCompanyCode],
          ['ALLOC_NMBR', c.paymentRef],
          ['COSTCENTER', l.costCentre],
        ], ind),
      );
      glItems.push([glItem, l.payablePence]);
    }
    cr.push(segment('E1BPACCR09', [['ITEMNO_ACC', vendorItem], ['CURRENCY', s.currency], ['AMT_DOCCUR', formatPence(-c.amountPence)]], ind));
    for (const [item, amount] of glItems) {
      cr.push(segment('E1BPACCR09', [['ITEMNO_ACC', item], ['CURRENCY', s.currency], ['AMT_DOCCUR', formatPence(amount)]], ind));
    }
  }
  // Segment order follows the IDoc type: header, GL items, vendor items, currency amounts.
  // (currency segments were pushed in item-number order: vendor item, then its GL items)
  const control = segment('EDI_DC40', [
    ['TABNAM', 'EDI_DC40'],
    ['DIRECT', '2'],
    ['IDOCTYP', 'ACC_DOCUMENT03'],
    ['MESTYP', 'ACC_DOCUMENT'],
    ['SNDPOR', 'DPBRIDGE'],
    ['SNDPRT', 'LS'],
    ['SNDPRN', `DPB${input.council}`],
    ['RCVPRT', 'LS'],
    ['CREDAT', date],
    ['CRETIM', '000000'],
  ], ind);
  const header = segment('E1BPACHE09', [
    ['BUS_ACT', 'RFBU'],
    ['USERNAME', 'DPBRIDGE'],
    ['HEADER_TXT', `DP RUN ${input.runId}`.slice(0, 25)],
    ['COMP_CODE', s.sapCompanyCode],
    ['DOC_DATE', date],
    ['PSTNG_DATE', date],
    ['DOC_TYPE', s.sapDocTypePayment],
    ['REF_DOC_NO', input.runId],
  ], ind);
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ACC_DOCUMENT03>\n  <IDOC BEGIN="1">\n' +
    control + header + gl.join('') + ap.join('') + cr.join('') +
    '  </IDOC>\n</ACC_DOCUMENT03>\n';
  return {
    name: fileNames.sapIdoc(input),
    content: Buffer.from(xml, 'utf8'),
    records: input.credits.length,
    totalPence: sumPence(input.credits.map((c) => c.amountPence)),
  };
}

function fieldOf(seg: XmlElement, name: string): string | undefined {
  return textAt(seg, name);
}

/** Re-reads an ACC_DOCUMENT IDoc: vendor items are the payments; checks the document balances. */
export function readSapIdoc(content: Buffer | string): ReadResult {
  const root = parseXml(content, 'SAP IDoc');
  if (!root.name.startsWith('ACC_DOCUMENT')) throw new FinanceFileError('NOT_AN_ACC_DOCUMENT', 'root element is not ACC_DOCUMENT*');
  const idoc = child(root, 'IDOC');
  if (!idoc) throw new FinanceFileError('NOT_AN_ACC_DOCUMENT', 'IDOC element missing');
  const problems: string[] = [];
  if (!child(idoc, 'EDI_DC40')) problems.push('EDI_DC40 control record missing');
  if (!child(idoc, 'E1BPACHE09')) problems.push('E1BPACHE09 header missing');

  const amounts = new Map<string, bigint>();
  for (const seg of children(idoc, 'E1BPACCR09')) {
    const item = fieldOf(seg, 'ITEMNO_ACC') ?? '';
    if (amounts.has(item)) problems.push(`item ${item}: more than one E1BPACCR09`);
    amounts.set(item, decimalToPence(fieldOf(seg, 'AMT_DOCCUR') ?? '', `item ${item} AMT_DOCCUR`));
  }
  const amountOf = (seg: XmlElement): bigint => {
    const item = fieldOf(seg, 'ITEMNO_ACC') ?? '';
    const a = amounts.get(item);
    if (a === undefined) {
      problems.push(`item ${item}: no E1BPACCR09 amount`);
      return 0n;
    }
    return a;
  };

  const glByRef = new Map<string, { total: bigint; count: number }>();
  let glTotal = 0n;
  for (const seg of children(idoc, 'E1BPACGL09')) {
    const ref = fieldOf(seg, 'ALLOC_NMBR') ?? '';
    const a = amountOf(seg);
    glTotal += a;
    const acc = glByRef.get(ref) ?? { total: 0n, count: 0 };
    glByRef.set(ref, { total: acc.total + a, count: acc.count + 1 });
  }
  const credits: ReadCredit[] = [];
  for (const seg of children(idoc, 'E1BPACAP09')) {
    const ref = fieldOf(seg, 'ALLOC_NMBR') ?? '';
    const amountPence = -amountOf(seg);
    if (amountPence <= 0n) problems.push(`vendor item for ${ref}: amount is not a credit to the vendor`);
    const gl = glByRef.get(ref);
    if (!gl || gl.total !== amountPence) problems.push(`vendor item for ${ref}: GL lines do not sum to the vendor amount`);
    credits.push({ ref, amountPence, vendorNo: fieldOf(seg, 'VENDOR_NO'), lineCount: gl?.count ?? 0 });
  }
  const totalPence = sumPence(credits.map((c) => c.amountPence));
  if (glTotal - totalPence !== 0n) problems.push('document does not balance to zero');
  return { format: 'SAP_IDOC', records: credits.length, totalPence, credits, declared: {}, problems };
}
