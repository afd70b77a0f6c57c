/**
 * Writers lay a file out once against an `Out`, and `render` runs that layout twice: first to
 * measure the exact byte size (no strings kept), then into one buffer of exactly that size. So
 * a 300 MB IDoc costs 300 MB, not a tree, a giant string and a copy.
 */
import { ByteSink, utf8Length } from './byte-sink';

export interface Out {
  /** Markup or values that are plain ASCII and need no escaping (tags, digits, dates). */
  raw(s: string): void;
  /** Free text, escaped for the format (XML or CSV). */
  text(s: string): void;
}

export interface Escaper {
  escape(s: string): string;
}

class Measure implements Out {
  bytes = 0;
  constructor(private readonly escaper: Escaper, private readonly encoding: 'utf8' | 'latin1') {}
  raw(s: string): void {
    this.bytes += s.length;
  }
  text(s: string): void {
    const e = this.escaper.escape(s);
    this.bytes += this.encoding === 'utf8' ? utf8Length(e) : e.length;
  }
}

class Write implements Out {
  readonly sink: ByteSink;
  constructor(size: number, private readonly escaper: Escaper, encoding: 'utf8' | 'latin1') {
    this.sink = new ByteSink(size, encoding);
  }
  raw(s: string): void {
    this.sink.push(s);
  }
  text(s: string): void {
    this.sink.push(this.escaper.escape(s));
  }
}

/** Lays the file out twice (measure, then write) and returns its bytes in one exact buffer. */
export function render(layout: (out: Out) => void, escaper: Escaper, encoding: 'utf8' | 'latin1' = 'utf8'): Buffer {
  const measure = new Measure(escaper, encoding);
  layout(measure);
  const write = new Write(measure.bytes, escaper, encoding);
  layout(write);
  return write.sink.finish();
}
