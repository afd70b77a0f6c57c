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
import { csvRecord } from '@dpb/payments/files/csv';
import type { ArFile, ArInvoice } from './model';
import { ArFileError, type FieldDef, csvRecords, date, flag, int, money, optionalText, percent, readFields, text, writeFields } from './records';

export interface ScheduleLine {
  record: string; invoiceId: string; lineNo: number; nhsNumber: string | null; personId: string; dpId: string; month: string;
  from: string; to: string; costPence: bigint; healthBasisPoints: bigint; amountPence: bigint; adjustment: boolean;
}
interface ScheduleTotal { record: string; invoiceId: string; lines: number; costPence: bigint; amountPence: bigint }

const LINE: FieldDef<ScheduleLine>[] = [
  text('record', 'record', /^LINE$/), text('invoiceId', 'invoiceId'), int('lineNo', 'lineNo'), optionalText('nhsNumber', 'nhsNumber'),
  text('personId', 'personId'), text('dpId', 'dpId'), text('month', 'month', /^\d{4}-\d{2}$/), date('from', 'from'), date('to', 'to'),
  money('cost', 'costPence'), percent('healthPct', 'healthBasisPoints'), money('amount', 'amountPence'), flag('adjustment', 'adjustment'),
];
const TOTAL: FieldDef<ScheduleTotal>[] = [
  text('record', 'record', /^TOTAL$/), text('invoiceId', 'invoiceId'), int('lines', 'lines'), money('cost', 'costPence'), money('amount', 'amountPence'),
];

export const scheduleName = (inv: Pick<ArInvoice, 'id'>, ext: 'csv' | 'xlsx') => `${inv.id}_SCHEDULE.${ext}`;

function rows(inv: ArInvoice): string[][] {
  const out = [LINE.map((f) => f.name)];
  let cost = 0n;
  for (const l of inv.lines) {
    cost += l.costPence;
    out.push(writeFields(LINE, { record: 'LINE', invoiceId: inv.id, ...l }));
  }
  const amount = inv.lines.reduce((a, l) => a + l.amountPence, 0n);
  if (amount !== inv.totalPence) throw new ArFileError('CONTROL_TOTAL', `invoice ${inv.id}: lines do not add up to its total`);
  out.push(writeFields(TOTAL, { record: 'TOTAL', invoiceId: inv.id, lines: inv.lines.length, costPence: cost, amountPence: amount }));
  return out;
}

export function writeScheduleCsv(inv: ArInvoice): ArFile {
  const content = Buffer.from(rows(inv).map(csvRecord).join(''), 'utf8');
  return { name: scheduleName(inv, 'csv'), content, records: inv.lines.length, totalPence: inv.totalPence };
}

export interface ReadSchedule {
  invoiceId: string;
  lines: ScheduleLine[];
  totalPence: bigint;
}

function readRows(records: string[][]): ReadSchedule {
  if (records.length < 2) throw new ArFileError('SCHEDULE_SHAPE', 'a schedule needs its headings and a TOTAL record');
  if (records[0].join(',') !== LINE.map((f) => f.name).join(',')) throw new ArFileError('SCHEDULE_SHAPE', 'record 1: headings are not the schedule columns');
  const t = readFields(TOTAL, records[records.length - 1], `record ${records.length}`);
  const lines = records.slice(1, -1).map((r, i) => readFields(LINE, r, `record ${i + 2}`));
  if (lines.some((l) => l.invoiceId !== t.invoiceId)) throw new ArFileError('SCHEDULE_SHAPE', 'a line names another invoice');
  if (t.lines !== lines.length) throw new ArFileError('CONTROL_TOTAL', 'TOTAL count does not equal the lines');
  if (t.amountPence !== lines.reduce((a, l) => a + l.amountPence, 0n)) throw new ArFileError('CONTROL_TOTAL', 'TOTAL amount does not equal the lines');
  if (t.costPence !== lines.reduce((a, l) => a + l.costPence, 0n)) throw new ArFileError('CONTROL_TOTAL', 'TOTAL cost does not equal the lines');
  return { invoiceId: t.invoiceId, lines, totalPence: t.amountPence };
}

export function readScheduleCsv(content: Buffer | string): ReadSchedule {
  const records = csvRecords(content, 'schedule');
  return readRows(records);
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
