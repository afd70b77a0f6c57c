/**
 * The re-read check of a run's files (verifyWrittenFile) on a worker thread, so that the main
 * thread can build the manifest meanwhile: for 200,000 DPs the SAP IDoc alone is 200 MB and its
 * re-read takes seconds of one core. Same check, same verdicts as verifyWrittenFile in-thread.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WrittenFile } from './model';
import { verifyWrittenFile, type ExpectedFile } from './run-files';

export interface FileCheck {
  file: WrittenFile;
  expected: ExpectedFile;
}

export interface FileVerdict {
  name: string;
  ok: boolean;
  problems: string[];
}

/** Verifies in this thread (small runs: a worker costs more to start than the check). */
export function verifyFilesInThread(checks: FileCheck[]): FileVerdict[] {
  return checks.map(({ file, expected }) => {
    const v = verifyWrittenFile(file, expected);
    return { name: file.name, ok: v.ok, problems: v.problems };
  });
}

/** Runs the checks on a new worker thread; the bytes are copied to it, the caller keeps its own. */
export function verifyFilesOffThread(checks: FileCheck[]): Promise<FileVerdict[]> {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `verify-worker${ext}`);
  // From TypeScript sources (tests, scripts) the worker loads the same swc hook the repo's child
  // processes use; built code (dist/) needs nothing.
  const worker =
    ext === '.ts'
      ? new Worker(`require(${JSON.stringify(path.resolve(__dirname, '../../../../scripts/ts-register.js'))}); require(${JSON.stringify(entry)});`, {
          eval: true,
          workerData: checks,
        })
      : new Worker(entry, { workerData: checks });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (verdicts: FileVerdict[]) => {
      settled = true;
      resolve(verdicts);
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`file verification worker exited (code ${code}) without a verdict`));
    });
  });
}
