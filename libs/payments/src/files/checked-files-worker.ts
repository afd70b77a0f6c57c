/**
 * Worker-thread entry of writeCheckedRunFiles (offThread): writes, hashes and checks the run's files
 * from the input it is given and posts them back (their memory moved, not copied). No I/O.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { transferableContents, writeCheckedRunFilesInThread, type CheckedFilesJob, type CheckedFilesMessage } from './checked-files';
import { FinanceFileError } from './errors';

const job = workerData as CheckedFilesJob;
let message: CheckedFilesMessage;
let transfer: ArrayBuffer[] = [];
try {
  const files = writeCheckedRunFilesInThread(job.input, job.formats, { verify: job.verify });
  message = { ok: true, all: files.all, verdicts: files.verdicts, timings: files.timings };
  transfer = transferableContents(files.all);
} catch (e) {
  message = { ok: false, rule: e instanceof FinanceFileError ? e.rule : null, message: e instanceof Error ? e.message : String(e) };
}
parentPort?.postMessage(message, transfer);
