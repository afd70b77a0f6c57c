/**
 * Worker-thread entry for verifyFilesOffThread: re-reads the files it is given and posts back
 * each file's verdict (name, ok, problems). No I/O; the bytes come in workerData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyWrittenFile } from './run-files';
import type { FileCheck, FileVerdict } from './verify-off-thread';

const checks = workerData as FileCheck[];
const verdicts: FileVerdict[] = checks.map(({ file, expected }) => {
  // A Buffer arrives as a plain Uint8Array: view the same memory as a Buffer (no copy).
  const content = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
  const v = verifyWrittenFile({ ...file, content }, expected);
  return { name: file.name, ok: v.ok, problems: v.problems };
});
parentPort?.postMessage(verdicts);
