/**
 * Worker-thread entry for verifyFilesOffThread: runs verifyFilesInThread on the files it is given
 * and posts back the verdicts. No I/O; the bytes come in workerData.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyFilesInThread, type FileCheck } from './verify-off-thread';

// A Buffer arrives as a plain Uint8Array: view the same memory as a Buffer (no copy).
const checks = (workerData as FileCheck[]).map(({ file, expected }) => ({
  file: { ...file, content: Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength) },
  expected,
}));
parentPort?.postMessage(verifyFilesInThread(checks));
