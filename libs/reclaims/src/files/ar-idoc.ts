/**
 * AR posting as ACC_DOCUMENT03 IDocs in XML (inbound to BAPI_ACC_DOCUMENT_POST), one IDOC per
 * invoice, each balanced to zero: a customer item (E1BPACAR09, the invoice id as its text, the period
 * as its allocation) of +total and an income GL item
 * (E1BPACGL09, with the cost centre) of -total; amounts in E1BPACCR09. A credit note has a
 * negative total. The header text is the night's batch id. Deterministic: dates from the night, CRETIM 000000.
 */
import { Parser } from 'xml2js';
import { xmlEscape } from '@dpb/payments/files/text';
import { type ArBatch, type ArFile, type ArSettings, arFileStem, customerNo } from './model';
import { ArFileError, type FieldDef, compactDate, money, readFields, text, writeFields } from './records';

interface IdocDoc {
  council: string; nightDate: string; invoiceId: string; companyCode: string; docType: string; customerNo: string; itemText: string;
  batchId: string; allocation: string; glAccount: string; costCentre: string; currency: string; amountPence: bigint; glAmountPence: bigint;
}

const fixed = <T>(name: string, value: string): FieldDef<T> => ({
  name,
  write: () => value,
  read: (t, _into, where) => {
    if (t !== value) throw new ArFileError('INVALID_FIELD', `${where}: ${name} is not ${value}`);
  },
});
const sndprn: FieldDef<IdocDoc> = {
  name: 'SNDPRN',
  write: (v) => `DPB${v.council}`,
  read: (t, into) => {
    into.council = t.replace(/^DPB/, '');
  },
};
const ITEM_1 = '0000000001';
const ITEM_2 = '0000000002';

/** Segments in order, each with its fields in order. */
const SEGMENTS: { name: string; fields: FieldDef<IdocDoc>[] }[] = [
  {
    name: 'EDI_DC40',
    fields: [
      fixed('TABNAM', 'EDI_DC40'), fixed('DIRECT', '2'), fixed('IDOCTYP', 'ACC_DOCUMENT03'), fixed('MESTYP', 'ACC_DOCUMENT'),
      fixed('SNDPOR', 'DPBRIDGE'), fixed('SNDPRT', 'LS'), sndprn, fixed('RCVPRT', 'LS'), compactDate('CREDAT', 'nightDate'), fixed('CRETIM', '000000'),
    ],
  },
  {
    name: 'E1BPACHE09',
    fields: [
      fixed('BUS_ACT', 'RFBU'), fixed('USERNAME', 'DPBRIDGE'), text('HEADER_TXT', 'batchId', /^.{1,25}$/), text('COMP_CODE', 'companyCode'),
      compactDate('DOC_DATE', 'nightDate'), compactDate('PSTNG_DATE', 'nightDate'), text('DOC_TYPE', 'docType'),
    ],
  },
  {
    name: 'E1BPACAR09',
    fields: [fixed('ITEMNO_ACC', ITEM_1), text('CUSTOMER', 'customerNo'), text('COMP_CODE', 'companyCode'), text('ITEM_TEXT', 'invoiceId', /^.{1,50}$/), text('ALLOC_NMBR', 'allocation', /^.{1,18}$/)],
  },
  {
    name: 'E1BPACGL09',
    fields: [fixed('ITEMNO_ACC', ITEM_2), text('GL_ACCOUNT', 'glAccount'), text('ITEM_TEXT', 'itemText', /^.{1,50}$/), text('COMP_CODE', 'companyCode'), text('COSTCENTER', 'costCentre')],
  },
  { name: 'E1BPACCR09', fields: [fixed('ITEMNO_ACC', ITEM_1), text('CURRENCY', 'currency', /^GBP$/), money('AMT_DOCCUR', 'amountPence')] },
  { name: 'E1BPACCR09', fields: [fixed('ITEMNO_ACC', ITEM_2), text('CURRENCY', 'currency', /^GBP$/), money('AMT_DOCCUR', 'glAmountPence')] },
];

export const arIdocName = (b: ArBatch) => `${arFileStem(b)}_AR_IDOC.xml`;

export function writeArIdoc(b: ArBatch, s: ArSettings): ArFile {
  if (!b.invoices.length) throw new ArFileError('AR_EMPTY', 'an AR file needs at least one invoice');
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<ACC_DOCUMENT03>'];
  let total = 0n;
  for (const i of b.invoices) {
    total += i.totalPence;
    const doc: IdocDoc = {
      council: s.council, nightDate: b.nightDate, invoiceId: i.id, companyCode: s.companyCode, docType: s.docType, customerNo: customerNo(s, i.customer),
      itemText: `${i.kind} ${i.periodFrom}/${i.periodTo}`, batchId: b.batchId, allocation: `${i.periodFrom.replace(/-/g, '')}-${i.periodTo.replace(/-/g, '')}`, glAccount: s.incomeGlAccount, costCentre: s.costCentre,
      currency: s.currency, amountPence: i.totalPence, glAmountPence: -i.totalPence,
    };
    out.push('  <IDOC BEGIN="1">');
    for (const seg of SEGMENTS) {
      out.push(`    <${seg.name} SEGMENT="1">`);
      const values = writeFields(seg.fields, doc);
      seg.fields.forEach((f, k) => out.push(`      <${f.name}>${xmlEscape(values[k])}</${f.name}>`));
      out.push(`    </${seg.name}>`);
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
    let doc: Partial<IdocDoc> = {};
    for (const seg of SEGMENTS) {
      const k = seen.get(seg.name) ?? 0;
      seen.set(seg.name, k + 1);
      const node = ((idoc[seg.name] ?? []) as XmlNode[])[k];
      if (!node) throw new ArFileError('AR_SHAPE', `${where}: segment ${seg.name} is missing`);
      const values = seg.fields.map((f) => {
        const v = node[f.name] as string[] | undefined;
        if (!v || v.length !== 1 || typeof v[0] !== 'string') throw new ArFileError('AR_SHAPE', `${where}: ${seg.name}.${f.name} is missing`);
        return v[0];
      });
      doc = { ...doc, ...readFields(seg.fields, values, `${where} ${seg.name}`) };
    }
    if ((doc.amountPence ?? 0n) + (doc.glAmountPence ?? 0n) !== 0n) throw new ArFileError('NOT_BALANCED', `${where}: document does not balance to zero`);
    return { invoiceId: doc.invoiceId ?? '', customerNo: doc.customerNo ?? '', amountPence: doc.amountPence ?? 0n, nightDate: doc.nightDate ?? '', batchId: doc.batchId ?? '' };
  });
  return { documents, totalPence: documents.reduce((a, d) => a + d.amountPence, 0n) };
}
