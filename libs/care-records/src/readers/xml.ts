/**
 * Streaming reader for the XML encoding (saxes). Memory is bounded by one DP element at a time
 * plus records not yet pulled from the async iterator (at most one input chunk's worth).
 *
 * Security: any DOCTYPE or ENTITY declaration is refused before the parser sees it (XXE,
 * billion laughs); external entities are never resolved (saxes has no DTD support at all).
 */
import { Readable } from 'node:stream';
import { SaxesParser, SaxesTagNS } from 'saxes';
import { MosaicParseError } from '../validation/errors';
import {
  DEFAULT_NAMESPACE,
  MosaicMapping,
  resolveNames,
  ResolvedNames,
  XML_ATTRIBUTES,
  XML_ELEMENTS,
  XmlElementName,
} from './mapping';
import { FileRejected, resolveLimits, type ReaderLimits } from './limits';
import { RawDirectPayment, RawHeader, RawPayee, RawPerson, RawRecord, RawTrailer } from './raw';

export interface XmlReadOptions {
  mapping?: MosaicMapping;
  /** Depth and field limits (defaults: DEFAULT_READER_LIMITS). */
  limits?: Partial<ReaderLimits>;
  /** Aborts the read (the intake's per-file time-out). */
  signal?: AbortSignal;
}

/** A run without '<' (one tag with all its attributes, or one text) may hold this many fields. */
const FIELDS_PER_RUN = 32;

const FORBIDDEN = /<!(DOCTYPE|ENTITY)/i;
const TAIL = 16;

const CHILDREN: Partial<Record<XmlElementName, XmlElementName[]>> = {
  MosaicExport: ['Person', 'Payee', 'DirectPayment', 'Trailer'],
  Person: ['Name', 'Address'],
  Payee: ['BankAccount', 'CardAccount'],
  DirectPayment: ['Rate', 'Contribution', 'Suspension', 'OneOff', 'Split'],
};

function emptyFields<T>(names: ResolvedNames): T {
  const o: Record<string, string> = {};
  for (const f of names.fields.values()) o[f] = '';
  return o as T;
}

/**
 * A fast-properties copy of a record template. Objects built by many keyed writes (as
 * `emptyFields` does) drop into V8's slow dictionary mode; JSON.parse builds fast ones, and a
 * spread copy of a fast template stays fast. Records are made once per element, so this matters.
 */
const fastTemplate = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/** Turns chunks of an XML extract into raw records, in document order. */
export async function* readMosaicXml(
  input: Readable | AsyncIterable<Buffer | string>,
  options: XmlReadOptions = {},
): AsyncGenerator<RawRecord> {
  const xm = options.mapping?.xml;
  const namespace = xm?.namespace === undefined ? DEFAULT_NAMESPACE : xm.namespace;
  const localToElement = new Map<string, XmlElementName>();
  const names = {} as Record<XmlElementName, ResolvedNames>;
  for (const el of XML_ELEMENTS) {
    localToElement.set(xm?.elements?.[el] ?? el, el);
    names[el] = resolveNames(
      `xml ${el}`,
      XML_ATTRIBUTES[el],
      xm?.attributes?.[el],
      xm?.ignoreAttributes?.[el],
    );
  }

  const templates = {
    person: fastTemplate({
      ...emptyFields<Omit<RawPerson, 'type'>>(names.Person),
      ...emptyFields<object>(names.Name),
      ...emptyFields<object>(names.Address),
      type: 'person',
    } as RawPerson),
    payee: fastTemplate({
      ...emptyFields<Omit<RawPayee, 'type'>>(names.Payee),
      ...emptyFields<object>(names.BankAccount),
      ...emptyFields<object>(names.CardAccount),
      type: 'payee',
    } as RawPayee),
    directPayment: fastTemplate({
      type: 'directPayment',
      ...emptyFields<Omit<RawDirectPayment, 'type'>>(names.DirectPayment),
      rates: [],
      contributions: [],
      suspensions: [],
      oneOffs: [],
      splits: [],
    } as RawDirectPayment),
    child: Object.fromEntries(
      (['Rate', 'Contribution', 'Suspension', 'OneOff', 'Split'] as const).map((el) => [
        el,
        fastTemplate(emptyFields<Record<string, string>>(names[el])),
      ]),
    ) as Record<XmlElementName, Record<string, string>>,
  };

  const limits = resolveLimits(options.limits);
  const queue: RawRecord[] = [];
  const stack: XmlElementName[] = [];
  let current: RawPerson | RawPayee | RawDirectPayment | null = null;
  const seenChildren = new Set<XmlElementName>();
  let rootSeen = false;
  let trailerSeen = false;
  const parser = new SaxesParser({ xmlns: true, position: true });
  const fail = (what: string): never => {
    throw new MosaicParseError(`XML extract rejected at line ${parser.line}: ${what}`);
  };

  const readAttributes = <T>(el: XmlElementName, tag: SaxesTagNS, into: T): T => {
    const n = names[el];
    const target = into as Record<string, string>;
    for (const a of Object.values(tag.attributes)) {
      if (a.value.length > limits.xmlMaxFieldChars) {
        throw new FileRejected('FIELD_TOO_LONG', `XML extract rejected at line ${parser.line}: an attribute of element ${el} is longer than ${limits.xmlMaxFieldChars} characters`);
      }
      if (a.prefix !== '' || a.name === 'xmlns') continue; // namespace declarations, xsi:*, ...
      const field = n.fields.get(a.local);
      if (field !== undefined) target[field] = a.value;
      else if (!n.ignored.has(a.local)) fail(`unknown attribute "${a.local}" on element ${el}`);
    }
    return into;
  };

  // Performance: saxes stores handlers with keyed property writes, and V8 turns the parser into a
  // slow dictionary-mode object from the 7th one on (reading a 200,000-DP file then takes ~4x
  // longer). Keep at most 6 handlers: DOCTYPE is refused by FORBIDDEN before the parser sees it,
  // and saxes' own errors are thrown by write/close and converted below (see `write`).
  parser.on('xmldecl', (d) => {
    if (d.encoding !== undefined && !/^utf-?8$/i.test(d.encoding)) fail('encoding must be UTF-8');
  });
  parser.on('cdata', () => fail('CDATA is not allowed'));
  parser.on('text', (t) => {
    if (/\S/.test(t))
      fail(`unexpected text content${stack.length ? ` in element ${stack[stack.length - 1]}` : ''}`);
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= limits.xmlMaxDepth) {
      throw new FileRejected('XML_TOO_DEEP', `XML extract rejected at line ${parser.line}: elements nested deeper than ${limits.xmlMaxDepth}`);
    }
    const el = localToElement.get(tag.local);
    if (el === undefined) return fail(`unknown element "${tag.local}"`);
    if (namespace !== null && tag.uri !== namespace) fail(`element ${el} is not in namespace ${namespace}`);
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (rootSeen || el !== 'MosaicExport') fail(`unexpected root element ${el}`);
      rootSeen = true;
      queue.push(
        readAttributes('MosaicExport', tag, {
          type: 'header',
          ...emptyFields<Omit<RawHeader, 'type'>>(names.MosaicExport),
        }),
      );
    } else if (!CHILDREN[parent]?.includes(el)) {
      fail(`element ${el} not allowed inside ${parent}`);
    } else if (parent === 'MosaicExport') {
      if (trailerSeen) fail('Trailer must be the last element');
      seenChildren.clear();
      if (el === 'Person') {
        current = { ...templates.person };
      }
      if (el === 'Payee') {
        current = { ...templates.payee };
      }
      if (el === 'DirectPayment') {
        current = {
          ...templates.directPayment,
          rates: [],
          contributions: [],
          suspensions: [],
          oneOffs: [],
          splits: [],
        };
      }
      if (el === 'Trailer') {
        trailerSeen = true;
        queue.push(
          readAttributes('Trailer', tag, {
            type: 'trailer',
            ...emptyFields<Omit<RawTrailer, 'type'>>(names.Trailer),
          }),
        );
      } else {
        readAttributes(el, tag, current);
      }
    } else if (current?.type === 'directPayment') {
      const child = readAttributes(el, tag, { ...templates.child[el] });
      const list = {
        Rate: 'rates',
        Contribution: 'contributions',
        Suspension: 'suspensions',
        OneOff: 'oneOffs',
        Split: 'splits',
      } as const;
      (current[list[el as keyof typeof list]] as unknown[]).push(child);
    } else {
      // Name / Address under Person, BankAccount / CardAccount under Payee: at most one each.
      if (seenChildren.has(el) || (parent === 'Payee' && seenChildren.size > 0))
        fail(`too many child elements in ${parent}`);
      seenChildren.add(el);
      readAttributes(el, tag, current);
    }
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
    if (stack.length === 1 && current) {
      queue.push(current);
      current = null;
    }
  });

  const decoder = new TextDecoder('utf-8', { fatal: true });
  let tail = '';
  let first = true;
  // Characters since the last '<': bounds a text or a tag with its attributes WHILE streaming
  // (saxes would otherwise buffer a gigabyte-long attribute before anyone could look at it).
  let run = 0;
  const maxRun = limits.xmlMaxFieldChars * FIELDS_PER_RUN;
  const feed = (text: string) => {
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const lt = text.lastIndexOf('<');
    run = lt < 0 ? run + text.length : text.length - lt - 1;
    if (run > maxRun) {
      throw new FileRejected('FIELD_TOO_LONG', `XML extract rejected at line ${parser.line}: more than ${maxRun} characters without markup`);
    }
    if (FORBIDDEN.test(tail + text)) fail('DOCTYPE/ENTITY declarations are not allowed');
    tail = (tail + text).slice(-TAIL);
    write(() => parser.write(text));
  };
  const write = (step: () => unknown): void => {
    try {
      step();
    } catch (e) {
      if (e instanceof MosaicParseError) throw e;
      fail(`not well-formed XML (${e instanceof Error ? e.message : 'parser error'})`);
    }
  };
  const decode = (chunk: Buffer | string | undefined, stream: boolean): string => {
    try {
      return typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream });
    } catch {
      throw new FileRejected('INVALID_ENCODING', `XML extract rejected at line ${parser.line}: not valid UTF-8`);
    }
  };

  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    options.signal?.throwIfAborted();
    feed(decode(chunk, true));
    while (queue.length) yield queue.shift()!;
  }
  feed(decode(undefined, false));
  write(() => parser.close());
  if (!rootSeen) fail('no MosaicExport root element');
  while (queue.length) yield queue.shift()!;
}
