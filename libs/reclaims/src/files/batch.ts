/**
 * One night's AR output for one council: the posting file (IDoc XML or the AR flat file, as the
 * council's posting format says), a schedule (CSV and XLSX) per health reclaim invoice, and the
 * batch manifest naming every file with its SHA-256, record count and total. Every file is read
 * back with its reader and checked against what was written before anything is delivered.
 * Names and contents derive from council, night and invoices alone: a re-run gives the same bytes.
 */
import { sha256Hex } from '@dpb/common';
import type { PostingFormat } from '@dpb/payments/files/model';
import { readArCsv, writeArCsv } from './ar-csv';
import { readArIdoc, writeArIdoc } from './ar-idoc';
import { type ArBatch, type ArFile, type ArInvoice, type ArSettings, ArFileError, arFileStem } from './model';
import { readScheduleCsv, readScheduleXlsx, writeScheduleCsv, writeScheduleXlsx } from './schedule';

/** The council's SAP posting format: the payments' finance files own the type. */
export type { PostingFormat };

export interface ArManifest {
  batchId: string;
  council: string;
  nightDate: string;
  files: { name: string; sha256: string; records: number; totalPence: number }[];
  invoices: { id: string; kind: string; customer: string; period: { from: string; to: string }; totalPence: number; lines: number }[];
  totals: { invoices: number; totalPence: number };
}

export interface ArOutputs {
  files: ArFile[];
  manifestName: string;
  manifest: ArManifest;
  manifestBytes: Buffer;
}

const ids = (xs: { id?: string; invoiceId?: string }[]) => xs.map((x) => x.id ?? x.invoiceId).join('|');

/** Reads a written file back and refuses it unless it carries exactly what was meant. */
export async function verifyArFile(f: ArFile, expected: ArInvoice[]): Promise<void> {
  const fail = (what: string) => {
    throw new ArFileError('READ_BACK_MISMATCH', `${f.name}: ${what} read back differs from what was written`);
  };
  if (f.name.endsWith('_AR.csv')) {
    const r = readArCsv(f.content);
    if (ids(r.details) !== ids(expected) || r.totalPence !== f.totalPence) fail('invoices or total');
  } else if (f.name.endsWith('_AR_IDOC.xml')) {
    const r = readArIdoc(f.content);
    if (ids(r.documents) !== ids(expected) || r.totalPence !== f.totalPence) fail('documents or total');
  } else {
    const r = f.name.endsWith('.xlsx') ? await readScheduleXlsx(f.content) : readScheduleCsv(f.content);
    const [inv] = expected;
    if (r.invoiceId !== inv.id || r.totalPence !== inv.totalPence || r.lines.length !== inv.lines.length) fail('schedule');
  }
}

export async function buildArOutputs(batch: ArBatch, settings: ArSettings, format: PostingFormat): Promise<ArOutputs> {
  const files: { file: ArFile; covers: ArInvoice[] }[] = [];
  if (batch.invoices.length) {
    files.push({ file: format === 'SAP_IDOC' ? writeArIdoc(batch, settings) : writeArCsv(batch, settings), covers: batch.invoices });
  }
  for (const inv of batch.invoices) {
    if (inv.kind !== 'HEALTH_RECLAIM') continue;
    files.push({ file: writeScheduleCsv(inv), covers: [inv] });
    files.push({ file: await writeScheduleXlsx(inv, batch.nightDate), covers: [inv] });
  }
  for (const f of files) await verifyArFile(f.file, f.covers);
  const manifest: ArManifest = {
    batchId: batch.batchId,
    council: settings.council,
    nightDate: batch.nightDate,
    files: files.map(({ file }) => ({ name: file.name, sha256: sha256Hex(file.content), records: file.records, totalPence: Number(file.totalPence) })),
    invoices: batch.invoices.map((i) => ({
      id: i.id, kind: i.kind, customer: i.customer, period: { from: i.periodFrom, to: i.periodTo }, totalPence: Number(i.totalPence), lines: i.lines.length,
    })),
    totals: { invoices: batch.invoices.length, totalPence: Number(batch.invoices.reduce((a, i) => a + i.totalPence, 0n)) },
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  return { files: files.map((f) => f.file), manifestName: `${arFileStem(batch)}.manifest.json`, manifest, manifestBytes };
}
