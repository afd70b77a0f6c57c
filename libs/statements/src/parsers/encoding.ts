import { isUtf8 } from 'node:buffer';
import * as iconv from 'iconv-lite';

/**
 * Text of a legacy bank file: UTF-8 when the bytes are valid UTF-8, otherwise the given 8-bit
 * code page (default windows-1252, what UK bank exports use). A leading BOM is dropped.
 */
export function decodeText(input: Buffer | string, fallbackEncoding = 'windows-1252'): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    text = iconv.decode(input, fallbackEncoding);
  }
  return text.replace(/^\uFEFF/, '');
}

/** Bytes that are not UTF-8 in a format that must be UTF-8. `validText` is everything before them. */
export class InvalidUtf8 extends Error {
  constructor(readonly validText: string) {
    super('bytes are not valid UTF-8');
    this.name = 'InvalidUtf8';
  }
}

/** Length of the UTF-8 sequence a lead byte starts (0: not a lead byte). */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. An incomplete
 * sequence at the very end counts as invalid. Only used once a chunk has failed validation.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const n = sequenceLength(b[i]);
    if (n === 0 || i + n > b.length) return i;
    if (n > 1) {
      const b1 = b[i + 1];
      const lo = b[i] === 0xe0 ? 0xa0 : b[i] === 0xf0 ? 0x90 : 0x80;
      const hi = b[i] === 0xed ? 0x9f : b[i] === 0xf4 ? 0x8f : 0xbf;
      if (b1 < lo || b1 > hi) return i;
      for (let k = 2; k < n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    }
    i += n;
  }
  return -1;
}

/** Bytes at the end of `b` that start a sequence the next chunk may complete. */
function incompleteTail(b: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= b.length; back++) {
    const c = b[b.length - back];
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const n = sequenceLength(c);
    return n > back ? back : 0;
  }
  return 0;
}

/**
 * Streaming strict UTF-8 decoding: each chunk is validated (Node's SIMD `isUtf8`) and decoded;
 * a sequence split between chunks is carried over. Bytes that are not UTF-8 throw InvalidUtf8
 * carrying the valid text before them, so the caller can name the line.
 */
export class Utf8Chunks {
  private carry: Buffer | null = null;

  write(chunk: Buffer): string {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    const cut = data.length - incompleteTail(data);
    const body = data.subarray(0, cut);
    if (!isUtf8(body)) {
      const bad = firstInvalidUtf8(body);
      throw new InvalidUtf8(body.toString('utf8', 0, bad < 0 ? body.length : bad));
    }
    if (cut < data.length) this.carry = Buffer.from(data.subarray(cut));
    return body.toString('utf8');
  }

  end(): string {
    if (this.carry) throw new InvalidUtf8('');
    return '';
  }
}

/** Number of line feeds in `s` (used only on the error path, to name a line). */
export function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Whole-buffer strict UTF-8 decoding (BOM dropped); throws InvalidUtf8 like Utf8Chunks. */
export function decodeUtf8Strict(input: Buffer): string {
  const d = new Utf8Chunks();
  return (d.write(input) + d.end()).replace(/^\uFEFF/, '');
}
