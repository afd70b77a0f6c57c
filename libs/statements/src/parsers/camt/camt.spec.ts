import { ParseError } from '../errors';
import { checkIntegrity } from '../integrity';
import { parseCamt } from './camt-parser';

/** A UK camt.053.001.08 statement written for these tests: a Bacs credit, a Bacs return (ARET). */
const doc = (entries: string, ns = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08') => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${ns}"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-20T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><ElctrncSeqNb>41</ElctrncSeqNb>
<Acct><Id><Othr><Id>12345678</Id></Othr></Id><Ccy>GBP</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-19</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">587.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-20</Dt></Dt></Bal>
${entries}</Stmt></BkToCstmrStmt></Document>`;

const PAYMENT = `<Ntry><Amt Ccy="GBP">575.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><DtTm>2026-11-20T00:30:00+00:00</DtTm></BookgDt><ValDt><Dt>2026-11-20</Dt></ValDt><AcctSvcrRef>B1</AcctSvcrRef>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ACDT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>DPB-RUN7-0001</EndToEndId></Refs><RltdPties><Cdtr><Pty><Nm>PAYEE ONE</Nm></Pty></Cdtr></RltdPties>
<RmtInf><Ustrd>DP NOV</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
const RETURN = `<Ntry><Amt Ccy="GBP">162.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-11-20</Dt></BookgDt><ValDt><Dt>2026-11-20</Dt></ValDt>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ARET</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>DPB-RUN6-0042</EndToEndId></Refs>
<RltdPties><Dbtr><Pty><Nm>COUNCIL</Nm></Pty></Dbtr><Cdtr><Pty><Nm>PAYEE TWO</Nm></Pty></Cdtr></RltdPties>
<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>`;
const PENDING = `<Ntry><Amt Ccy="GBP">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts><ValDt><Dt>2026-11-23</Dt></ValDt></Ntry>`;

describe('parseCamt (hand-made camt.053.001.08)', () => {
  it('reads a Bacs payment, an ARET return and a pending entry', () => {
    const f = parseCamt(doc(PAYMENT + RETURN + PENDING));
    const s = f.statements[0];
    expect(s).toMatchObject({ account: '12345678', currency: 'GBP', sequence: '41', openingBalanceMinor: 100000n, closingBalanceMinor: 58750n });
    const [pay, ret, pend] = s.entries;
    expect(pay).toMatchObject({
      amountMinor: -57500n, bookingDate: '2026-11-20', valueDate: '2026-11-20', status: 'BOOKED', reversal: false,
      endToEndId: 'DPB-RUN7-0001', counterparty: 'PAYEE ONE', reference: 'DP NOV',
    });
    expect(pay.extra).toMatchObject({ bankTxCode: 'PMNT/ICDT/ACDT', acctSvcrRef: 'B1' });
    // the return credits the money back; the counterparty is the original creditor
    expect(ret).toMatchObject({ amountMinor: 16250n, reversal: true, status: 'BOOKED', endToEndId: 'DPB-RUN6-0042', counterparty: 'PAYEE TWO' });
    expect(ret.extra).toMatchObject({ bankTxDomain: 'PMNT', bankTxFamily: 'ICDT', bankTxSubFamily: 'ARET', returnReason: 'AC04' });
    expect(pend).toMatchObject({ amountMinor: 1000n, status: 'PENDING', bookingDate: null, valueDate: '2026-11-23' });
    // 1000.00 - 575.00 + 162.50 = 587.50 (pending excluded)
    expect(checkIntegrity(f)).toEqual([]);
  });

  it('reports (does not throw) an opening + booked != closing statement', () => {
    const f = parseCamt(doc(PAYMENT));
    expect(checkIntegrity(f)).toEqual([
      expect.objectContaining({ code: 'BALANCE_MISMATCH', statement: 0, expectedMinor: 42500n, actualMinor: 58750n }),
    ]);
  });

  it('refuses a DOCTYPE (no entity expansion), whatever it declares', () => {
    const evil = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + doc(PAYMENT).replace(/^<\?xml[^>]*>/, '');
    expect(() => parseCamt(evil)).toThrow(expect.objectContaining({ code: 'XML_DOCTYPE' }));
  });

  it('refuses camt.052 and non-camt documents', () => {
    expect(() => parseCamt(doc(PAYMENT, 'urn:iso:std:iso:20022:tech:xsd:camt.052.001.08'))).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_MESSAGE' }),
    );
    expect(() => parseCamt('<Foo/>')).toThrow(ParseError);
  });

  it('accepts zero extra decimals but refuses amounts that would need rounding', () => {
    expect(parseCamt(doc(PAYMENT.replace('575.00', '575.000'))).statements[0].entries[0].amountMinor).toBe(-57500n);
    expect(() => parseCamt(doc(PAYMENT.replace('575.00', '575.005')))).toThrow(expect.objectContaining({ code: 'AMOUNT_PRECISION' }));
  });

  it('refuses an entry without CdtDbtInd or with an unknown status, naming the path not the value', () => {
    let err: unknown;
    try {
      parseCamt(doc(PAYMENT.replace('<CdtDbtInd>DBIT</CdtDbtInd>', '')));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).path).toBe('Stmt[1]/Ntry[1]/CdtDbtInd');
    expect((err as ParseError).message).not.toContain('575');
    expect(() => parseCamt(doc(PAYMENT.replace('<Cd>BOOK</Cd>', '<Cd>XXXX</Cd>')))).toThrow(expect.objectContaining({ code: 'BAD_CODE' }));
  });

  it('refuses malformed XML with a ParseError', () => {
    expect(() => parseCamt(doc(PAYMENT).slice(0, 400))).toThrow(ParseError);
    expect(() => parseCamt('')).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
  });
});
