/**
 * The AR flat file (CSV, RFC 4180, CRLF): a header, one detail record per invoice (a customer
 * line against the income GL and cost centre), a trailer with the detail count and the signed
 * total. Record type in column 1 (H / D / T). A negative amount is a credit note.
 *
 *   H,<batch id>,<night YYYYMMDD>,<company code>,<doc type>,<currency>
 *   D,<invoice id>,<kind>,<customer no>,<partner or payer>,<income GL>,<cost centre>,<amount 0.00>,<from YYYYMMDD>,<to YYYYMMDD>,<reason>,<lines>
 *   T,<detail count>,<total 0.00>
 */
import { csvRecord } from '@dpb/payments/files/csv';
import type { InvoiceKind } from '../invoice.repository';
import { type ArBatch, type ArFile, type ArSettings, arFileStem, customerNo } from './model';
import { ArFileError, type FieldDef, csvRecords, compactDate, int, money, optionalText, readFields, text, writeFields } from './records';

interface Header { type: string; batchId: string; nightDate: string; companyCode: string; docType: string; currency: string }
export interface ArDetail {
  type: string; invoiceId: string; kind: InvoiceKind; customerNo: string; customer: string; glAccount: string; costCentre: string;
  amountPence: bigint; periodFrom: string; periodTo: string; reason: string | null; lines: number;
}
interface Trailer { type: string; count: number; totalPence: bigint }

const CODE = /^[A-Z0-9][A-Z0-9-]{0,29}$/;
const HEADER: FieldDef<Header>[] = [
  text('type', 'type', /^H$/), text('batchId', 'batchId', CODE), compactDate('nightDate', 'nightDate'),
  text('companyCode', 'companyCode'), text('docType', 'docType'), text('currency', 'currency', /^GBP$/),
];
const DETAIL: FieldDef<ArDetail>[] = [
  text('type', 'type', /^D$/), text('invoiceId', 'invoiceId', CODE), text('kind', 'kind', /^(HEALTH_RECLAIM|RECOVERY|CONTRIBUTION)$/),
  text('customerNo', 'customerNo'), text('customer', 'customer'), text('glAccount', 'glAccount'), text('costCentre', 'costCentre'),
  money('amount', 'amountPence'), compactDate('from', 'periodFrom'), compactDate('to', 'periodTo'), optionalText('reason', 'reason'), int('lines', 'lines'),
];
const TRAILER: FieldDef<Trailer>[] = [text('type', 'type', /^T$/), int('count', 'count'), money('total', 'totalPence')];

export const arCsvName = (b: ArBatch) => `${arFileStem(b)}_AR.csv`;

export function writeArCsv(b: ArBatch, s: ArSettings): ArFile {
  if (!b.invoices.length) throw new ArFileError('AR_EMPTY', 'an AR file needs at least one invoice');
  let out = csvRecord(writeFields(HEADER, { type: 'H', batchId: b.batchId, nightDate: b.nightDate, companyCode: s.companyCode, docType: s.docType, currency: s.currency }));
  let total = 0n;
  for (const i of b.invoices) {
    total += i.totalPence;
    out += csvRecord(writeFields(DETAIL, {
      type: 'D', invoiceId: i.id, kind: i.kind, customerNo: customerNo(s, i.customer), customer: i.customer, glAccount: s.incomeGlAccount,
      costCentre: s.costCentre, amountPence: i.totalPence, periodFrom: i.periodFrom, periodTo: i.periodTo, reason: i.reason, lines: i.lines.length,
    }));
  }
  out += csvRecord(writeFields(TRAILER, { type: 'T', count: b.invoices.length, totalPence: total }));
  return { name: arCsvName(b), content: Buffer.from(out, 'utf8'), records: b.invoices.length, totalPence: total };
}

export interface ReadArCsv {
  batchId: string;
  nightDate: string;
  details: ArDetail[];
  totalPence: bigint;
}

/** Reads the AR flat file back, checking its shape and that the trailer equals the details. */
export function readArCsv(content: Buffer | string): ReadArCsv {
  const records = csvRecords(content, 'AR file');
  if (records.length < 2) throw new ArFileError('AR_SHAPE', 'AR file needs a header and a trailer');
  const h = readFields(HEADER, records[0], 'record 1');
  const t = readFields(TRAILER, records[records.length - 1], `record ${records.length}`);
  const details = records.slice(1, -1).map((r, i) => readFields(DETAIL, r, `record ${i + 2}`));
  const total = details.reduce((a, d) => a + d.amountPence, 0n);
  if (t.count !== details.length) throw new ArFileError('CONTROL_TOTAL', 'trailer count does not equal the detail records');
  if (t.totalPence !== total) throw new ArFileError('CONTROL_TOTAL', 'trailer total does not equal the detail records');
  return { batchId: h.batchId, nightDate: h.nightDate, details, totalPence: total };
}
