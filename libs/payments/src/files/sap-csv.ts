/**
 * SAP AP flat file (CSV, RFC 4180): a header record, one detail record per written credit line,
 * and a trailer with the detail count and total. Record type in column 1 (H / D / T).
 *
 *   H,<batch id = runId>,<run date YYYYMMDD>,<company code>,<doc type>,<currency>
 *   D,<vendor>,<paymentRef>,<GL>,<cost centre>,<amount 0.00>,<period start>,<period end>,<dpId>,<kind>,<payment block>
 *   T,<detail count>,<total 0.00>
 */
import { CSV_ESCAPER } from './csv';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { csvRecordType, csvWriter, readHeaderDetailTrailer, writeCsv } from './records';
import { render, type Out } from './render';
import type { SapPostingOptions } from './sap-idoc';
import { validateRunInput } from './validate-input';

/** The three record types of the SAP AP flat file, each defined once for the writer and the reader. */
export const SAP_CSV = {
  header: csvRecordType('header', [
    { name: 'recordType', kind: 'constant', value: 'H' },
    { name: 'batchId', kind: 'text', note: 'the run id (max 16)' },
    { name: 'runDate', kind: 'date', note: 'runDate, `YYYYMMDD`' },
    { name: 'companyCode', kind: 'text', note: 'settings.sapCompanyCode' },
    { name: 'docType', kind: 'text', note: 'settings.sapDocTypePayment' },
    { name: 'currency', kind: 'text', note: 'settings.currency' },
  ]),
  detail: csvRecordType('detail', [
    { name: 'recordType', kind: 'constant', value: 'D' },
    { name: 'vendorNo', kind: 'text', note: "the payee's vendor, or the card provider's funding vendor" },
    { name: 'paymentRef', kind: 'text', note: "the credit's paymentRef" },
    { name: 'glAccount', kind: 'text', note: "the line's GL account" },
    { name: 'costCentre', kind: 'text', note: "the line's cost centre" },
    { name: 'amount', kind: 'pounds', note: "the line's payable, signed, 2 places (`-30.00`)" },
    { name: 'periodStart', kind: 'date' },
    { name: 'periodEnd', kind: 'date' },
    { name: 'dpId', kind: 'text', note: "the line's DP" },
    { name: 'kind', kind: 'text', note: '`REGULAR`, `ADJUSTMENT`, `ONE_OFF`, ...' },
    { name: 'paymentBlock', kind: 'text', note: 'payment block key; empty when SAP pays' },
  ]),
  trailer: csvRecordType('trailer', [
    { name: 'recordType', kind: 'constant', value: 'T' },
    { name: 'count', kind: 'count', note: 'number of `D` records' },
    { name: 'total', kind: 'pounds', note: 'sum of the `D` amounts' },
  ]),
};

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
  const paymentBlock = options.paymentBlock ?? '';
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
  const writeDetail = csvWriter(SAP_CSV.detail);
  const layout = (out: Out): void => {
    writeCsv(out, SAP_CSV.header, {
      batchId: input.runId, runDate: input.runDate, companyCode: s.sapCompanyCode, docType: s.sapDocTypePayment, currency: s.currency,
    });
    for (const c of input.credits) {
      for (const l of c.lines) {
        if (l.payablePence === 0n) continue;
        writeDetail(out, {
          vendorNo: c.vendorNo, paymentRef: c.paymentRef, glAccount: l.glAccount, costCentre: l.costCentre,
          amount: l.payablePence, periodStart: l.periodStart, periodEnd: l.periodEnd, dpId: l.dpId, kind: l.kind, paymentBlock,
        });
      }
    }
    writeCsv(out, SAP_CSV.trailer, { count, total });
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
  const byRef = new Map<string, ReadCredit>();
  let lines = 0;
  let lineTotal = 0n;
  const read = readHeaderDetailTrailer(content, 'SAP AP file', SAP_CSV, (d, n, detailProblems) => {
    lines++;
    lineTotal += d.amount;
    const credit = byRef.get(d.paymentRef);
    if (!credit) {
      byRef.set(d.paymentRef, { ref: d.paymentRef, amountPence: d.amount, vendorNo: d.vendorNo, lineCount: 1 });
    } else {
      if (credit.vendorNo !== d.vendorNo) detailProblems.push(`record ${n}: vendor differs within paymentRef ${d.paymentRef}`);
      credit.amountPence += d.amount;
      credit.lineCount = (credit.lineCount ?? 0) + 1;
    }
  });
  const problems = read.problems.concat(read.detailProblems);
  const credits = [...byRef.values()];
  for (const c of credits) if (c.amountPence <= 0n) problems.push(`paymentRef ${c.ref}: credit is not positive`);
  const declared: ReadResult['declared'] = {};
  const t = read.trailer;
  if (t) {
    declared.lines = t.count;
    declared.totalPence = t.total;
    if (declared.lines !== lines) problems.push('trailer count does not equal the detail records');
    if (declared.totalPence !== lineTotal) problems.push('trailer total does not equal the detail records');
  }
  return { format: 'SAP_CSV', records: credits.length, totalPence: lineTotal, credits, declared, problems };
}
