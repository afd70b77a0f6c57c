import { Readable } from 'stream';
import { rejectionOf } from '../__fixtures__/rejection';
import { checkIntegrity } from '../integrity';
import { parseCamt, parseCamtStream } from './camt-parser';

/**
 * A camt.053.001.02 statement written for these tests: opening 500.00, a 120.00 credit and a
 * 20.00 debit, closing 600.00, with a TxsSummry that agrees. Each spec changes one thing.
 */
const SUMMARY = `<TxsSummry><TtlNtries><NbOfNtries>2</NbOfNtries><Sum>140.00</Sum><TtlNetNtryAmt>100.00</TtlNetNtryAmt><CdtDbtInd>CRDT</CdtDbtInd></TtlNtries>
<TtlCdtNtries><NbOfNtries>1</NbOfNtries><Sum>120.00</Sum></TtlCdtNtries><TtlDbtNtries><NbOfNtries>1</NbOfNtries><Sum>20.00</Sum></TtlDbtNtries></TxsSummry>`;
const entry = (amt: string, cdi: string, extra = '') =>
  `<Ntry><Amt Ccy="GBP">${amt}</Amt><CdtDbtInd>${cdi}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt>${extra}</Ntry>`;
const camt = (o: { closing?: string; summary?: string; grpHdr?: string; entries?: string } = {}) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
${o.grpHdr ?? '<GrpHdr><MsgId>MSG-20261120</MsgId></GrpHdr>'}
<Stmt><Id>S9</Id><ElctrncSeqNb>9</ElctrncSeqNb><Acct><Id><IBAN>GB33BUKB20201555555555</IBAN></Id><Ccy>GBP</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">${o.closing ?? '600.00'}</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>
${o.summary ?? SUMMARY}
${o.entries ?? entry('120.00', 'CRDT') + entry('20.00', 'DBIT')}
</Stmt></BkToCstmrStmt></Document>`;

const rejection = (input: string | Buffer, opts = {}) => rejectionOf(() => parseCamt(input, opts));

describe('camt control data', () => {
  it('reads the consistent statement', () => {
    const f = parseCamt(camt());
    expect(f.statements[0].entries.map((e) => e.amountMinor)).toEqual([12000n, -2000n]);
    expect(checkIntegrity(f)).toEqual([]);
  });

  it('balance mismatch: opening + entries != closing is found (the intake quarantines the file)', () => {
    const f = parseCamt(camt({ closing: '600.01' }));
    expect(checkIntegrity(f)).toEqual([expect.objectContaining({ code: 'BALANCE_MISMATCH', statement: 0 })]);
  });

  it('summary mismatch: a TxsSummry sum that differs from the entries is refused, naming the path', () => {
    const e = rejection(camt({ summary: SUMMARY.replace('<Sum>120.00</Sum>', '<Sum>121.00</Sum>') }));
    expect(e).toMatchObject({ code: 'CONTROL_TOTAL', record: 'Stmt[1]', path: 'Stmt[1]/TxsSummry/TtlCdtNtries/Sum' });
    expect(e.message).not.toContain('121');
  });

  it('summary mismatch: a count that differs from the entries is refused', () => {
    expect(rejection(camt({ summary: SUMMARY.replace('<NbOfNtries>2</NbOfNtries>', '<NbOfNtries>3</NbOfNtries>') }))).toMatchObject({
      code: 'CONTROL_COUNT',
      path: 'Stmt[1]/TxsSummry/TtlNtries/NbOfNtries',
    });
    expect(rejection(camt({ summary: SUMMARY.replace('<TtlNetNtryAmt>100.00', '<TtlNetNtryAmt>140.00') }))).toMatchObject({
      code: 'CONTROL_TOTAL',
      path: 'Stmt[1]/TxsSummry/TtlNtries/TtlNetNtryAmt',
    });
  });

  it('summary quirks banks send are accepted: the net amount as TtlNtries/Sum, a debit sum written negative', () => {
    const quirky = SUMMARY.replace('<Sum>140.00</Sum>', '<Sum>100.00</Sum>').replace('<Sum>20.00</Sum>', '<Sum>-20.00</Sum>');
    expect(parseCamt(camt({ summary: quirky })).statements).toHaveLength(1);
  });

  it('`strict: false` reads a summary mismatch as a warning', () => {
    const f = parseCamt(camt({ summary: SUMMARY.replace('<Sum>20.00</Sum>', '<Sum>2.00</Sum>') }), { strict: false });
    expect(f.warnings?.map((w) => w.code)).toEqual(['CAMT_SUMMARY_TOTAL']);
  });

  it('GrpHdr/MsgId must be present and at most 35 characters', () => {
    expect(rejection(camt({ grpHdr: '<GrpHdr></GrpHdr>' }))).toMatchObject({ code: 'MISSING_ELEMENT', path: 'BkToCstmrStmt/GrpHdr/MsgId' });
    expect(rejection(camt({ grpHdr: `<GrpHdr><MsgId>${'M'.repeat(36)}</MsgId></GrpHdr>` }))).toMatchObject({ code: 'FIELD_TOO_LONG' });
  });
});

describe('camt input limits', () => {
  it('deep XML: nesting past maxXmlDepth is refused', () => {
    const deep = camt({ entries: entry('120.00', 'CRDT', `${'<X>'.repeat(100)}${'</X>'.repeat(100)}`) + entry('20.00', 'DBIT') });
    expect(rejection(deep)).toMatchObject({ code: 'XML_TOO_DEEP' });
  });

  it('DOCTYPE: entity expansion and external entities are refused before any entity is read', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>`;
    expect(rejection(laughs + camt().replace(/^<\?xml[^>]*>/, '').replace('MSG-20261120', '&c;'))).toMatchObject({ code: 'XML_DOCTYPE' });
    const xxe = `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>`;
    expect(rejection(xxe + camt().replace(/^<\?xml[^>]*>/, '').replace('MSG-20261120', '&x;'))).toMatchObject({ code: 'XML_DOCTYPE' });
  });

  it('an undeclared entity is malformed XML, never expanded', () => {
    expect(rejection(camt().replace('MSG-20261120', '&x;'))).toMatchObject({ code: 'XML_MALFORMED' });
  });

  it('element text longer than maxFieldChars is refused with its path', () => {
    const long = camt({ entries: entry('120.00', 'CRDT', `<AddtlNtryInf>${'A'.repeat(5000)}</AddtlNtryInf>`) + entry('20.00', 'DBIT') });
    expect(rejection(long)).toMatchObject({ code: 'FIELD_TOO_LONG', path: 'Document/BkToCstmrStmt/Stmt/Ntry/AddtlNtryInf' });
  });

  it('a long text node is refused while streaming, before it is all buffered', async () => {
    const big = camt({ entries: entry('120.00', 'CRDT', `<AddtlNtryInf>${'A'.repeat(2_000_000)}</AddtlNtryInf>`) });
    const chunks: string[] = [];
    for (let i = 0; i < big.length; i += 65536) chunks.push(big.slice(i, i + 65536));
    let fed = 0;
    const source = (function* () {
      for (const c of chunks) {
        fed++;
        yield Buffer.from(c);
      }
    })();
    await expect(parseCamtStream(Readable.from(source))).rejects.toMatchObject({ code: 'FIELD_TOO_LONG' });
    expect(fed).toBeLessThan(5);
  });

  it('an attribute longer than maxXmlAttributeChars is refused', () => {
    expect(rejection(camt().replace('<Amt Ccy="GBP">500.00', `<Amt Ccy="${'G'.repeat(3000)}">500.00`))).toMatchObject({ code: 'FIELD_TOO_LONG' });
  });

  it('more elements than maxXmlElements is refused (limit lowered for the test)', () => {
    expect(rejection(camt(), { limits: { maxXmlElements: 20 } })).toMatchObject({ code: 'XML_TOO_MANY_ELEMENTS' });
  });

  it('invalid UTF-8: refused with the line it is on, whole or streamed in small chunks', async () => {
    const text = camt();
    const at = text.indexOf('S9');
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(at))]);
    const line = text.slice(0, at).split('\n').length;
    expect(rejection(bytes)).toMatchObject({ code: 'INVALID_UTF8', line });
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    await expect(parseCamtStream(Readable.from(chunks))).rejects.toMatchObject({ code: 'INVALID_UTF8', line });
  });

  it('a multi-byte character split between chunks is read as it is', async () => {
    const bytes = Buffer.from(camt().replace('S9', 'Šiauliai-€'));
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, i + 3));
    expect(await parseCamtStream(Readable.from(chunks))).toEqual(parseCamt(bytes));
  });
});
