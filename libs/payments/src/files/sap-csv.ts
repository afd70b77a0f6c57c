/**
 * SAP AP flat file (CSV, RFC 4180): a header record, one detail record per written credit line,
 * and a trailer with the detail count and total. Record type in column 1 (H / D / T).
 *
 *   H,<batch id = runId>,<run date YYYYMMDD>,<company code>,<doc type>,<currency>
 *   D,<vendor>,<paymentRef>,<GL>,<cost centre>,<amount 0.00>,<period start>,<period end>,<dpId>,<kind>,<payment block>
 *   T,<detail count>,<total 0.00>
 */
import { formatPence, sumPence } from '@dpb/common';
import { decimalToPence } from './amounts';
import { csvRecord, parseCsv } from './csv';
import { compactDate } from './dates';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import type { SapPostingOptions } from './sap-idoc';
import { validateRunInput, writtenLines } from './validate-input';

export function writeSapCsv(input: PaymentRunFilesInput, options: SapPostingOptions = {}): WrittenFile {
  validateRunInput(input);
  if (input.credits.length === 0) throw new FinanceFileError('SAP_EMPTY', 'a SAP posting needs at least one credit');
  if (input.runId.length > 16) throw new FinanceFileError('RUN_ID_TOO_LONG_FOR_SAP', 'runId exceeds the batch id (16)');
  if (options.paymentBlock !== undefined && !/^[A-Z0-9]$/.test(options.paymentBlock)) {
    throw new FinanceFileError('INVALID_PAYMENT_BLOCK', 'paymentBlock must be one character A-Z 0-9');
  }
  const s = input.settings;
  let out = csvRecord(['H', input.runId, compactDate(input.runDate, 'runDate'), s.sapCompanyCode, s.sapDocTypePayment, s.currency]);
  let count = 0;
  let total = 0n;
  for (const c of input.credits) {
    for (const l of writtenLines(c)) {
      out += csvRecord([
        'D', c.vendorNo, c.paymentRef, l.glAccount, l.costCentre, formatPence(l.payablePence),
        compactDate(l.periodStart, 'periodStart'), compactDate(l.periodEnd, 'periodEnd'), l.dpId, l.kind,
        options.paymentBlock ?? '',
      ]);
      count++;
      total += l.payablePence;
    }
  }
  out += csvRecord(['T', String(count), formatPence(total)]);
  return {
    name: fileNames.sapCsv(input),
    content: Buffer.from(out, 'utf8'),
    records: input.credits.length,
    totalPence: sumPence(input.credits.map((c) => c.amountPence)),
  };
}

/** Re-reads the SAP AP flat file; credits are the detail lines grouped by paymentRef. */
export function readSapCsv(content: Buffer | string): ReadResult {
  const rows = parseCsv(content, 'SAP AP file');
  const problems: string[] = [];
  if (rows[0]?.[0] !== 'H') problems.push('first record is not a header (H)');
  const trailers = rows.filter((r) => r[0] === 'T');
  if (trailers.length !== 1 || rows[rows.length - 1]?.[0] !== 'T') problems.push('exactly one trailer (T) must end the file');
  const byRef = new Map<string, ReadCredit>();
  let lines = 0;
  let lineTotal = 0n;
  rows.forEach((r, i) => {
    if (r[0] === 'H' || r[0] === 'T') return;
    if (r[0] !== 'D' || r.length !== 11) {
      problems.push(`record ${i + 1}: not a detail record of 11 fields`);
      return;
    }
    const [, vendorNo, ref, , , amount] = r;
    const pence = decimalToPence(amount, `record ${i + 1} amount`);
    lines++;
    lineTotal += pence;
    const credit = byRef.get(ref);
    if (!credit) {
      byRef.set(ref, { ref, amountPence: pence, vendorNo, lineCount: 1 });
    } else {
      if (credit.vendorNo !== vendorNo) problems.push(`record ${i + 1}: vendor differs within paymentRef ${ref}`);
      credit.amountPence += pence;
      credit.lineCount = (credit.lineCount ?? 0) + 1;
    }
  });
  const credits = [...byRef.values()];
  for (const c of credits) if (c.amountPence <= 0n) problems.push(`paymentRef ${c.ref}: credit is not positive`);
  const t = trailers[0];
  const declared: ReadResult['declared'] = {};
  if (t) {
    declared.lines = /^\d+$/.test(t[1] ?? '') ? Number(t[1]) : undefined;
    declared.totalPence = decimalToPence(t[2] ?? '', 'trailer total');
    if (declared.lines !== lines) problems.push('trailer count does not equal the detail records');
    if (declared.totalPence !== lineTotal) problems.push('trailer total does not equal the detail records');
  }
  return { format: 'SAP_CSV', records: credits.length, totalPence: lineTotal, credits, declared, problems };
}
