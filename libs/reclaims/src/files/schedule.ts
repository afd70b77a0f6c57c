/**
 * The reclaim schedule sent to the partner with each HEALTH_RECLAIM invoice, as CSV (RFC 4180,
 * CRLF) and as XLSX with the same cells (amounts as the same decimal text, never floats):
 *
 *   record,invoiceId,lineNo,nhsNumber,personId,dpId,month,from,to,cost,healthPct,amount,adjustment   (headings)
 *   LINE,HCC-HR-ICBQRL-202612,1,9434765919,P1,DP1,2026-12,2026-12-10,2026-12-31,471.43,50.00,235.71,N
 *   TOTAL,HCC-HR-ICBQRL-202612,1,471.43,235.71                                                       (control totals)
 *
 * The TOTAL record's amount equals the invoice total (the header total equals the schedule total).
 * The XLSX is made byte-identical on every run: fixed document dates and a re-zip with fixed entry dates.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { CSV_ESCAPER } from '@dpb/payments/files/csv';
import { csvFieldTexts, csvHeadings, csvRecordType, type CsvValues, parseCsv, writeCsv } from '@dpb/payments/files/records';
import { type Out, render } from '@dpb/payments/files/render';
import { type ArFile, type ArInvoice, ArFileError, csvRows, refuseFaults } from './model';

/** The schedule's two record types (after a heading row of the LINE field names), defined once for writer and reader. */
export const SCHEDULE = {
  line: csvRecordType('LINE', [
    { name: 'record', kind: 'constant', value: 'LINE' },
    { name: 'invoiceId', kind: 'text' },
    { name: 'lineNo', kind: 'count' },
    { name: 'nhsNumber', kind: 'optionalText' },
    { name: 'personId', kind: 'text' },
    { name: 'dpId', kind: 'text' },
    { name: 'month', kind: 'text', pattern: /^\d{4}-\d{2}$/ },
    { name: 'from', kind: 'isoDate' },
    { name: 'to', kind: 'isoDate' },
    { name: 'cost', kind: 'pounds' },
    { name: 'healthPct', kind: 'percent' },
    { name: 'amount', kind: 'pounds' },
    { name: 'adjustment', kind: 'flag' },
  ]),
  total: csvRecordType('TOTAL', [
    { name: 'record', kind: 'constant', value: 'TOTAL' },
    { name: 'invoiceId', kind: 'text' },
    { name: 'lines', kind: 'count' },
    { name: 'cost', kind: 'pounds' },
    { name: 'amount', kind: 'pounds' },
  ]),
};

export interface ScheduleLine {
  lineNo: number; nhsNumber: string | null; personId: string; dpId: string; month: string;
  from: string; to: string; costPence: bigint; healthBasisPoints: bigint; amountPence: bigint; adjustment: boolean;
}

export const scheduleName = (inv: Pick<ArInvoice, 'id'>, ext: 'csv' | 'xlsx') => `${inv.id}_SCHEDULE.${ext}`;

/** Writes the schedule's records (headings, lines, TOTAL) through `row`, checking the lines add up to the invoice. */
function layout(inv: ArInvoice, row: { headings(names: string[]): void; line(v: CsvValues<typeof SCHEDULE.line.fields>): void; total(v: CsvValues<typeof SCHEDULE.total.fields>): void }): void {
  row.headings(csvHeadings(SCHEDULE.line));
  let cost = 0n;
  let amount = 0n;
  for (const l of inv.lines) {
    cost += l.costPence;
    amount += l.amountPence;
    row.line({
      invoiceId: inv.id, lineNo: l.lineNo, nhsNumber: l.nhsNumber, personId: l.personId, dpId: l.dpId, month: l.month, from: l.from, to: l.to,
      cost: l.costPence, healthPct: l.healthBasisPoints, amount: l.amountPence, adjustment: l.adjustment,
    });
  }
  if (amount !== inv.totalPence) throw new ArFileError('CONTROL_TOTAL', `invoice ${inv.id}: lines do not add up to its total`);
  row.total({ invoiceId: inv.id, lines: inv.lines.length, cost, amount });
}

export function writeScheduleCsv(inv: ArInvoice): ArFile {
  const content = render((out: Out) => layout(inv, {
    headings: (names) => {
      names.forEach((n, i) => out.raw(i ? `,${n}` : n));
      out.raw('\r\n');
    },
    line: (v) => writeCsv(out, SCHEDULE.line, v),
    total: (v) => writeCsv(out, SCHEDULE.total, v),
  }), CSV_ESCAPER);
  return { name: scheduleName(inv, 'csv'), content, records: inv.lines.length, totalPence: inv.totalPence };
}

/** The schedule as rows of cell texts (the workbook's cells: the same texts as the CSV). */
function rows(inv: ArInvoice): string[][] {
  const out: string[][] = [];
  layout(inv, {
    headings: (names) => out.push(names),
    line: (v) => out.push(csvFieldTexts(SCHEDULE.line, v)),
    total: (v) => out.push(csvFieldTexts(SCHEDULE.total, v)),
  });
  return out;
}

export interface ReadSchedule {
  invoiceId: string;
  lines: (ScheduleLine & { record: string; invoiceId: string })[];
  totalPence: bigint;
}

function readRows(records: string[][]): ReadSchedule {
  if (records.length < 2) throw new ArFileError('SCHEDULE_SHAPE', 'a schedule needs its headings and a TOTAL record');
  if (records[0].join(',') !== csvHeadings(SCHEDULE.line).join(',')) throw new ArFileError('SCHEDULE_SHAPE', 'record 1: headings are not the schedule columns');
  const problems: string[] = [];
  const t = parseCsv(SCHEDULE.total, records[records.length - 1], records.length, problems);
  const read = records.slice(1, -1).map((r, i) => parseCsv(SCHEDULE.line, r, i + 2, problems));
  refuseFaults(problems);
  if (!t) throw new ArFileError('SCHEDULE_SHAPE', 'TOTAL record not readable');
  const lines = read.map((l) => ({
    record: 'LINE', invoiceId: l!.invoiceId, lineNo: l!.lineNo, nhsNumber: l!.nhsNumber, personId: l!.personId, dpId: l!.dpId, month: l!.month,
    from: l!.from, to: l!.to, costPence: l!.cost, healthBasisPoints: l!.healthPct, amountPence: l!.amount, adjustment: l!.adjustment,
  }));
  if (lines.some((l) => l.invoiceId !== t.invoiceId)) throw new ArFileError('SCHEDULE_SHAPE', 'a line names another invoice');
  if (t.lines !== lines.length) throw new ArFileError('CONTROL_TOTAL', 'TOTAL count does not equal the lines');
  if (t.amount !== lines.reduce((a, l) => a + l.amountPence, 0n)) throw new ArFileError('CONTROL_TOTAL', 'TOTAL amount does not equal the lines');
  if (t.cost !== lines.reduce((a, l) => a + l.costPence, 0n)) throw new ArFileError('CONTROL_TOTAL', 'TOTAL cost does not equal the lines');
  return { invoiceId: t.invoiceId, lines, totalPence: t.amount };
}

export function readScheduleCsv(content: Buffer | string): ReadSchedule {
  return readRows(csvRows(content, 'schedule'));
}

/** `nightDate` fixes the document's created/modified dates and the zip entries' dates. */
export async function writeScheduleXlsx(inv: ArInvoice, nightDate: string): Promise<ArFile> {
  const when = new Date(`${nightDate}T00:00:00Z`);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'dpbridge';
  wb.lastModifiedBy = 'dpbridge';
  wb.created = when;
  wb.modified = when;
  const ws = wb.addWorksheet('Schedule');
  for (const r of rows(inv)) ws.addRow(r);
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  const src = await JSZip.loadAsync(raw);
  const out = new JSZip();
  for (const name of Object.keys(src.files).sort()) {
    const f = src.files[name];
    if (!f.dir) out.file(name, await f.async('nodebuffer'), { date: when, createFolders: false });
  }
  const content = await out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
  return { name: scheduleName(inv, 'xlsx'), content, records: inv.lines.length, totalPence: inv.totalPence };
}

export async function readScheduleXlsx(content: Buffer): Promise<ReadSchedule> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new ArFileError('XLSX_NOT_READABLE', 'schedule is not an XLSX workbook');
  }
  const ws = wb.getWorksheet('Schedule');
  if (!ws) throw new ArFileError('SCHEDULE_SHAPE', 'no Schedule sheet');
  const records: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const v = row.getCell(c).value;
      cells.push(v === null || v === undefined ? '' : String(v));
    }
    records.push(cells);
  });
  return readRows(records);
}
