/**
 * The AR flat file (CSV, RFC 4180, CRLF): a header, one detail record per invoice (a customer
 * line against the income GL and cost centre), a trailer with the detail count and the signed
 * total. Record type in column 1 (H / D / T). A negative amount is a credit note.
 *
 *   H,<batch id>,<night YYYYMMDD>,<company code>,<doc type>,<currency>
 *   D,<invoice id>,<kind>,<customer no>,<partner or payer>,<income GL>,<cost centre>,<amount 0.00>,<from YYYYMMDD>,<to YYYYMMDD>,<reason>,<lines>
 *   T,<detail count>,<total 0.00>
 */
import { CSV_ESCAPER } from '@dpb/payments/files/csv';
import { csvRecordType, type CsvValues, parseCsv, writeCsv } from '@dpb/payments/files/records';
import { render } from '@dpb/payments/files/render';
import type { InvoiceKind } from '../invoice.repository';
import { type ArBatch, type ArFile, type ArSettings, ArFileError, arFileStem, csvRows, customerNo, dashed, refuseFaults } from './model';

const CODE = /^[A-Z0-9][A-Z0-9-]{0,29}$/;

/** The three record types of the AR flat file, each defined once for the writer and the reader. */
export const AR_CSV = {
  header: csvRecordType('header', [
    { name: 'type', kind: 'constant', value: 'H' },
    { name: 'batchId', kind: 'text', pattern: CODE },
    { name: 'nightDate', kind: 'date' },
    { name: 'companyCode', kind: 'text' },
    { name: 'docType', kind: 'text' },
    { name: 'currency', kind: 'text', pattern: /^GBP$/ },
  ]),
  detail: csvRecordType('detail', [
    { name: 'type', kind: 'constant', value: 'D' },
    { name: 'invoiceId', kind: 'text', pattern: CODE },
    { name: 'kind', kind: 'text', pattern: /^(HEALTH_RECLAIM|RECOVERY|CONTRIBUTION)$/ },
    { name: 'customerNo', kind: 'text' },
    { name: 'customer', kind: 'text' },
    { name: 'glAccount', kind: 'text' },
    { name: 'costCentre', kind: 'text' },
    { name: 'amount', kind: 'pounds' },
    { name: 'from', kind: 'date' },
    { name: 'to', kind: 'date' },
    { name: 'reason', kind: 'optionalText' },
    { name: 'lines', kind: 'count' },
  ]),
  trailer: csvRecordType('trailer', [
    { name: 'type', kind: 'constant', value: 'T' },
    { name: 'count', kind: 'count' },
    { name: 'total', kind: 'pounds' },
  ]),
};

export interface ArDetail {
  invoiceId: string; kind: InvoiceKind; customerNo: string; customer: string; glAccount: string; costCentre: string;
  amountPence: bigint; periodFrom: string; periodTo: string; reason: string | null; lines: number;
}

export const arCsvName = (b: ArBatch) => `${arFileStem(b)}_AR.csv`;

export function writeArCsv(b: ArBatch, s: ArSettings): ArFile {
  if (!b.invoices.length) throw new ArFileError('AR_EMPTY', 'an AR file needs at least one invoice');
  const total = b.invoices.reduce((a, i) => a + i.totalPence, 0n);
  // render lays the file out twice (measure, then write): the layout keeps no state of its own.
  const content = render((out) => {
    writeCsv(out, AR_CSV.header, { batchId: b.batchId, nightDate: b.nightDate, companyCode: s.companyCode, docType: s.docType, currency: s.currency });
    for (const i of b.invoices) {
      writeCsv(out, AR_CSV.detail, {
        invoiceId: i.id, kind: i.kind, customerNo: customerNo(s, i.customer), customer: i.customer, glAccount: s.incomeGlAccount,
        costCentre: s.costCentre, amount: i.totalPence, from: i.periodFrom, to: i.periodTo, reason: i.reason, lines: i.lines.length,
      });
    }
    writeCsv(out, AR_CSV.trailer, { count: b.invoices.length, total });
  }, CSV_ESCAPER);
  return { name: arCsvName(b), content, records: b.invoices.length, totalPence: total };
}

export interface ReadArCsv {
  batchId: string;
  nightDate: string;
  details: ArDetail[];
  totalPence: bigint;
}

const detailOf = (d: CsvValues<typeof AR_CSV.detail.fields>): ArDetail => ({
  invoiceId: d.invoiceId, kind: d.kind as InvoiceKind, customerNo: d.customerNo, customer: d.customer, glAccount: d.glAccount, costCentre: d.costCentre,
  amountPence: d.amount, periodFrom: dashed(d.from), periodTo: dashed(d.to), reason: d.reason, lines: d.lines,
});

/** Reads the AR flat file back, checking its shape and that the trailer equals the details. */
export function readArCsv(content: Buffer | string): ReadArCsv {
  const records = csvRows(content, 'AR file');
  if (records.length < 2) throw new ArFileError('AR_SHAPE', 'AR file needs a header and a trailer');
  const problems: string[] = [];
  const h = parseCsv(AR_CSV.header, records[0], 1, problems);
  const t = parseCsv(AR_CSV.trailer, records[records.length - 1], records.length, problems);
  const details = records.slice(1, -1).map((r, i) => parseCsv(AR_CSV.detail, r, i + 2, problems));
  refuseFaults(problems);
  if (!h || !t) throw new ArFileError('AR_SHAPE', 'AR file header or trailer not readable');
  const read = details.map((d) => detailOf(d!));
  const total = read.reduce((a, d) => a + d.amountPence, 0n);
  if (t.count !== read.length) throw new ArFileError('CONTROL_TOTAL', 'trailer count does not equal the detail records');
  if (t.total !== total) throw new ArFileError('CONTROL_TOTAL', 'trailer total does not equal the detail records');
  return { batchId: h.batchId, nightDate: dashed(h.nightDate), details: read, totalPence: total };
}
