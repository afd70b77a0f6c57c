/**
 * A minimal, namespace-agnostic element tree over saxes (already a dependency), for the XML
 * readers. Prefixes are dropped from element names; text is kept as written (never cast), so
 * amounts and leading zeros survive. Comments and processing instructions are ignored.
 */
import { SaxesParser } from 'saxes';
import { FinanceFileError } from './errors';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

export function parseXml(content: Buffer | string, what: string): XmlElement {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attributes[localName(k)] = String(v);
    const el: XmlElement = { name: localName(tag.name), attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(text).close();
  } catch (e) {
    failure ??= e as Error;
  }
  // The parser's message may quote document text (names); report only that it failed.
  if (failure || !root) throw new FinanceFileError('XML_NOT_WELL_FORMED', `${what} is not well-formed XML`);
  return root;
}

/** First child with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Follows a path of local names (first match at each step). */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** Trimmed text at a path, or undefined when the element is absent. */
export function textAt(el: XmlElement | undefined, ...names: string[]): string | undefined {
  const found = path(el, ...names);
  return found ? found.text.trim() : undefined;
}
