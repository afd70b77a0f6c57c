import { MosaicParseError } from '../validation/errors';
import { BASE_XML, edit } from '../validation/testing/base-extract';
import { readMosaicXmlAll } from './extract';
import { readMosaicXml } from './xml';

/** A source that records how many chunks were pulled. */
function chunks(parts: string[]) {
  const state = { pulled: 0 };
  async function* gen() {
    for (const p of parts) {
      state.pulled++;
      yield Buffer.from(p, 'utf8');
    }
  }
  return { source: gen(), state };
}

async function drain(it: AsyncIterable<unknown>) {
  const out: unknown[] = [];
  for await (const r of it) out.push(r);
  return out;
}

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const REST = BASE_XML.slice(HEAD.length);

describe('XML security', () => {
  it('rejects an external entity (XXE) before reading further', async () => {
    const { source, state } = chunks([
      HEAD + '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n',
      REST,
    ]);
    await expect(drain(readMosaicXml(source))).rejects.toThrow(/DOCTYPE/);
    expect(state.pulled).toBe(1);
  });
  it('rejects billion laughs before reading further', async () => {
    const lol =
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n';
    const { source, state } = chunks([HEAD + lol, '<MosaicExport>&lol3;', REST]);
    await expect(drain(readMosaicXml(source))).rejects.toBeInstanceOf(MosaicParseError);
    expect(state.pulled).toBe(1);
  });
  it('catches a DOCTYPE split across chunks', async () => {
    const { source } = chunks([HEAD + '<!DOC', 'TYPE x>', REST]);
    await expect(drain(readMosaicXml(source))).rejects.toThrow(/DOCTYPE/);
  });
  it('rejects an undeclared entity reference', async () => {
    await expect(readMosaicXmlAll(edit(BASE_XML, 'first="Ann"', 'first="&ann;"'))).rejects.toBeInstanceOf(
      MosaicParseError,
    );
  });
});

describe('XML structure', () => {
  const bad: [string, string][] = [
    ['unknown element', edit(BASE_XML, '<Trailer', '<Remark/><Trailer')],
    ['unknown attribute', edit(BASE_XML, 'kind="FULL"', 'kind="FULL" region="S"')],
    ['wrong namespace', edit(BASE_XML, 'urn:dpbridge:mosaic-export:1', 'urn:other')],
    ['text content', edit(BASE_XML, '<Name title', 'Ann<Name title')],
    [
      'element after trailer',
      edit(BASE_XML, '</MosaicExport>', '<Person id="P3" restricted="N"/></MosaicExport>'),
    ],
    [
      'two bank accounts',
      edit(BASE_XML, '<CardAccount provider', '<BankAccount sortCode="1"/><CardAccount provider'),
    ],
    ['not UTF-8', edit(BASE_XML, 'encoding="UTF-8"', 'encoding="ISO-8859-1"')],
    ['not well formed', edit(BASE_XML, '</Payee>\n  <Payee id="PY2"', '</Payees>\n  <Payee id="PY2"')],
  ];
  it.each(bad)('rejects %s', async (_n, xml) => {
    await expect(readMosaicXmlAll(xml)).rejects.toBeInstanceOf(MosaicParseError);
  });
  it('rejects invalid UTF-8 bytes', async () => {
    const buf = Buffer.concat([
      Buffer.from(BASE_XML.slice(0, 300)),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(BASE_XML.slice(300)),
    ]);
    await expect(readMosaicXmlAll(buf)).rejects.toThrow(/UTF-8/);
  });
  it('never quotes attribute values in parse errors', async () => {
    await expect(
      readMosaicXmlAll(edit(BASE_XML, 'first="Ann"', 'first="Ann" middle="Zelda"')),
    ).rejects.toThrow(/^(?!.*Zelda)/);
  });
  it('accepts a BOM, comments and xsi attributes', async () => {
    const x =
      '\ufeff' +
      edit(
        BASE_XML,
        'kind="FULL">',
        'kind="FULL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="a b"><!-- note -->',
      );
    expect((await readMosaicXmlAll(x)).ok).toBe(true);
  });
  it('streams: records come out before the input ends', async () => {
    const split = BASE_XML.indexOf('<Payee id="PY1"');
    const { source, state } = chunks([BASE_XML.slice(0, split), BASE_XML.slice(split)]);
    const it = readMosaicXml(source)[Symbol.asyncIterator]();
    expect((await it.next()).value).toMatchObject({ type: 'header' });
    expect((await it.next()).value).toMatchObject({ type: 'person', id: 'P1' });
    expect((await it.next()).value).toMatchObject({ type: 'person', id: 'P2' });
    expect(state.pulled).toBe(1);
  });
});

describe('XML mapping', () => {
  it('maps renamed elements and attributes and any namespace to the same canonical records', async () => {
    let x = BASE_XML.replace(/<DirectPayment /g, '<DP ').replace(/<\/DirectPayment>/g, '</DP>');
    x = x.replace(/glAccount=/g, 'gl=').replace(/ first=/g, ' forename=');
    x = x.replace('urn:dpbridge:mosaic-export:1', 'urn:council:custom');
    x = edit(x, 'kind="FULL"', 'kind="FULL" exportRunNo="7"');
    const mapping = {
      xml: {
        namespace: null,
        elements: { DirectPayment: 'DP' },
        attributes: { DirectPayment: { glAccount: 'gl' }, Name: { first: 'forename' } },
        ignoreAttributes: { MosaicExport: ['exportRunNo'] },
      },
    };
    const mapped = await readMosaicXmlAll(x, { mapping });
    const base = await readMosaicXmlAll(BASE_XML);
    expect(mapped.errors).toEqual([]);
    expect(mapped).toEqual(base);
    await expect(readMosaicXmlAll(x)).rejects.toBeInstanceOf(MosaicParseError);
  });
});
