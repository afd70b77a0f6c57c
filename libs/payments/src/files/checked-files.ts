/**
 * A run's finance files written and checked in one step: every file is written, re-read and
 * compared with what the input says it must hold (records, total, references in order, and the
 * file's own controls), and hashed for the manifest. `writeCheckedRunFiles` decides where: a large
 * run's files (a 200 MB SAP IDoc for 200,000 DPs) on a worker thread, so that they are built while
 * the caller goes on (the payment run stores itself meanwhile); a small run's here, where a worker
 * would cost more than it saves.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { sha256Hex, timed } from '@dpb/common';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { verifyWrittenFile, writeRunFiles, type ExpectedFile, type RunFileFormats } from './run-files';

export interface FileCheck {
  file: WrittenFile;
  expected: ExpectedFile;
}

export interface FileVerdict {
  name: string;
  ok: boolean;
  problems: string[];
}

export interface CheckedFile extends WrittenFile {
  sha256: string;
}

export interface CheckedRunFiles {
  /** Every file, in delivery order: posting, payment, card loads. */
  all: CheckedFile[];
  cardLoads: CheckedFile[];
  /** One per file, unless the check was not asked for (`verify: false`). */
  verdicts: FileVerdict[];
  /** Milliseconds spent writing (and hashing) and re-reading the files. */
  timings: { writeMs: number; checkMs: number };
}

export function verifyFilesInThread(checks: FileCheck[]): FileVerdict[] {
  return checks.map(({ file, expected }) => {
    const v = verifyWrittenFile(file, expected);
    return { name: file.name, ok: v.ok, problems: v.problems };
  });
}

export function isCardLoadFile(name: string): boolean {
  return name.includes('_CARDLOAD_');
}

/** What a file written from `input` must hold: a card-load file its provider's loads, any other file every credit. */
export function expectedOf(input: PaymentRunFilesInput, fileName: string): ExpectedFile {
  if (isCardLoadFile(fileName)) {
    const mine = input.cardLoads.filter((c) => fileName.endsWith(`_CARDLOAD_${c.provider}.csv`));
    return { records: mine.length, totalPence: mine.reduce((t, c) => t + c.amountPence, 0n) };
  }
  return {
    records: input.credits.length,
    totalPence: input.credits.reduce((t, c) => t + c.amountPence, 0n),
    refs: input.credits.map((c) => c.paymentRef),
  };
}

/** Runs whose files have at least this many credit lines are written on a worker thread by default. */
const OFF_THREAD_LINES = 10_000;

/**
 * Writes the run's files, hashes them and (unless `verify: false`, for bytes the caller compares
 * with hashes recorded from checked files) re-reads each against `expectedOf`: on a worker thread
 * when `offThread` (default: when the run has OFF_THREAD_LINES credit lines or more), else here.
 * Rejects with FinanceFileError for input the writers refuse; a file that fails its check is
 * reported in `verdicts`, not thrown: the caller must look. `signal` stops a worker (the promise
 * rejects): the caller failed and needs no files.
 */
export async function writeCheckedRunFiles(
  input: PaymentRunFilesInput,
  formats: RunFileFormats,
  options: { verify?: boolean; offThread?: boolean; signal?: AbortSignal } = {},
): Promise<CheckedRunFiles> {
  const offThread = options.offThread ?? input.credits.reduce((t, c) => t + c.lines.length, 0) >= OFF_THREAD_LINES;
  return offThread ? writeCheckedRunFilesOffThread(input, formats, options) : writeCheckedRunFilesInThread(input, formats, options);
}

/** writeCheckedRunFiles on this thread (the worker's own step). */
export function writeCheckedRunFilesInThread(input: PaymentRunFilesInput, formats: RunFileFormats, options: { verify?: boolean } = {}): CheckedRunFiles {
  const timings = { writeMs: 0, checkMs: 0 };
  const all = timed(timings, 'writeMs', () => writeRunFiles(input, formats).all.map((f) => ({ ...f, sha256: sha256Hex(f.content) })));
  const verdicts = timed(timings, 'checkMs', () =>
    options.verify === false ? [] : verifyFilesInThread(all.map((f) => ({ file: f, expected: expectedOf(input, f.name) }))),
  );
  return { all, cardLoads: all.filter((f) => isCardLoadFile(f.name)), verdicts, timings };
}

/** What the worker posts back. */
export type CheckedFilesMessage =
  | { ok: true; all: CheckedFile[]; verdicts: FileVerdict[]; timings: CheckedRunFiles['timings'] }
  | { ok: false; rule: string | null; message: string };

export interface CheckedFilesJob {
  input: PaymentRunFilesInput;
  formats: RunFileFormats;
  verify: boolean;
}

/**
 * writeCheckedRunFiles on a new worker thread. The input is copied to the worker; the files' bytes
 * come back without a copy. A FinanceFileError in the worker is thrown here as one.
 */
function writeCheckedRunFilesOffThread(
  input: PaymentRunFilesInput,
  formats: RunFileFormats,
  options: { verify?: boolean; signal?: AbortSignal },
): Promise<CheckedRunFiles> {
  const job: CheckedFilesJob = { input, formats, verify: options.verify !== false };
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `checked-files-worker${ext}`);
  // From TypeScript sources (tests, scripts) the worker first loads the platform's require hook
  // (found through the @dpb alias here, where it resolves); built code (dist/) needs nothing.
  const worker =
    ext === '.ts'
      ? new Worker(`require(${JSON.stringify(require.resolve('@dpb/platform/ts-register.js'))}); require(${JSON.stringify(entry)});`, {
          eval: true,
          workerData: job,
        })
      : new Worker(entry, { workerData: job });
  options.signal?.addEventListener('abort', () => void worker.terminate(), { once: true });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (m: CheckedFilesMessage) => {
      settled = true;
      if (!m.ok) {
        reject(m.rule !== null ? new FinanceFileError(m.rule, m.message.replace(`${m.rule}: `, '')) : new Error(m.message));
        return;
      }
      // A Buffer arrives as a plain Uint8Array: view the same memory as a Buffer (no copy).
      const all = m.all.map((f) => ({ ...f, content: Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength) }));
      resolve({ all, cardLoads: all.filter((f) => isCardLoadFile(f.name)), verdicts: m.verdicts, timings: m.timings });
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`finance-file worker exited (code ${code}) without its files`));
    });
  });
}

/** The files' memory to move rather than copy: only buffers that own their whole ArrayBuffer (not pool slices). */
export function transferableContents(files: WrittenFile[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const f of files) {
    const b = f.content.buffer;
    if (b instanceof ArrayBuffer && f.content.byteOffset === 0 && f.content.byteLength === b.byteLength) out.add(b);
  }
  return [...out];
}
