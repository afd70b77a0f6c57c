/**
 * Bacs Standard 18 (Bacstel-IP single processing day, "1 DAILY") direct-credit file.
 * Record order: VOL1 HDR1 HDR2 UHL1, data records (tx 99), one contra (tx 17), EOF1 EOF2 UTL1.
 * Labels are 80 characters, data records 100; records end with CRLF. Every character is
 * from the Bacs set A-Z 0-9 . & / - space. Positions and their sources: docs/formats/finance-files.md.
 */
import { integerPence } from './amounts';
import { ByteSink } from './byte-sink';
import { bacsJulian, dayOfYear, fromBacsJulian } from './dates';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { BACS_CHARSET, bacsText, padRight, zeroFill } from './text';
import { validateRunInput } from './validate-input';
import { forEachLine } from './lines';

export const STD18_LABEL_WIDTH = 80;
export const STD18_RECORD_WIDTH = 100;
export const TX_DIRECT_CREDIT = '99';
export const TX_CONTRA = '17';
const EOL = '\r\n';

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

/** One 100-character data or contra record. */
function dataRecord(f: {
  destSort: string; destAccount: string; tx: string; origSort: string; origAccount: string;
  pence: bigint; field47: string; field65: string; field83: string;
}): string {
  const rec =
    f.destSort + f.destAccount + '0' + f.tx + f.origSort + f.origAccount + '    ' +
    zeroFill(f.pence, 11, 'amount') +
    padRight(f.field47, 18) + padRight(f.field65, 18) + padRight(f.field83, 18);
  if (rec.length !== STD18_RECORD_WIDTH) throw new FinanceFileError('STD18_WIDTH', 'data record is not 100 characters');
  return rec;
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
  const serial = zeroFill(dayOfYear(input.runDate, 'runDate'), 3, 'serial') + zeroFill(input.sequence, 3, 'sequence');
  const created = bacsJulian(input.runDate, 'runDate');
  const fileId = `A${o.sun}S  1${o.sun}`;
  const hdr1Body = fileId + serial + '0001' + '0001' + '    ' + '  ' + created + created + ' ' + '000000' + ' '.repeat(20);
  const hdr2Body = 'F' + '02000' + '00100' + ' '.repeat(35) + '00' + ' '.repeat(28);
  const lines: string[] = [
    'VOL1' + serial + ' ' + ' '.repeat(30) + o.sun + ' '.repeat(32) + '1',
    'HDR1' + hdr1Body,
    'HDR2' + hdr2Body,
    'UHL1' + bacsJulian(input.processingDate, 'processingDate') + '999999    ' + '00' + '000000' + '1 DAILY  ' +
      zeroFill(input.sequence, 3, 'sequence') + ' '.repeat(7) + ' '.repeat(7) + ' '.repeat(26),
  ];
  let total = 0n;
  for (const c of input.credits) total += c.amountPence;
  // Every record has a fixed width: the file size is known before anything is laid out.
  const size = (lines.length + 3) * (STD18_LABEL_WIDTH + 2) + (input.credits.length + 1) * (STD18_RECORD_WIDTH + 2);
  const sink = new ByteSink(size, 'latin1');
  const emit = (record: string): void => {
    if (!BACS_CHARSET.test(record)) throw new FinanceFileError('STD18_CHARSET', 'a record has characters outside the Bacs set');
    sink.push(record);
    sink.push(EOL);
  };
  for (const l of lines) emit(l);
  for (const c of input.credits) {
    const name = bacsText(c.accountName);
    if (!name) throw new FinanceFileError('STD18_EMPTY_NAME', `payee ${c.payeeId}: accountName is empty in the Bacs character set`);
    emit(dataRecord({
      destSort: c.sortCode, destAccount: c.accountNumber, tx: TX_DIRECT_CREDIT,
      origSort: o.sortCode, origAccount: o.accountNumber, pence: c.amountPence,
      field47: o.name, field65: c.paymentRef, field83: name,
    }));
  }
  emit(dataRecord({
    destSort: o.sortCode, destAccount: o.accountNumber, tx: TX_CONTRA,
    origSort: o.sortCode, origAccount: o.accountNumber, pence: total,
    field47: bacsText(input.runId), field65: 'CONTRA', field83: o.accountName,
  }));
  emit('EOF1' + hdr1Body);
  emit('EOF2' + hdr2Body);
  emit('UTL1' + zeroFill(total, 13, 'debit total') + zeroFill(total, 13, 'credit total') +
    zeroFill(1, 7, 'debit count') + zeroFill(input.credits.length, 7, 'credit count') + ' '.repeat(36));
  return {
    name: fileNames.bacsStd18(input),
    content: sink.finish(),
    records: input.credits.length,
    totalPence: total,
  };
}

const LABELS_BEFORE = ['VOL1', 'HDR1', 'HDR2', 'UHL1'];
const NUMERIC_DEST = /^\d{6}\d{8}0$/;
const NUMERIC_ORIG = /^\d{6}\d{8}$/;
const NUMERIC_AMOUNT = /^\d{11}$/;
const LABELS_AFTER = ['EOF1', 'EOF2', 'UTL1'];

/**
 * Reads and validates a Standard 18 credit file: record widths, character set, label order,
 * transaction codes, UHL1 Julian date, contra = sum of credits, UTL1 totals and counts,
 * EOF1/EOF2 mirroring HDR1/HDR2. Structural faults are listed in `problems`.
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
  const dataRecordAt = (r: string, n: number): void => {
    if (r.length !== STD18_RECORD_WIDTH) {
      dataProblems.push(`record ${n}: data record is not 100 characters`);
      return;
    }
    if (!NUMERIC_DEST.test(r.slice(0, 15)) || !NUMERIC_ORIG.test(r.slice(17, 31)) || !NUMERIC_AMOUNT.test(r.slice(35, 46))) {
      dataProblems.push(`record ${n}: sort code, account or amount field is not numeric`);
      return;
    }
    const tx = r.slice(15, 17);
    const pence = integerPence(r.slice(35, 46), `record ${n} amount`);
    if (tx === TX_DIRECT_CREDIT) {
      if (contras.length) dataProblems.push(`record ${n}: credit after the contra`);
      credits.push({
        ref: r.slice(64, 82).trimEnd(), amountPence: pence, sortCode: r.slice(0, 6),
        accountNumber: r.slice(6, 14), accountName: r.slice(82, 100).trimEnd(),
      });
      totalPence += pence;
    } else if (tx === TX_CONTRA) {
      if (r.slice(0, 14) !== r.slice(17, 31)) dataProblems.push(`record ${n}: contra is not to the originating account`);
      contras.push(pence);
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
  LABELS_BEFORE.forEach((id, i) => {
    if (head[i]?.slice(0, 4) !== id) all.push(`record ${i + 1}: expected ${id}`);
    if (head[i]?.length !== STD18_LABEL_WIDTH) all.push(`record ${i + 1}: label is not 80 characters`);
  });
  LABELS_AFTER.forEach((id, i) => {
    const n = count - 2 + i;
    if (tail[i]?.slice(0, 4) !== id) all.push(`record ${n}: expected ${id}`);
    if (tail[i]?.length !== STD18_LABEL_WIDTH) all.push(`record ${n}: label is not 80 characters`);
  });
  if (head[1] && tail[0] && head[1].slice(4) !== tail[0].slice(4)) all.push('EOF1 does not mirror HDR1');
  if (head[2] && tail[1] && head[2].slice(4) !== tail[1].slice(4)) all.push('EOF2 does not mirror HDR2');
  if (head[3] && !fromBacsJulian(head[3].slice(4, 10))) all.push('UHL1 processing day is not bYYDDD');

  for (const p of dataProblems) all.push(p);
  if (contras.length !== 1) all.push(`expected one contra record, found ${contras.length}`);
  else if (contras[0] !== totalPence) all.push('contra amount does not equal the sum of the credits');

  const declared: ReadResult['declared'] = {};
  const utl = tail[2];
  if (utl?.startsWith('UTL1') && /^\d{40}$/.test(utl.slice(4, 44))) {
    const debitTotal = BigInt(utl.slice(4, 17));
    declared.totalPence = BigInt(utl.slice(17, 30));
    const debitCount = Number(utl.slice(30, 37));
    declared.records = Number(utl.slice(37, 44));
    let contraTotal = 0n;
    for (const c of contras) contraTotal += c;
    if (declared.totalPence !== totalPence) all.push('UTL1 credit total does not equal the credits');
    if (declared.records !== credits.length) all.push('UTL1 credit count does not equal the credits');
    if (debitTotal !== contraTotal) all.push('UTL1 debit total does not equal the contra');
    if (debitCount !== contras.length) all.push('UTL1 debit count does not equal the contras');
  } else {
    all.push('UTL1 totals are missing or not numeric');
  }
  return { format: 'BACS_STD18', records: credits.length, totalPence, credits, declared, problems: all };
}

/** The validator: the problems readBacsStd18 finds (empty for a valid file). */
export function validateBacsStd18(content: Buffer | string): string[] {
  return readBacsStd18(content).problems;
}
