/**
 * AR posting as ACC_DOCUMENT03 IDocs in XML (inbound to BAPI_ACC_DOCUMENT_POST), one IDOC per
 * invoice, each balanced to zero: a customer item (E1BPACAR09, the invoice id as its text, the period
 * as its allocation) of +total and an income GL item
 * (E1BPACGL09, with the cost centre) of -total; amounts in E1BPACCR09. A credit note has a
 * negative total. The header text is the night's batch id. Deterministic: dates from the night, CRETIM 000000.
 */
import { Parser } from 'xml2js';
import { toCompact } from '@dpb/common';
import { csvFieldTexts, csvRecordType, type CsvRecordType, parseCsv } from '@dpb/payments/files/records';
import { xmlEscape } from '@dpb/payments/files/text';
import { type ArBatch, type ArFile, type ArSettings, ArFileError, arFileStem, customerNo, dashed, refuseFaults } from './model';

interface IdocDoc {
  sender: string; nightDate: string; invoiceId: string; companyCode: string; docType: string; customerNo: string; itemText: string;
  batchId: string; allocation: string; glAccount: string; costCentre: string; currency: string; amountPence: bigint; glAmountPence: bigint;
}

const ITEM_1 = '0000000001';
const ITEM_2 = '0000000002';
const item = (value: string) => ({ name: 'ITEMNO_ACC', kind: 'constant', value }) as const;
const upTo = (n: number) => new RegExp(`^.{1,${n}}$`);

/**
 * Segments in order, each a record type (its elements in order, defined once for the writer and
 * the reader) and which document value each non-constant element carries.
 */
const SEGMENTS: { type: CsvRecordType; values: Record<string, keyof IdocDoc> }[] = [
  {
    type: csvRecordType('EDI_DC40', [
      { name: 'TABNAM', kind: 'constant', value: 'EDI_DC40' }, { name: 'DIRECT', kind: 'constant', value: '2' },
      { name: 'IDOCTYP', kind: 'constant', value: 'ACC_DOCUMENT03' }, { name: 'MESTYP', kind: 'constant', value: 'ACC_DOCUMENT' },
      { name: 'SNDPOR', kind: 'constant', value: 'DPBRIDGE' }, { name: 'SNDPRT', kind: 'constant', value: 'LS' }, { name: 'SNDPRN', kind: 'text' },
      { name: 'RCVPRT', kind: 'constant', value: 'LS' }, { name: 'CREDAT', kind: 'date' }, { name: 'CRETIM', kind: 'constant', value: '000000' },
    ]),
    values: { SNDPRN: 'sender', CREDAT: 'nightDate' },
  },
  {
    type: csvRecordType('E1BPACHE09', [
      { name: 'BUS_ACT', kind: 'constant', value: 'RFBU' }, { name: 'USERNAME', kind: 'constant', value: 'DPBRIDGE' },
      { name: 'HEADER_TXT', kind: 'text', pattern: upTo(25) }, { name: 'COMP_CODE', kind: 'text' },
      { name: 'DOC_DATE', kind: 'date' }, { name: 'PSTNG_DATE', kind: 'date' }, { name: 'DOC_TYPE', kind: 'text' },
    ]),
    values: { HEADER_TXT: 'batchId', COMP_CODE: 'companyCode', DOC_DATE: 'nightDate', PSTNG_DATE: 'nightDate', DOC_TYPE: 'docType' },
  },
  {
    type: csvRecordType('E1BPACAR09', [
      item(ITEM_1), { name: 'CUSTOMER', kind: 'text' }, { name: 'COMP_CODE', kind: 'text' },
      { name: 'ITEM_TEXT', kind: 'text', pattern: upTo(50) }, { name: 'ALLOC_NMBR', kind: 'text', pattern: upTo(18) },
    ]),
    values: { CUSTOMER: 'customerNo', COMP_CODE: 'companyCode', ITEM_TEXT: 'invoiceId', ALLOC_NMBR: 'allocation' },
  },
  {
    type: csvRecordType('E1BPACGL09', [
      item(ITEM_2), { name: 'GL_ACCOUNT', kind: 'text' }, { name: 'ITEM_TEXT', kind: 'text', pattern: upTo(50) },
      { name: 'COMP_CODE', kind: 'text' }, { name: 'COSTCENTER', kind: 'text' },
    ]),
    values: { GL_ACCOUNT: 'glAccount', ITEM_TEXT: 'itemText', COMP_CODE: 'companyCode', COSTCENTER: 'costCentre' },
  },
  {
    type: csvRecordType('E1BPACCR09', [item(ITEM_1), { name: 'CURRENCY', kind: 'text', pattern: /^GBP$/ }, { name: 'AMT_DOCCUR', kind: 'pounds' }]),
    values: { CURRENCY: 'currency', AMT_DOCCUR: 'amountPence' },
  },
  {
    type: csvRecordType('E1BPACCR09', [item(ITEM_2), { name: 'CURRENCY', kind: 'text', pattern: /^GBP$/ }, { name: 'AMT_DOCCUR', kind: 'pounds' }]),
    values: { CURRENCY: 'currency', AMT_DOCCUR: 'glAmountPence' },
  },
];

export const arIdocName = (b: ArBatch) => `${arFileStem(b)}_AR_IDOC.xml`;

export function writeArIdoc(b: ArBatch, s: ArSettings): ArFile {
  if (!b.invoices.length) throw new ArFileError('AR_EMPTY', 'an AR file needs at least one invoice');
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<ACC_DOCUMENT03>'];
  let total = 0n;
  for (const i of b.invoices) {
    total += i.totalPence;
    const doc: IdocDoc = {
      sender: `DPB${s.council}`, nightDate: b.nightDate, invoiceId: i.id, companyCode: s.companyCode, docType: s.docType, customerNo: customerNo(s, i.customer),
      itemText: `${i.kind} ${i.periodFrom}/${i.periodTo}`, batchId: b.batchId, allocation: `${toCompact(i.periodFrom)}-${toCompact(i.periodTo)}`, glAccount: s.incomeGlAccount, costCentre: s.costCentre,
      currency: s.currency, amountPence: i.totalPence, glAmountPence: -i.totalPence,
    };
    out.push('  <IDOC BEGIN="1">');
    for (const seg of SEGMENTS) {
      out.push(`    <${seg.type.name} SEGMENT="1">`);
      const values = Object.fromEntries(Object.entries(seg.values).map(([element, key]) => [element, doc[key]]));
      const texts = csvFieldTexts(seg.type, values as never);
      seg.type.fields.forEach((f, k) => out.push(`      <${f.name}>${xmlEscape(texts[k])}</${f.name}>`));
      out.push(`    </${seg.type.name}>`);
    }
    out.push('  </IDOC>');
  }
  out.push('</ACC_DOCUMENT03>', '');
  return { name: arIdocName(b), content: Buffer.from(out.join('\n'), 'utf8'), records: b.invoices.length, totalPence: total };
}

export interface ReadArIdoc {
  documents: { invoiceId: string; customerNo: string; amountPence: bigint; nightDate: string; batchId: string }[];
  totalPence: bigint;
}

type XmlNode = Record<string, unknown>;

/** Reads the IDoc file back: every segment and field in place, every document balanced to zero. */
export function readArIdoc(content: Buffer | string): ReadArIdoc {
  let root: XmlNode | undefined;
  new Parser({ explicitArray: true, explicitRoot: true, async: false }).parseString(content.toString(), (err: Error | null, r: XmlNode) => {
    if (err) throw new ArFileError('XML_NOT_PARSEABLE', 'AR IDoc file is not well-formed XML');
    root = r;
  });
  const top = root?.ACC_DOCUMENT03 as XmlNode | undefined;
  if (!top) throw new ArFileError('AR_SHAPE', 'root element is not ACC_DOCUMENT03');
  const idocs = (top.IDOC ?? []) as XmlNode[];
  const documents = idocs.map((idoc, n) => {
    const where = `IDOC ${n + 1}`;
    const seen = new Map<string, number>();
    const doc: Record<string, unknown> = {};
    for (const seg of SEGMENTS) {
      const name = seg.type.name;
      const k = seen.get(name) ?? 0;
      seen.set(name, k + 1);
      const node = ((idoc[name] ?? []) as XmlNode[])[k];
      if (!node) throw new ArFileError('AR_SHAPE', `${where}: segment ${name} is missing`);
      const texts = seg.type.fields.map((f) => {
        const v = node[f.name] as string[] | undefined;
        if (!v || v.length !== 1 || typeof v[0] !== 'string') throw new ArFileError('AR_SHAPE', `${where}: ${name}.${f.name} is missing`);
        return v[0];
      });
      const problems: string[] = [];
      const values = parseCsv(seg.type, texts, n + 1, problems) as Record<string, unknown> | undefined;
      refuseFaults(problems.map((p) => p.replace(/^record \d+:/, `${where}:`)));
      for (const [element, key] of Object.entries(seg.values)) doc[key] = values?.[element];
    }
    const amountPence = doc.amountPence as bigint;
    if (amountPence + (doc.glAmountPence as bigint) !== 0n) throw new ArFileError('NOT_BALANCED', `${where}: document does not balance to zero`);
    return { invoiceId: doc.invoiceId as string, customerNo: doc.customerNo as string, amountPence, nightDate: dashed(doc.nightDate as string), batchId: doc.batchId as string };
  });
  return { documents, totalPence: documents.reduce((a, d) => a + d.amountPence, 0n) };
}
