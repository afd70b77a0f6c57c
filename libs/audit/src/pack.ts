/**
 * The audit pack for one DP and a date range: the ledger with its flags, the audits whose windows
 * overlap the range, and the DP's open cases, as one CSV (three sections) and one XLSX (three
 * sheets, amounts in pounds with en-GB formatting). Personal data (merchants, references) goes
 * into the pack only, never into logs. Each file is written under a temporary name, read back
 * and checked, then renamed. No clock in the contents: the workbook's dates are the range's end.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
// exceljs's own zip library (a dependency of exceljs): used to give every entry a fixed date.
import JSZip from 'jszip';
import type { DataSource } from 'typeorm';
import { formatPence, isWithin, type CivilDate, type Pence } from '@dpb/common';
import { CaseService, type CaseSummary } from '@dpb/cases';
import { OfficerRefusal } from '@dpb/payments/officer';
import { auditsBetween, councilsOfDp, loadAccounts, type StoredAudit } from './audit.repository';
import type { LedgerItem } from './rules';

export interface PackContent {
  council: string;
  dpId: string;
  from: CivilDate;
  to: CivilDate;
  ledger: (LedgerItem & { flag: string | null })[];
  audits: StoredAudit[];
  cases: CaseSummary[];
}

/**
 * The council whose DP the pack is for: `council` when the officer named one, else the one council
 * holding DP `dpId` (refused when none does, or several do: then the officer names one).
 */
export async function packCouncil(ds: DataSource, dpId: string, council?: string): Promise<string> {
  if (council) return council;
  const holders = await councilsOfDp(ds.manager, dpId);
  if (holders.length === 1) return holders[0];
  if (!holders.length) throw new OfficerRefusal('NOT_FOUND', `DP ${dpId} is not known`);
  throw new OfficerRefusal('BAD_INPUT', `DP ${dpId} is held by ${holders.length} councils: name one with --council`);
}

export async function loadPack(ds: DataSource, council: string, dpId: string, from: CivilDate, to: CivilDate): Promise<PackContent> {
  const [account] = await loadAccounts(ds.manager, council, [dpId], to);
  if (!account) throw new Error(`DP ${dpId} is not known in council ${council}`);
  const audits = await auditsBetween(ds.manager, council, dpId, from, to);
  const flagOf = new Map<string, string>();
  for (const a of audits) for (const f of a.figures.flags) flagOf.set(f.txnId, f.kind);
  const ledger = account.items.filter((i) => isWithin(i.date, from, to)).map((i) => ({ ...i, flag: flagOf.get(i.id) ?? null }));
  const service = new CaseService(ds);
  const cases = [...(await service.list({ council, dpId, status: 'OPEN' })), ...(await service.list({ council, dpId, status: 'PROPOSED' }))];
  return { council, dpId, from, to, ledger, audits, cases };
}

const FIGURES: [string, (a: StoredAudit) => Pence][] = [
  ['balance', (a) => a.figures.balancePence],
  ['expected contributions', (a) => a.figures.expectedContributionsPence],
  ['received contributions', (a) => a.figures.receivedContributionsPence],
  ['liabilities', (a) => a.figures.liabilitiesPence],
  ['contingency', (a) => a.figures.contingencyPence],
  ['surplus', (a) => a.figures.surplusPence],
  ['contribution refund', (a) => a.figures.contributionRefundPence],
  ['council excess', (a) => a.figures.councilExcessPence],
  ['missed contributions', (a) => a.figures.missedContributionsPence],
];

const LEDGER_HEAD = ['date', 'id', 'source', 'type', 'status', 'amount', 'mcc', 'merchant', 'reference', 'flag'];
const AUDIT_HEAD = ['audit', 'from', 'to', ...FIGURES.map(([n]) => n), 'review due', 'review overdue', 'flags'];
const CASE_HEAD = ['case', 'kind', 'status', 'amount', 'opened', 'escalated'];

function csvCell(v: string): string {
  // Leading = + - @ would be formulas in a spreadsheet: quote and prefix them.
  const safe = /^[=+\-@\t\r]/.test(v) && !/^-?\d+(\.\d+)?$/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) || safe !== v ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function packCsv(p: PackContent): string {
  const rows: string[][] = [
    ['# ledger', p.council, p.dpId, p.from, p.to],
    LEDGER_HEAD,
    ...p.ledger.map((i) => [i.date, i.id, i.source, i.type ?? '', i.status, formatPence(i.amountPence), i.mcc ?? '', i.merchant ?? '', i.reference ?? '', i.flag ?? '']),
    [],
    ['# audits'],
    AUDIT_HEAD,
    ...p.audits.map((a) => [a.id, a.figures.window.from, a.figures.window.to, ...FIGURES.map(([, f]) => formatPence(f(a))), a.figures.review.due, String(a.figures.review.overdue), String(a.figures.flags.length)]),
    [],
    ['# open cases'],
    CASE_HEAD,
    ...p.cases.map((c) => [c.id, c.kind, c.status, c.amountPence === null ? '' : formatPence(c.amountPence), c.openedOn, String(c.escalated)]),
  ];
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const GBP = '£#,##0.00;-£#,##0.00';
/** Pence as pounds for a spreadsheet cell (presentation only: every sum is done in pence). */
const pounds = (p: Pence) => Number(p) / 100;

export function packWorkbook(p: PackContent): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const fixed = new Date(`${p.to}T00:00:00Z`);
  wb.creator = 'dpbridge';
  wb.created = fixed;
  wb.modified = fixed;
  const ledger = wb.addWorksheet('Ledger');
  ledger.addRow(LEDGER_HEAD);
  for (const i of p.ledger) ledger.addRow([i.date, i.id, i.source, i.type ?? '', i.status, pounds(i.amountPence), i.mcc ?? '', i.merchant ?? '', i.reference ?? '', i.flag ?? '']);
  ledger.getColumn(6).numFmt = GBP;
  const audits = wb.addWorksheet('Audit');
  audits.addRow(AUDIT_HEAD);
  for (const a of p.audits) {
    audits.addRow([a.id, a.figures.window.from, a.figures.window.to, ...FIGURES.map(([, f]) => pounds(f(a))), a.figures.review.due, a.figures.review.overdue ? 'yes' : 'no', a.figures.flags.length]);
  }
  for (let c = 4; c < 4 + FIGURES.length; c++) audits.getColumn(c).numFmt = GBP;
  const cases = wb.addWorksheet('Open cases');
  cases.addRow(CASE_HEAD);
  for (const c of p.cases) cases.addRow([c.id, c.kind, c.status, c.amountPence === null ? null : pounds(c.amountPence), c.openedOn, c.escalated ? 'yes' : 'no']);
  cases.getColumn(4).numFmt = GBP;
  for (const ws of [ledger, audits, cases]) ws.getRow(1).font = { bold: true };
  return wb;
}

/**
 * The workbook's bytes, reproducible: exceljs stamps each zip entry with the clock, so the entries
 * are re-dated to the range's end (the same date as the workbook's own properties).
 */
export async function xlsxBytes(p: PackContent): Promise<Buffer> {
  const raw = Buffer.from(await packWorkbook(p).xlsx.writeBuffer());
  const zip = await JSZip.loadAsync(raw);
  const fixed = new Date(`${p.to}T00:00:00Z`);
  zip.forEach((_, entry) => {
    entry.date = fixed;
  });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export interface WrittenPack {
  csv: string;
  xlsx: string;
  ledgerItems: number;
  audits: number;
  cases: number;
}

/** Writes `<DP>_<from>_<to>.csv` and `.xlsx` into `outDir` (temp name, read back, rename). */
export async function writePack(p: PackContent, outDir: string): Promise<WrittenPack> {
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.join(outDir, `${p.dpId.replace(/[^A-Za-z0-9_-]/g, '_')}_${p.from}_${p.to}`);
  const csv = packCsv(p);
  const csvTmp = `${base}.csv.tmp`;
  fs.writeFileSync(csvTmp, csv, 'utf8');
  if (fs.readFileSync(csvTmp, 'utf8') !== csv) throw new Error('audit pack: CSV read back differs');
  fs.renameSync(csvTmp, `${base}.csv`);
  const xlsxTmp = `${base}.xlsx.tmp`;
  fs.writeFileSync(xlsxTmp, await xlsxBytes(p));
  const back = new ExcelJS.Workbook();
  await back.xlsx.readFile(xlsxTmp);
  if ((back.getWorksheet('Ledger')?.rowCount ?? 0) !== p.ledger.length + 1) throw new Error('audit pack: XLSX read back differs');
  fs.renameSync(xlsxTmp, `${base}.xlsx`);
  return { csv: `${base}.csv`, xlsx: `${base}.xlsx`, ledgerItems: p.ledger.length, audits: p.audits.length, cases: p.cases.length };
}
