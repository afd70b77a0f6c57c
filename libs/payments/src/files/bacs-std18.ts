/**
 * Bacs Standard 18 (Bacstel-IP single processing day, "1 DAILY") direct-credit file.
 * Record order: VOL1 HDR1 HDR2 UHL1, data records (tx 99), one contra (tx 17), EOF1 EOF2 UTL1.
 * Labels are 80 characters, data records 100; records end with CRLF. Every character is
 * from the Bacs set A-Z 0-9 . & / - space. Every record type is defined once (STD18, below) and
 * both the writer and the reader lay it out by that definition (records.ts); the layouts are in
 * docs/formats/finance-files.md.
 */
import { ByteSink } from './byte-sink';
import { dayOfYear } from './dates';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { fixedRecord, formatFixed, parseFixed, recordIdOf, relabelled, type FixedFieldSpec, type FixedRecord } from './records';
import { BACS_CHARSET, bacsText, zeroFill } from './text';
import { validateRunInput } from './validate-input';
import { forEachLine } from './lines';

export const STD18_LABEL_WIDTH = 80;
export const STD18_RECORD_WIDTH = 100;
export const TX_DIRECT_CREDIT = '99';
export const TX_CONTRA = '17';
const EOL = '\r\n';
const BACS = { pattern: BACS_CHARSET, text: 'the Bacs set (A-Z 0-9 . & / - space)' };
const blank = (name: string, start: number, length: number) => ({ name, start, length, kind: 'constant', value: ' '.repeat(length) }) as const;

/** The records of a Standard 18 file, each defined once for the writer and the reader. */
export const STD18 = {
  VOL1: fixedRecord('VOL1', STD18_LABEL_WIDTH, BACS, [
    { name: 'label', start: 1, length: 4, kind: 'constant', value: 'VOL1' },
    { name: 'volumeSerial', start: 5, length: 6, kind: 'numeric', note: 'day of year of runDate (3 digits) + sequence (3 digits) [R]' },
    blank('accessibility', 11, 1),
    blank('reserved', 12, 30),
    { name: 'serviceUserNumber', start: 42, length: 6, kind: 'alpha', note: 'SUN (owner id 38-51 = 4 spaces + SUN + 4 spaces) [R]' },
    blank('reserved', 48, 32),
    { name: 'labelStandardLevel', start: 80, length: 1, kind: 'constant', value: '1' },
  ]),
  HDR1: fixedRecord('HDR1', STD18_LABEL_WIDTH, BACS, [
    { name: 'label', start: 1, length: 4, kind: 'constant', value: 'HDR1' },
    { name: 'fileIdPrefix', start: 5, length: 1, kind: 'constant', value: 'A' },
    { name: 'serviceUserNumber', start: 6, length: 6, kind: 'alpha', note: 'SUN (file id 5-21 = `A` + SUN + `S  1` + SUN) [R]' },
    { name: 'fileIdMarker', start: 12, length: 4, kind: 'constant', value: 'S  1' },
    { name: 'serviceUserNumberAgain', start: 16, length: 6, kind: 'alpha', note: 'SUN' },
    { name: 'fileSerial', start: 22, length: 6, kind: 'numeric', note: 'file set id = the volume serial' },
    { name: 'fileSectionNumber', start: 28, length: 4, kind: 'constant', value: '0001' },
    { name: 'fileSequenceNumber', start: 32, length: 4, kind: 'constant', value: '0001' },
    blank('generationNumber', 36, 4),
    blank('generationVersion', 40, 2),
    { name: 'creationDate', start: 42, length: 6, kind: 'julian', note: '` YYDDD` of runDate' },
    { name: 'expirationDate', start: 48, length: 6, kind: 'julian', note: 'same as creationDate' },
    blank('accessibility', 54, 1),
    { name: 'blockCount', start: 55, length: 6, kind: 'constant', value: '000000' },
    blank('systemCode', 61, 13),
    blank('reserved', 74, 7),
  ]),
  HDR2: fixedRecord('HDR2', STD18_LABEL_WIDTH, BACS, [
    { name: 'label', start: 1, length: 4, kind: 'constant', value: 'HDR2' },
    { name: 'recordFormat', start: 5, length: 1, kind: 'constant', value: 'F' },
    { name: 'blockLength', start: 6, length: 5, kind: 'constant', value: '02000' },
    { name: 'recordLength', start: 11, length: 5, kind: 'constant', value: '00100' },
    blank('reserved', 16, 35),
    { name: 'bufferOffset', start: 51, length: 2, kind: 'constant', value: '00' },
    blank('reserved', 53, 28),
  ]),
  UHL1: fixedRecord('UHL1', STD18_LABEL_WIDTH, BACS, [
    { name: 'label', start: 1, length: 4, kind: 'constant', value: 'UHL1' },
    { name: 'processingDate', start: 5, length: 6, kind: 'julian', note: '` YYDDD` of processingDate' },
    { name: 'receivingPartyId', start: 11, length: 6, kind: 'constant', value: '999999', note: '`999999` [R: the Bacstel-IP value]' },
    blank('reserved', 17, 4),
    { name: 'currencyCode', start: 21, length: 2, kind: 'constant', value: '00' },
    { name: 'countryCode', start: 23, length: 6, kind: 'constant', value: '000000' },
    { name: 'workCode', start: 29, length: 9, kind: 'constant', value: '1 DAILY  ', note: '`1 DAILY` padded to 9 [D]' },
    { name: 'fileNumber', start: 38, length: 3, kind: 'numeric', note: 'sequence (3 digits)' },
    blank('reserved', 41, 40),
  ]),
  /** A direct credit (transaction code 99) or the contra (17, to the originating account). */
  DATA: fixedRecord('data record', STD18_RECORD_WIDTH, BACS, [
    { name: 'destinationSortCode', start: 1, length: 6, kind: 'numeric', note: 'credit.sortCode; contra: the originating sort code' },
    { name: 'destinationAccountNumber', start: 7, length: 8, kind: 'numeric', note: 'credit.accountNumber; contra: the originating account' },
    { name: 'destinationAccountType', start: 15, length: 1, kind: 'constant', value: '0' },
    { name: 'transactionCode', start: 16, length: 2, kind: 'numeric', note: '`99` (Bacs Direct Credit); `17` for the contra' },
    { name: 'originatingSortCode', start: 18, length: 6, kind: 'numeric', note: 'settings.originatingSortCode' },
    { name: 'originatingAccountNumber', start: 24, length: 8, kind: 'numeric', note: 'settings.originatingAccountNumber' },
    blank('free', 32, 4),
    { name: 'amount', start: 36, length: 11, kind: 'amount', note: 'pence, zero-filled; contra: the sum of the credits' },
    { name: 'originatorName', start: 47, length: 18, kind: 'alpha', note: 'bacsText(settings.originatorName); contra: the run id [R]' },
    { name: 'reference', start: 65, length: 18, kind: 'alpha', note: 'credit.paymentRef; contra: `CONTRA` [R]' },
    { name: 'destinationAccountName', start: 83, length: 18, kind: 'alpha', note: 'bacsText(credit.accountName); contra: the originating account name [R]' },
  ]),
  UTL1: fixedRecord('UTL1', STD18_LABEL_WIDTH, BACS, [
    { name: 'label', start: 1, length: 4, kind: 'constant', value: 'UTL1' },
    { name: 'debitTotal', start: 5, length: 13, kind: 'amount', note: 'pence: the contra' },
    { name: 'creditTotal', start: 18, length: 13, kind: 'amount', note: 'pence: the sum of the 99s' },
    { name: 'debitCount', start: 31, length: 7, kind: 'numeric', note: '`0000001` (the contra)' },
    { name: 'creditCount', start: 38, length: 7, kind: 'numeric', note: 'number of 99s' },
    blank('reserved', 45, 36),
  ]),
};
/** EOF1 and EOF2 repeat HDR1 and HDR2 under their own labels. */
const EOF1 = relabelled(STD18.HDR1, 'EOF1');
const EOF2 = relabelled(STD18.HDR2, 'EOF2');

interface Originator {
  sun: string;
  name: string;
  sortCode: string;
  accountNumber: string;
  accountName: string;
}

function originator(input: PaymentRunFilesInput): Originator {
  const s = input.settings;
  const need = (value: string | undefined, field: string): string => {
    if (!value) throw new FinanceFileError('MISSING_BACS_SETTING', `settings.${field} is required for BACS_STD18`);
    return value;
  };
  const sun = need(s.bacsServiceUserNumber, 'bacsServiceUserNumber');
  if (!/^[0-9A-Z]{6}$/.test(sun)) throw new FinanceFileError('INVALID_BACS_SETTING', 'settings.bacsServiceUserNumber must be 6 characters');
  const sortCode = need(s.originatingSortCode, 'originatingSortCode');
  if (!/^\d{6}$/.test(sortCode)) throw new FinanceFileError('INVALID_BACS_SETTING', 'settings.originatingSortCode must be 6 digits');
  const accountNumber = need(s.originatingAccountNumber, 'originatingAccountNumber');
  if (!/^\d{8}$/.test(accountNumber)) throw new FinanceFileError('INVALID_BACS_SETTING', 'settings.originatingAccountNumber must be 8 digits');
  const name = bacsText(need(s.originatorName, 'originatorName'));
  const accountName = bacsText(need(s.originatingAccountName, 'originatingAccountName'));
  if (!name || !accountName) throw new FinanceFileError('INVALID_BACS_SETTING', 'originator names are empty in the Bacs character set');
  return { sun, name, sortCode, accountNumber, accountName };
}

export function writeBacsStd18(input: PaymentRunFilesInput): WrittenFile {
  validateRunInput(input);
  return writeBacsStd18Unchecked(input);
}

/** writeBacsStd18 for an input already passed through validateRunInput (writeRunFiles checks once for all files). */
export function writeBacsStd18Unchecked(input: PaymentRunFilesInput): WrittenFile {
  const o = originator(input);
  if (input.credits.length === 0) throw new FinanceFileError('STD18_EMPTY', 'a Standard 18 file needs at least one credit');
  if (input.sequence > 999) throw new FinanceFileError('STD18_SEQUENCE', 'sequence exceeds the 3-digit file number');
  const fileSerial = zeroFill(dayOfYear(input.runDate, 'runDate'), 3, 'serial') + zeroFill(input.sequence, 3, 'sequence');
  const hdr1 = {
    serviceUserNumber: o.sun, serviceUserNumberAgain: o.sun, fileSerial,
    creationDate: input.runDate, expirationDate: input.runDate,
  };
  const labels: string[] = [
    formatFixed(STD18.VOL1, { volumeSerial: fileSerial, serviceUserNumber: o.sun }),
    formatFixed(STD18.HDR1, hdr1),
    formatFixed(STD18.HDR2, {}),
    formatFixed(STD18.UHL1, { processingDate: input.processingDate, fileNumber: input.sequence }),
  ];
  let total = 0n;
  for (const c of input.credits) total += c.amountPence;
  // Every record has a fixed width: the file size is known before anything is laid out.
  const size = (labels.length + 3) * (STD18_LABEL_WIDTH + 2) + (input.credits.length + 1) * (STD18_RECORD_WIDTH + 2);
  const sink = new ByteSink(size, 'latin1');
  const emit = (record: string): void => {
    sink.push(record);
    sink.push(EOL);
  };
  for (const l of labels) emit(l);
  for (const c of input.credits) {
    const name = bacsText(c.accountName);
    if (!name) throw new FinanceFileError('STD18_EMPTY_NAME', `payee ${c.payeeId}: accountName is empty in the Bacs character set`);
    emit(formatFixed(STD18.DATA, {
      destinationSortCode: c.sortCode, destinationAccountNumber: c.accountNumber, transactionCode: TX_DIRECT_CREDIT,
      originatingSortCode: o.sortCode, originatingAccountNumber: o.accountNumber,
      amount: c.amountPence, originatorName: o.name, reference: c.paymentRef, destinationAccountName: name,
    }));
  }
  emit(formatFixed(STD18.DATA, {
    destinationSortCode: o.sortCode, destinationAccountNumber: o.accountNumber, transactionCode: TX_CONTRA,
    originatingSortCode: o.sortCode, originatingAccountNumber: o.accountNumber, amount: total, originatorName: bacsText(input.runId), reference: 'CONTRA', destinationAccountName: o.accountName,
  }));
  emit(formatFixed(EOF1, hdr1));
  emit(formatFixed(EOF2, {}));
  emit(formatFixed(STD18.UTL1, { debitTotal: total, creditTotal: total, debitCount: 1, creditCount: input.credits.length }));
  return {
    name: fileNames.bacsStd18(input),
    content: sink.finish(),
    records: input.credits.length,
    totalPence: total,
  };
}

/** True when two parsed records carry the same values (EOF1 against HDR1). */
function sameValues(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return Object.keys(x).every((k) => x[k] === y[k]);
}

/** Reads a label at record number `n` by its definition, after checking its id. */
function label<F extends readonly FixedFieldSpec[]>(record: FixedRecord<F>, line: string | undefined, n: number, problems: string[]) {
  if (line === undefined || recordIdOf(record, line) !== record.name) {
    problems.push(`record ${n}: expected ${record.name}`);
    return undefined;
  }
  return parseFixed(record, line, n, problems);
}

/**
 * Reads and validates a Standard 18 credit file: every record against its definition (width,
 * numeric fields, dates, fixed codes), character set, label order, transaction codes, contra =
 * sum of credits, UTL1 totals and counts, EOF1/EOF2 mirroring HDR1/HDR2. Faults are listed in
 * `problems`, naming the record and the field.
 */
export function readBacsStd18(content: Buffer | string): ReadResult {
  const charsetProblems: string[] = [];
  const dataProblems: string[] = [];
  const credits: ReadCredit[] = [];
  const contras: bigint[] = [];
  let totalPence = 0n;
  const head: string[] = [];
  // Data records are the lines between the first 4 and the last 3: a line is handled once three
  // more have followed it, so only the last three are ever held.
  const held: string[] = [];
  let count = 0;
  const dataRecordAt = (line: string, n: number): void => {
    const r = parseFixed(STD18.DATA, line, n, dataProblems);
    if (!r) return;
    const tx = r.transactionCode;
    if (tx === TX_DIRECT_CREDIT) {
      if (contras.length) dataProblems.push(`record ${n}: credit after the contra`);
      credits.push({
        ref: r.reference, amountPence: r.amount, sortCode: r.destinationSortCode,
        accountNumber: r.destinationAccountNumber, accountName: r.destinationAccountName,
      });
      totalPence += r.amount;
    } else if (tx === TX_CONTRA) {
      if (r.destinationSortCode !== r.originatingSortCode || r.destinationAccountNumber !== r.originatingAccountNumber) {
        dataProblems.push(`record ${n}: contra is not to the originating account`);
      }
      contras.push(r.amount);
    } else {
      dataProblems.push(`record ${n}: transaction code ${tx} is not 99 or 17`);
    }
  };
  const endsWithBreak = forEachLine(content, (l) => {
    count++;
    if (!BACS_CHARSET.test(l)) charsetProblems.push(`record ${count}: characters outside the Bacs set`);
    if (count <= 4) head.push(l);
    held.push(l);
    if (held.length > 3) {
      const r = held.shift() as string;
      const index = count - 4; // 0-based index of r
      if (index >= 4) dataRecordAt(r, index + 1);
    }
  });
  const problems: string[] = [];
  if (!endsWithBreak) problems.push('file does not end with a line break');
  const all = problems.concat(charsetProblems);
  // The last three lines (fewer when the file is that short, as `lines.slice(-3)` gave).
  const tail = held.slice(-3);
  label(STD18.VOL1, head[0], 1, all);
  const hdr1 = label(STD18.HDR1, head[1], 2, all);
  const hdr2 = label(STD18.HDR2, head[2], 3, all);
  label(STD18.UHL1, head[3], 4, all);
  const eof1 = label(EOF1, tail[0], count - 2, all);
  const eof2 = label(EOF2, tail[1], count - 1, all);
  const utl = label(STD18.UTL1, tail[2], count, all);
  if (hdr1 && eof1 && !sameValues(hdr1, eof1)) all.push('EOF1 does not mirror HDR1');
  if (hdr2 && eof2 && !sameValues(hdr2, eof2)) all.push('EOF2 does not mirror HDR2');

  for (const p of dataProblems) all.push(p);
  if (contras.length !== 1) all.push(`expected one contra record, found ${contras.length}`);
  else if (contras[0] !== totalPence) all.push('contra amount does not equal the sum of the credits');

  const declared: ReadResult['declared'] = {};
  if (utl) {
    declared.totalPence = utl.creditTotal;
    declared.records = Number(utl.creditCount);
    let contraTotal = 0n;
    for (const c of contras) contraTotal += c;
    if (declared.totalPence !== totalPence) all.push('UTL1 credit total does not equal the credits');
    if (declared.records !== credits.length) all.push('UTL1 credit count does not equal the credits');
    if (utl.debitTotal !== contraTotal) all.push('UTL1 debit total does not equal the contra');
    if (Number(utl.debitCount) !== contras.length) all.push('UTL1 debit count does not equal the contras');
  } else {
    all.push('UTL1 totals are missing or not numeric');
  }
  return { format: 'BACS_STD18', records: credits.length, totalPence, credits, declared, problems: all };
}

/** The validator: the problems readBacsStd18 finds (empty for a valid file). */
export function validateBacsStd18(content: Buffer | string): string[] {
  return readBacsStd18(content).problems;
}
