/**
 * All the finance files of one payment run, and the check the payment stage runs on each file
 * before delivery: re-read the bytes and compare with what the manifest says.
 */
import { readBacsStd18, writeBacsStd18Unchecked } from './bacs-std18';
import { readCardLoad, writeCardLoadFilesUnchecked } from './card-load';
import { FinanceFileError } from './errors';
import type { PaymentFormat, PaymentRunFilesInput, PostingFormat, WrittenFile } from './model';
import { readPain001, writePain001Unchecked } from './pain001';
import type { ReadResult } from './read-result';
import { readSapCsv, writeSapCsvUnchecked } from './sap-csv';
import { readSapIdoc, writeSapIdocUnchecked } from './sap-idoc';
import { validateRunInput } from './validate-input';

export interface RunFileFormats {
  postingFormat: PostingFormat;
  paymentFormat: PaymentFormat;
  /**
   * SAP payment block put on the vendor items when dpbridge sends the money itself
   * (paymentFormat BACS_STD18 or PAIN001), so SAP's payment run cannot pay them again.
   * Default `A`; ignored when paymentFormat is NONE (SAP pays).
   */
  sapPaymentBlock?: string;
}

export interface RunFiles {
  posting?: WrittenFile;
  /** At most one: a run never has both a Std 18 and a pain.001 file. */
  payment?: WrittenFile;
  cardLoads: WrittenFile[];
  /** Every file, in delivery order: posting, payment, card loads. */
  all: WrittenFile[];
}

export function writeRunFiles(input: PaymentRunFilesInput, formats: RunFileFormats): RunFiles {
  validateRunInput(input); // once for every file: the writers below do not check again
  if (input.credits.length === 0) return { cardLoads: [], all: [] };
  const selfPays = formats.paymentFormat !== 'NONE';
  const sapOptions = { paymentBlock: selfPays ? (formats.sapPaymentBlock ?? 'A') : undefined };
  let posting: WrittenFile;
  switch (formats.postingFormat) {
    case 'SAP_IDOC': posting = writeSapIdocUnchecked(input, sapOptions); break;
    case 'SAP_CSV': posting = writeSapCsvUnchecked(input, sapOptions); break;
    default: throw new FinanceFileError('UNKNOWN_POSTING_FORMAT', 'postingFormat must be SAP_IDOC or SAP_CSV');
  }
  let payment: WrittenFile | undefined;
  switch (formats.paymentFormat) {
    case 'NONE': payment = undefined; break;
    case 'BACS_STD18': payment = writeBacsStd18Unchecked(input); break;
    case 'PAIN001': payment = writePain001Unchecked(input); break;
    default: throw new FinanceFileError('UNKNOWN_PAYMENT_FORMAT', 'paymentFormat must be NONE, BACS_STD18 or PAIN001');
  }
  const cardLoads = writeCardLoadFilesUnchecked(input);
  return { posting, payment, cardLoads, all: [posting, ...(payment ? [payment] : []), ...cardLoads] };
}

/** Picks the reader from the file name's suffix (names come from names.ts). */
export function readWrittenFile(file: Pick<WrittenFile, 'name' | 'content'>): ReadResult {
  const n = file.name;
  if (n.endsWith('_SAP_IDOC.xml')) return readSapIdoc(file.content);
  if (n.endsWith('_SAP_AP.csv')) return readSapCsv(file.content);
  if (n.endsWith('_BACS_STD18.txt')) return readBacsStd18(file.content);
  if (n.endsWith('_PAIN001.xml')) return readPain001(file.content);
  if (/_CARDLOAD_[A-Z0-9]+\.csv$/.test(n)) return readCardLoad(file.content);
  throw new FinanceFileError('UNKNOWN_FILE_KIND', 'file name has no known finance-file suffix');
}

export interface ExpectedFile {
  records: number;
  totalPence: bigint;
  /** Payment references in file order (card-load files: the loads' references). */
  refs?: string[];
}

export interface Verification {
  ok: boolean;
  problems: string[];
  read: ReadResult;
}

const LISTED = 20;

/** Up to 20 references, then a count of the rest (a message must stay readable at scale). */
function listed(refs: string[]): string {
  if (refs.length === 0) return 'none';
  const shown = refs.slice(0, LISTED).join(' ');
  return refs.length > LISTED ? `${shown} and ${refs.length - LISTED} more` : shown;
}

/**
 * Re-reads a written file and compares it with the expectation (normally the manifest):
 * record count, total, references in order, the writer's own figures, and the file's internal
 * controls (trailers, UTL1, NbOfTxs/CtrlSum, SAP balance). Deliver only when `ok`.
 */
export function verifyWrittenFile(file: WrittenFile, expected: ExpectedFile): Verification {
  let read: ReadResult;
  try {
    read = readWrittenFile(file);
  } catch (e) {
    const rule = e instanceof FinanceFileError ? e.rule : 'UNREADABLE';
    const empty: ReadResult = { format: 'SAP_CSV', records: 0, totalPence: 0n, credits: [], declared: {}, problems: [] };
    return { ok: false, problems: [`file could not be read (${rule})`], read: empty };
  }
  const problems = [...read.problems];
  if (read.records !== expected.records) problems.push(`records: file has ${read.records}, expected ${expected.records}`);
  if (read.totalPence !== expected.totalPence) problems.push('total: file total differs from the expected total');
  if (read.records !== file.records || read.totalPence !== file.totalPence) {
    problems.push('the writer reported different records/total from what the bytes contain');
  }
  if (expected.refs) {
    const want = expected.refs;
    const got = read.credits;
    let same = got.length === want.length;
    for (let i = 0; same && i < got.length; i++) same = got[i].ref === want[i];
    if (!same) {
      // Sets, not includes(): a 200,000-credit file must not take O(n^2) to report.
      const gotSet = new Set(got.map((c) => c.ref));
      const wantSet = new Set(want);
      const missing = want.filter((r) => !gotSet.has(r));
      const extra = got.map((c) => c.ref).filter((r) => !wantSet.has(r));
      problems.push(`references differ (missing: ${listed(missing)}; unexpected: ${listed(extra)}; or order)`);
    }
  }
  return { ok: problems.length === 0, problems, read };
}
