/**
 * pain.001: our output must validate against the ISO pain.001.001.03 XSD shipped in the
 * conformance corpus (read in place), and our reader must report the third-party samples'
 * NbOfTxs/CtrlSum as their expected.json says (including the Swiss musterfile's wrong NbOfTxs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { validateXML } from 'xmllint-wasm';
import { sampleRun } from './__fixtures__/sample-run';
import { readPain001, writePain001 } from './pain001';

const CONFORMANCE = path.resolve(__dirname, '../../../..', '..', 'shared', 'conformance', 'pain001');
const XSD = path.join(CONFORMANCE, 'salesking-sepa_king', 'pain.001.001.03.xsd');
const haveCorpus = fs.existsSync(CONFORMANCE);
if (!haveCorpus) console.warn(`pain.001 conformance tests skipped: ${CONFORMANCE} not found`);
const withCorpus = haveCorpus ? describe : describe.skip;

/** Decimal text to pence for the expectations (test-local, digit based). */
function pence(text: string): bigint {
  const [w, f = ''] = text.split('.');
  return BigInt(w) * 100n + BigInt((f + '00').slice(0, 2));
}

withCorpus('pain.001 against the XSD and third-party samples', () => {
  it('our sample-run output validates against pain.001.001.03.xsd', async () => {
    const file = writePain001(sampleRun());
    const result = await validateXML({
      xml: [{ fileName: 'ours.xml', contents: file.content.toString('utf8') }],
      schema: [fs.readFileSync(XSD, 'utf8')],
    });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the XSD check is real: a file with a bad amount is rejected', async () => {
    const bad = writePain001(sampleRun()).content.toString('utf8').replace('>575.72<', '>575.7x<');
    const result = await validateXML({ xml: [{ fileName: 'bad.xml', contents: bad }], schema: [fs.readFileSync(XSD, 'utf8')] });
    expect(result.valid).toBe(false);
  });

  type Derived = {
    groupHeader: { nbOfTxs: string; ctrlSum?: string; msgId: string };
    paymentInformation: Array<{ transactions: Array<{ endToEndId: string; amount?: string; equivalentAmount?: string }> }>;
    computed: { transactionCount: number; sumOfAmounts: string; nbOfTxsMatches: boolean; ctrlSumMatches: boolean | null };
  };
  const samples: Array<[string, string]> = [
    ['salesking-sepa_king', 'pain.001.001.03.xml'],
    ['php-sepa-xml', 'pain.001.001.09.xml'],
    ['moov-io-iso20022', 'musterfile_pain.001_Nov2020.xml'],
  ];

  it.each(samples)('reads %s/%s with the declared and computed controls of expected.json', (folder, file) => {
    const expected = JSON.parse(fs.readFileSync(path.join(CONFORMANCE, folder, 'expected.json'), 'utf8'))[file] as { derived: Derived };
    const d = expected.derived;
    const read = readPain001(fs.readFileSync(path.join(CONFORMANCE, folder, file)));
    expect(read.declared.records).toBe(Number(d.groupHeader.nbOfTxs));
    expect(read.declared.totalPence).toBe(d.groupHeader.ctrlSum === undefined ? undefined : pence(d.groupHeader.ctrlSum));
    expect(read.records).toBe(d.computed.transactionCount);
    expect(read.totalPence).toBe(pence(d.computed.sumOfAmounts));
    const txs = d.paymentInformation.flatMap((p) => p.transactions);
    expect(read.credits.map((c) => c.endToEndId)).toEqual(txs.map((t) => t.endToEndId));
    expect(read.credits.map((c) => c.amountPence)).toEqual(txs.map((t) => pence((t.amount ?? t.equivalentAmount) as string)));
    // A file whose NbOfTxs is wrong (the Swiss musterfile says 7 for 8) must be flagged.
    expect(read.problems.some((p) => p.includes('NbOfTxs'))).toBe(!d.computed.nbOfTxsMatches);
    if (d.computed.ctrlSumMatches === true) expect(read.problems.some((p) => p.includes('GrpHdr CtrlSum'))).toBe(false);
  });

  it('flags the musterfile and passes the two consistent samples', () => {
    const muster = readPain001(fs.readFileSync(path.join(CONFORMANCE, 'moov-io-iso20022', 'musterfile_pain.001_Nov2020.xml')));
    expect(muster.problems).toEqual(['GrpHdr NbOfTxs does not equal the transactions']);
    const sk = readPain001(fs.readFileSync(path.join(CONFORMANCE, 'salesking-sepa_king', 'pain.001.001.03.xml')));
    expect(sk.problems).toEqual([]);
  });
});

describe('pain.001 reader on our own output', () => {
  it('re-reads references, accounts and controls', () => {
    const read = readPain001(writePain001(sampleRun()).content);
    expect(read.problems).toEqual([]);
    expect(read.declared).toEqual({ records: 3, totalPence: 132572n });
    expect(read.credits[0]).toMatchObject({
      ref: 'HCC0001Q7', endToEndId: 'HCC-20261209-1-HCC0001Q7', amountPence: 57572n,
      sortCode: '200415', accountNumber: '38290008', currency: 'GBP',
    });
  });

  it('flags a CtrlSum that does not match the transactions', () => {
    const xml = writePain001(sampleRun()).content.toString('utf8').replace('<CtrlSum>1325.72</CtrlSum>', '<CtrlSum>1325.73</CtrlSum>');
    expect(readPain001(xml).problems).toEqual(['GrpHdr CtrlSum does not equal the transactions']);
  });

  it('refuses a document that is not pain.001', () => {
    expect(() => readPain001('<Document><Other/></Document>')).toThrow('NOT_A_PAIN001');
    expect(() => readPain001('<Document><CstmrCdtTrfInitn>')).toThrow('XML_NOT_WELL_FORMED');
  });
});
