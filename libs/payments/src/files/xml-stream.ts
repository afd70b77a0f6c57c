/**
 * Streaming, namespace-agnostic XML reading for the finance-file readers: element events go to
 * a visitor, nothing of the document is kept unless the visitor keeps it. Prefixes are dropped
 * from element and attribute names; text is kept as written (never cast), so amounts and
 * leading zeros survive. Comments and processing instructions are ignored.
 *
 * Two tokenizers feed the same visitor:
 * - a fast one for the plain subset our writers produce (printable ASCII, the five predefined
 *   entities, no comments, CDATA, DOCTYPE or processing instructions besides the declaration);
 * - saxes (fed in chunks) for everything else. The fast tokenizer gives up on anything outside
 *   its subset, including anything not well-formed, and the document is then read again from
 *   the start by saxes with a fresh visitor, so both paths give the same events and the same
 *   verdicts.
 *
 * Frames are reused once their element has closed: a visitor must not keep them.
 *
 * Why the fast tokenizer stays (measured on the finance-files bench's synthetic run of 50,000
 * credits, 125,000 written lines; CPU seconds, best of 3, Node 24, shared 2-core machine): the
 * 83 MB SAP IDoc reads in 1.36 s through it against 4.95 s through saxes alone (readSapIdoc on
 * the decoded string), and the 25 MB pain.001 in 0.90 s against 1.97 s. The payment stage
 * re-reads every file it writes, so saxes alone would add about 14 s to a 200,000-credit run.
 */
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import { FinanceFileError } from './errors';

export interface XmlFrame {
  /** Local name (prefix dropped). */
  name: string;
  /** 0 for the root element. */
  depth: number;
  /** Set by the visitor in `open` to collect this element's own text (not its children's). */
  capture: boolean;
  text: string;
  /** Free for the visitor: what this element is to it. */
  tag: number;
  /** Free for the visitor: e.g. the element's path below a record. */
  key: string | undefined;
  /** Local names of the children seen so far (see `firstChild`). */
  seen: string[] | undefined;
  /** Attributes, parsed on demand (see `attributesOf`). */
  attributes: Record<string, string> | undefined;
  rawAttributes: string;
}

export interface XmlVisitor {
  open(el: XmlFrame, parent: XmlFrame | undefined): void;
  close(el: XmlFrame, parent: XmlFrame | undefined): void;
}

export function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/**
 * True when `name` is the first child of `parent` with that local name (readers take the first
 * match of each path). Call it for every child of a parent whose first children matter.
 */
export function firstChild(parent: XmlFrame, name: string): boolean {
  const seen = (parent.seen ??= []);
  if (seen.includes(name)) return false;
  seen.push(name);
  return true;
}

const ATTRIBUTE = /([A-Za-z_][A-Za-z0-9_.\-:]*)[ \t\n]*=[ \t\n]*(?:"([^"]*)"|'([^']*)')/g;

function parseAttributes(raw: string): { attributes: Record<string, string>; duplicate: boolean } {
  const attributes: Record<string, string> = {};
  const names = new Set<string>();
  let duplicate = false;
  for (const m of raw.matchAll(ATTRIBUTE)) {
    if (names.has(m[1])) duplicate = true;
    names.add(m[1]);
    attributes[localName(m[1])] = m[2] ?? m[3];
  }
  return { attributes, duplicate };
}

/** The element's attributes with local names (the last of two that share a local name wins). */
export function attributesOf(el: XmlFrame): Record<string, string> {
  el.attributes ??= el.rawAttributes ? parseAttributes(el.rawAttributes).attributes : {};
  return el.attributes;
}

/** Keeps the element stack for either tokenizer. */
class Driver {
  private readonly frames: XmlFrame[] = [];
  private readonly qnames: string[] = [];
  depth = 0;
  rootSeen = false;

  constructor(private readonly visitor: XmlVisitor) {}

  topQname(): string | undefined {
    return this.depth ? this.qnames[this.depth - 1] : undefined;
  }

  capturing(): boolean {
    return this.depth > 0 && this.frames[this.depth - 1].capture;
  }

  open(qname: string, attributes: Record<string, string> | undefined, rawAttributes: string): void {
    const parent = this.depth ? this.frames[this.depth - 1] : undefined;
    let el = this.frames[this.depth];
    if (!el) {
      el = { name: '', depth: this.depth, capture: false, text: '', tag: 0, key: undefined, seen: undefined, attributes: undefined, rawAttributes: '' };
      this.frames[this.depth] = el;
    }
    el.name = qname.includes(':') ? localName(qname) : qname;
    el.capture = false;
    el.text = '';
    el.tag = 0;
    el.key = undefined;
    el.seen = undefined;
    el.attributes = attributes;
    el.rawAttributes = rawAttributes;
    this.qnames[this.depth] = qname;
    this.depth++;
    this.rootSeen = true;
    this.visitor.open(el, parent);
  }

  text(t: string): void {
    if (this.depth === 0) return;
    const top = this.frames[this.depth - 1];
    if (top.capture) top.text += t;
  }

  close(): void {
    if (this.depth === 0) return;
    this.depth--;
    this.visitor.close(this.frames[this.depth], this.depth ? this.frames[this.depth - 1] : undefined);
  }
}

class OutsideSubset extends Error {}

const WINDOW = 1 << 16; // small windows: large (external) window strings made entity-heavy text slow
const PLAIN = /[^\t\n\x20-\x7e]/;
const ATTRIBUTE_LIST = /^(?:[ \t\n]+[A-Za-z_][A-Za-z0-9_.\-:]*[ \t\n]*=[ \t\n]*(?:"[^"<&\t\n]*"|'[^'<&\t\n]*'))*[ \t\n]*$/;
const DECLARATIONS = new Set([
  '<?xml version="1.0" encoding="UTF-8"?>', "<?xml version='1.0' encoding='UTF-8'?>",
  '<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0"?>',
]);
const ENTITY = /&(amp|lt|gt|quot|apos);/g;
const ENTITY_TEXT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const NAME_START = new Uint8Array(128);
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  NAME_START[c] = /[A-Za-z_]/.test(ch) ? 1 : 0;
  NAME_CHAR[c] = /[A-Za-z0-9_.\-:]/.test(ch) ? 1 : 0;
}
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09;

const ENTITY_NAMES = ['amp;', 'lt;', 'gt;', 'quot;', 'apos;'];

/** Checks that every '&' in w[from, to) starts a predefined entity. */
function checkEntities(w: string, from: number, to: number): void {
  for (let a = w.indexOf('&', from); a >= 0 && a < to; a = w.indexOf('&', a + 1)) {
    let ok = false;
    for (const e of ENTITY_NAMES) {
      if (a + 1 + e.length <= to && w.startsWith(e, a + 1)) {
        ok = true;
        break;
      }
    }
    if (!ok) throw new OutsideSubset();
  }
}

/** Character data w[from, to): whitespace only outside the root, entities checked, captured when asked. */
function text(w: string, from: number, to: number, hasAmp: boolean, d: Driver): void {
  if (d.depth === 0) {
    for (let k = from; k < to; k++) if (!isSpace(w.charCodeAt(k))) throw new OutsideSubset();
    return;
  }
  if (hasAmp) checkEntities(w, from, to);
  if (d.capturing()) {
    const raw = w.slice(from, to);
    d.text(hasAmp ? raw.replace(ENTITY, (_m, e: string) => ENTITY_TEXT[e]) : raw);
  }
}

/**
 * Tokenizes one window; returns how much of it was consumed (the rest is carried over to the
 * next window). `start` is the document offset of w[0].
 */
function scan(w: string, last: boolean, start: number, d: Driver): number {
  const n = w.length;
  let i = 0;
  let amp = -2; // cached next '&' (-1: none in the window)
  let cdataEnd = -2; // cached next ']]>'
  while (i < n) {
    const lt = w.indexOf('<', i);
    if (lt < 0 && !last) return i; // the text may continue in the next window
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      if (amp !== -1 && amp < i) amp = w.indexOf('&', i);
      if (cdataEnd !== -1 && cdataEnd < i) cdataEnd = w.indexOf(']]>', i);
      if (cdataEnd !== -1 && cdataEnd < textEnd) throw new OutsideSubset();
      text(w, i, textEnd, amp !== -1 && amp < textEnd, d);
    }
    if (lt < 0) return n;
    const gt = w.indexOf('>', lt + 1);
    if (gt < 0) {
      if (last) throw new OutsideSubset();
      return lt;
    }
    const c = w.charCodeAt(lt + 1);
    if (c === 0x2f /* / */) {
      const q = d.topQname();
      if (q === undefined || !w.startsWith(q, lt + 2)) throw new OutsideSubset();
      for (let k = lt + 2 + q.length; k < gt; k++) if (!isSpace(w.charCodeAt(k))) throw new OutsideSubset();
      d.close();
    } else if (c === 0x3f /* ? */) {
      if (start + lt !== 0 || !DECLARATIONS.has(w.slice(lt, gt + 1))) throw new OutsideSubset();
    } else {
      if (!NAME_START[c] || (d.depth === 0 && d.rootSeen)) throw new OutsideSubset();
      let j = lt + 2;
      while (j < gt && NAME_CHAR[w.charCodeAt(j)]) j++;
      const qname = w.slice(lt + 1, j);
      const selfClosing = w.charCodeAt(gt - 1) === 0x2f && gt - 1 >= j;
      const attrEnd = selfClosing ? gt - 1 : gt;
      let raw = '';
      if (j < attrEnd) {
        raw = w.slice(j, attrEnd);
        if (!ATTRIBUTE_LIST.test(raw)) throw new OutsideSubset();
        if (raw.indexOf('=') !== raw.lastIndexOf('=') && parseAttributes(raw).duplicate) throw new OutsideSubset();
      }
      d.open(qname, undefined, raw);
      if (selfClosing) d.close();
    }
    i = gt + 1;
  }
  return n;
}

/** The fast tokenizer; throws OutsideSubset on anything it does not handle. */
function readPlain(content: Buffer, d: Driver): void {
  // latin1 maps bytes 1:1 to characters, so a window restarts at the first unconsumed byte
  // (always a flat string: no concatenation with the previous window's remainder).
  let start = 0; // document offset of the window's first character
  let checked = 0; // bytes already checked against PLAIN
  let size = WINDOW; // doubled while a single token does not fit
  for (;;) {
    const end = Math.min(content.length, start + size);
    const w = content.toString('latin1', start, end);
    if (end > checked) {
      if (PLAIN.test(checked > start ? w.slice(checked - start) : w)) throw new OutsideSubset();
      checked = end;
    }
    const last = end >= content.length;
    const used = scan(w, last, start, d);
    start += used;
    size = used === 0 ? size * 2 : WINDOW;
    if (last) {
      if (used !== w.length) throw new OutsideSubset();
      break;
    }
  }
  if (!d.rootSeen || d.depth !== 0) throw new OutsideSubset();
}

const SAX_CHUNK = 1 << 20;

/** saxes, fed in chunks; returns false when the document is not well-formed. */
function readWithSaxes(content: Buffer | string, d: Driver): boolean {
  const parser = new SaxesParser({ xmlns: false });
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  parser.on('opentag', (t) => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(t.attributes)) attributes[localName(k)] = String(v);
    d.open(t.name, attributes, '');
  });
  parser.on('text', (t) => d.text(t));
  parser.on('closetag', () => d.close());
  try {
    if (typeof content === 'string') {
      for (let i = 0; i < content.length; i += SAX_CHUNK) parser.write(content.slice(i, i + SAX_CHUNK));
    } else {
      const decoder = new StringDecoder('utf8');
      for (let i = 0; i < content.length; i += SAX_CHUNK) parser.write(decoder.write(content.subarray(i, i + SAX_CHUNK)));
      const rest = decoder.end();
      if (rest) parser.write(rest);
    }
    parser.close();
  } catch {
    failed = true;
  }
  return !failed && d.rootSeen;
}

/**
 * Streams `content` through a visitor made by `makeVisitor` and returns that visitor. Throws
 * XML_NOT_WELL_FORMED (naming only `what`, never document text) when the bytes are not XML.
 * `onPath` (for tests and diagnostics) is told which tokenizer read the document.
 */
export function streamXml<V extends XmlVisitor>(
  content: Buffer | string, what: string, makeVisitor: () => V, onPath?: (path: 'plain' | 'saxes') => void,
): V {
  if (typeof content !== 'string') {
    const visitor = makeVisitor();
    try {
      readPlain(content, new Driver(visitor));
      onPath?.('plain');
      return visitor;
    } catch (e) {
      if (!(e instanceof OutsideSubset)) throw e;
    }
  }
  const visitor = makeVisitor();
  if (!readWithSaxes(content, new Driver(visitor))) {
    throw new FinanceFileError('XML_NOT_WELL_FORMED', `${what} is not well-formed XML`);
  }
  onPath?.('saxes');
  return visitor;
}
