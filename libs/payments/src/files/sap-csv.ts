/**
 * SAP AP flat file (CSV, RFC 4180): a header record, one detail record per written credit line,
 * and a trailer with the detail count and total. Record type in column 1 (H / D / T).
 *
 *   H,<batch id = runId>,<run date YYYYMMDD>,<company code>,<doc type>,<currency>
 *   D,<vendor>,<paymentRef>,<GL>,<cost centre>,<amount 0.00>,<period start>,<period end>,<dpId>,<kind>,<payment block>
 *   T,<detail count>,<total 0.00>
 */
import { decimalToPence, penceText } from './amounts';
import { CSV_ESCAPER, csvRecord, forEachCsvRecord } from './csv';
import { compactDate } from './dates';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { render, type Out } from './render';
import type { SapPostingOptions } from './sap-idoc';
import { validateRunInput } from './validate-input';

export function writeSapCsv(input: PaymentRunFilesInput, options: SapPostingOptions = {}): WrittenFile {
  validateRunInput(input);
  return writeSapCsvUnchecked(input, options);
}

/** writeSapCsv for an input already passed through validateRunInput (writeRunFiles checks once for all files). */
export function writeSapCsvUnchecked(input: PaymentRunFilesInput, options: SapPostingOptions = {}): WrittenFile {
  if (input.credits.length === 0) throw new FinanceFileError('SAP_EMPTY', 'a SAP posting needs at least one credit');
  if (input.runId.length > 16) throw new FinanceFileError('RUN_ID_TOO_LONG_FOR_SAP', 'runId exceeds the batch id (16)');
  if (options.paymentBlock !== undefined && !/^[A-Z0-9]$/.test(options.paymentBlock)) {
    throw new FinanceFileError('INVALID_PAYMENT_BLOCK', 'paymentBlock must be one character A-Z 0-9');
  }
  const s = input.settings;
  const header = csvRecord(['H', input.runId, compactDate(input.runDate, 'runDate'), s.sapCompanyCode, s.sapDocTypePayment, s.currency]);
  const block = options.paymentBlock ?? '';
  let count = 0;
  let total = 0n;
  let creditTotal = 0n;
  for (const c of input.credits) {
    creditTotal += c.amountPence;
    for (const l of c.lines) {
      if (l.payablePence === 0n) continue; // zero-payable lines are recorded, never written
      count++;
      total += l.payablePence;
    }
  }
  const trailer = csvRecord(['T', String(count), penceText(total)]);
  // Dates were checked by validateRunInput; `YYYY-MM-DD` -> `YYYYMMDD` by slicing.
  const compact = (d: string) => d.slice(0, 4) + d.slice(5, 7) + d.slice(8, 10);
  const layout = (out: Out): void => {
    out.raw(header);
    for (const c of input.credits) {
      for (const l of c.lines) {
        if (l.payablePence === 0n) continue;
        out.raw('D,');
        out.text(c.vendorNo);
        out.raw(',');
        out.text(c.paymentRef);
        out.raw(',');
        out.text(l.glAccount);
        out.raw(',');
        out.text(l.costCentre);
        out.raw(`,${penceText(l.payablePence)},${compact(l.periodStart)},${compact(l.periodEnd)},`);
        out.text(l.dpId);
        out.raw(',');
        out.text(l.kind);
        out.raw(',');
        out.text(block);
        out.raw('\r\n');
      }
    }
    out.raw(trailer);
  };
  return {
    name: fileNames.sapCsv(input),
    content: render(layout, CSV_ESCAPER),
    records: input.credits.length,
    totalPence: creditTotal,
  };
}

/** Re-reads the SAP AP flat file; credits are the detail lines grouped by paymentRef. */
export function readSapCsv(content: Buffer | string): ReadResult {
  const detailProblems: string[] = [];
  const byRef = new Map<string, ReadCredit>();
  let firstType: string | undefined;
  let lastType: string | undefined;
  let trailers = 0;
  let t: string[] | undefined;
  let lines = 0;
  let lineTotal = 0n;
  let deferred: unknown; // the first amount error, thrown once the whole file has parsed (as before)
  forEachCsvRecord(content, 'SAP AP file', (r, n) => {
    if (n === 1) firstType = r[0];
    lastType = r[0];
    if (r[0] === 'T') {
      trailers++;
      t ??= r;
    }
    if (deferred !== undefined || r[0] === 'H' || r[0] === 'T') return;
    if (r[0] !== 'D' || r.length !== 11) {
      detailProblems.push(`record ${n}: not a detail record of 11 fields`);
      return;
    }
    const vendorNo = r[1];
    const ref = r[2];
    let pence: bigint;
    try {
      pence = decimalToPence(r[5], `record ${n} amount`);
    } catch (e) {
      deferred = e;
      return;
    }
    lines++;
    lineTotal += pence;
    const credit = byRef.get(ref);
    if (!credit) {
      byRef.set(ref, { ref, amountPence: pence, vendorNo, lineCount: 1 });
    } else {
      if (credit.vendorNo !== vendorNo) detailProblems.push(`record ${n}: vendor differs within paymentRef ${ref}`);
      credit.amountPence += pence;
      credit.lineCount = (credit.lineCount ?? 0) + 1;
    }
  });
  if (deferred !== undefined) throw deferred;
  const head: string[] = [];
  if (firstType !== 'H') head.push('first record is not a header (H)');
  if (trailers !== 1 || lastType !== 'T') head.push('exactly one trailer (T) must end the file');
  const problems = head.concat(detailProblems);
  const credits = [...byRef.values()];
  for (const c of credits) if (c.amountPence <= 0n) problems.push(`paymentRef ${c.ref}: credit is not positive`);
  const declared: ReadResult['declared'] = {};
  if (t) {
    declared.lines = /^\d+$/.test(t[1] ?? '') ? Number(t[1]) : undefined;
    declared.totalPence = decimalToPence(t[2] ?? '', 'trailer total');
    if (declared.lines !== lines) problems.push('trailer count does not equal the detail records');
    if (declared.totalPence !== lineTotal) problems.push('trailer total does not equal the detail records');
  }
  return { format: 'SAP_CSV', records: credits.length, totalPence: lineTotal, credits, declared, problems };
}
