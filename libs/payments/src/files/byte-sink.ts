/**
 * Builds a file's bytes from string pieces without an intermediate tree or one giant string:
 * pieces are batched into short strings and encoded straight into a buffer. With an exact
 * `sizeHint` (the writers compute one) the file is one allocation of exactly its size; a wrong
 * hint only costs memory (extra chunks, then one copy), never correctness.
 */
const BATCH = 16 * 1024;
const CHUNK = 1024 * 1024;

export class ByteSink {
  private readonly chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;
  private pending = '';
  private readonly maxBytesPerChar: number;

  constructor(sizeHint: number, private readonly encoding: 'utf8' | 'latin1' = 'utf8') {
    this.buf = Buffer.allocUnsafe(Math.max(0, sizeHint));
    this.maxBytesPerChar = encoding === 'utf8' ? 3 : 1;
  }

  push(piece: string): void {
    this.pending += piece;
    if (this.pending.length >= BATCH) this.flush();
  }

  private flush(): void {
    const s = this.pending;
    if (s.length === 0) return;
    this.pending = '';
    const room = this.buf.length - this.pos;
    if (s.length * this.maxBytesPerChar > room) {
      const need = this.maxBytesPerChar === 1 ? s.length : Buffer.byteLength(s, this.encoding);
      if (need > room) {
        this.chunks.push(this.buf.subarray(0, this.pos));
        this.buf = Buffer.allocUnsafe(Math.max(CHUNK, need));
        this.pos = 0;
      }
    }
    this.pos += this.buf.write(s, this.pos, this.encoding);
  }

  /** The bytes written so far, as one Buffer; the sink must not be used afterwards. */
  finish(): Buffer {
    this.flush();
    const last = this.buf.subarray(0, this.pos);
    if (this.chunks.length === 0) return last.length === this.buf.length ? this.buf : Buffer.from(last);
    this.chunks.push(last);
    return Buffer.concat(this.chunks);
  }
}

/** UTF-8 byte length of a string that is mostly ASCII (fast path: no non-ASCII character). */
export function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  return s.length;
}
