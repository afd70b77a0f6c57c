import type { Readable } from 'node:stream';
import { InputRejected, type Problem } from '@dpb/persistence';
import { ParseError } from '../parsers/errors';

/** The first `n` bytes of a stream (the stream is destroyed afterwards). */
export async function readHead(stream: Readable, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of stream) {
      const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
      chunks.push(b);
      size += b.length;
      if (size >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, n);
}

/** A parser's rejection as a quarantine problem: code, record, line and path; never values. */
export function problemOf(e: ParseError, recordType: string): Problem {
  const p: Problem = { recordType, rule: e.code, detail: e.message.slice(0, 300) };
  if (e.record !== undefined) p.recordId = e.record;
  if (e.line !== undefined) p.line = e.line;
  if (e.path !== undefined) p.field = e.path;
  else if (e.field !== undefined) p.field = e.field;
  return p;
}

/** Runs `work`; a ParseError becomes InputRejected (quarantine), anything else propagates. */
export async function rejectingParseErrors<T>(format: string | null, recordType: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ParseError) throw new InputRejected(format, [problemOf(e, recordType)]);
    throw e;
  }
}
