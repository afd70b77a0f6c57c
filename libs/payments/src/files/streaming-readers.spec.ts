/**
 * The streaming readers against independent references:
 * - the fast XML tokenizer against saxes (a string input is always read by saxes), on our own
 *   files and on corrupted copies: same ReadResult, or the same error rule;
 * - the CSV record reader against csv-parse (the library the readers used before) on RFC 4180
 *   edge cases: same records, or both refuse;
 * - the byte-exact formatting helpers against @dpb/common's formatPence and an explicit escape.
 */
import fc from 'fast-check';
import { formatPence } from '@dpb/common';
import { parse } from 'csv-parse/sync';
import { sampleRun } from './__fixtures__/sample-run';
import { penceText } from './amounts';
import { forEachCsvRecord } from './csv';
import { FinanceFileError } from './errors';
import { readPain001, writePain001 } from './pain001';
import { readSapIdoc, writeSapIdoc } from './sap-idoc';
import { streamXml } from './xml-stream';

function outcome(read: () => unknown): unknown {
  try {
    return { ok: read() };
  } catch (e) {
    return { rule: e instanceof FinanceFileError ? e.rule : String(e) };
  }
}

function manyCredits(n: number) {
  const input = sampleRun();
  const template = input.credits[1];
  input.credits = Array.from({ length: n }, (_, i) => ({
    ...template, paymentRef: `R${i}`, endToEndId: `E-${i}`, payeeId: `P${i}`, accountName: i % 3 ? 'J Smith & Co' : "Zoë O'Neill",
    lines: template.lines.map((l) => ({ ...l, costCentre: i % 4 ? 'CC1' : 'CC<&>"' })),
  }));
  input.cardLoads = [];
  return input;
}

describe('fast XML tokenizer agrees with saxes', () => {
  const idoc = writeSapIdoc(manyCredits(300)).content;
  const pain = writePain001(manyCredits(300)).content;

  it('takes the fast path on our own files and gives the same result as saxes', () => {
    for (const [bytes, read] of [[idoc, readSapIdoc], [pain, readPain001]] as const) {
      const paths: string[] = [];
      streamXml(bytes, 'test', () => ({ open: () => undefined, close: () => undefined }), (p) => paths.push(p));
      expect(paths).toEqual(['plain']);
      expect(read(bytes)).toEqual(read(bytes.toString('utf8')));
    }
  });

  const corruptions: Array<[string, (s: string) => string]> = [
    ['mismatched close tag', (s) => s.replace('</ALLOC_NMBR>', '</ALLOC_NMBX>')],
    ['unknown entity', (s) => s.replace('&amp;', '&foo;')],
    ['numeric entity', (s) => s.replace('<CURRENCY>GBP', '<CURRENCY>G&#66;P')],
    ['comment', (s) => s.replace('<IDOC BEGIN="1">', '<IDOC BEGIN="1"><!-- note -->')],
    ['CDATA', (s) => s.replace('<CURRENCY>GBP', '<CURRENCY><![CDATA[GBP]]>')],
    ['CRLF line ends', (s) => s.replace(/\n/g, '\r\n')],
    ['second root', (s) => `${s}<X/>`],
    ['truncated', (s) => s.slice(0, s.length - 40)],
    ['duplicate attribute', (s) => s.replace('<IDOC BEGIN="1">', '<IDOC BEGIN="1" BEGIN="2">')],
    ['prefixed names', (s) => s.replace(/<(\/?)ALLOC_NMBR>/g, '<$1x:ALLOC_NMBR>')],
    ['duplicate field', (s) => s.replace('<ALLOC_NMBR>R1</ALLOC_NMBR>', '<ALLOC_NMBR>R1</ALLOC_NMBR><ALLOC_NMBR>R9</ALLOC_NMBR>')],
    ['self-closing field', (s) => s.replace('<PMNT_BLOCK>A</PMNT_BLOCK>', '<PMNT_BLOCK/>')],
    ['non-ASCII text', (s) => s.replace('<CURRENCY>GBP', '<CURRENCY>GBP£')],
    ['text outside the root', (s) => s.replace('<ACC_DOCUMENT03>', 'x<ACC_DOCUMENT03>')],
    ['bad amount', (s) => s.replace('<AMT_DOCCUR>-490.00', '<AMT_DOCCUR>-490.001')],
  ];
  const blocked = writeSapIdoc(manyCredits(3), { paymentBlock: 'A' }).content.toString('utf8');

  it.each(corruptions)('%s: same verdict from both tokenizers', (_name, corrupt) => {
    const text = corrupt(blocked);
    expect(text).not.toBe(blocked);
    expect(outcome(() => readSapIdoc(Buffer.from(text, 'utf8')))).toEqual(outcome(() => readSapIdoc(text)));
  });

  it('pain.001 corruptions: same verdict from both tokenizers', () => {
    const base = writePain001(manyCredits(3)).content.toString('utf8');
    const variants = [
      base.replace('<Ustrd>R1</Ustrd>', '<Ustrd>R1</Ustrd><Ustrd>R8</Ustrd>'),
      base.replace('<RmtInf><Ustrd>R2</Ustrd></RmtInf>', '<RmtInf/><RmtInf><Ustrd>R2</Ustrd></RmtInf>'),
      base.replace('Ccy="GBP">490.00', 'Ccy="EUR">490.00'),
      base.replace('<InstdAmt Ccy="GBP">490.00</InstdAmt>', '<EqvtAmt><Amt Ccy="GBP">490.00</Amt></EqvtAmt>'),
      base.replace('<NbOfTxs>3</NbOfTxs>', '<NbOfTxs>x</NbOfTxs>'),
      base.replace('<CtrlSum>1470.00</CtrlSum>', '<CtrlSum>1470.001</CtrlSum>'),
      base.replace("<Document xmlns", "<Document xmlns:p='a' xmlns"),
    ];
    for (const text of variants) {
      expect(text).not.toBe(base);
      expect(outcome(() => readPain001(Buffer.from(text, 'utf8')))).toEqual(outcome(() => readPain001(text)));
    }
  });
});

describe('CSV record reader agrees with csv-parse', () => {
  const reference = (text: string) =>
    outcome(() => parse(text, { relax_column_count: true, bom: true, cast: false, skip_empty_lines: true }) as string[][]);
  const ours = (text: string) =>
    outcome(() => {
      const rows: string[][] = [];
      forEachCsvRecord(Buffer.from(text, 'utf8'), 'test', (r) => rows.push(r));
      return rows;
    });
  const ruleOnly = (o: unknown) => ((o as { ok?: unknown }).ok !== undefined ? o : { refused: true });

  it.each([
    'H,1\r\nD,"a,b","say ""hi""",\r\nT,1\r\n',
    '\uFEFFH,1\r\n\r\nD,x\r\n\r\n',
    'a,"multi\r\nline",c\r\nd\r\n',
    'a,b\nc,d\n',
    'a,b\rc,d',
    'a,"b"c\r\n',
    'a,b"c\r\n',
    'a,"unclosed\r\n',
    ',\r\n,,\r\n',
    ' a , b \r\n',
    'only',
    '',
  ])('%j', (text) => {
    expect(ruleOnly(ours(text))).toEqual(ruleOnly(reference(text)));
  });

  it('random CSV-ish text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', ',', '"', '\r\n', ' ', 'é'), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(ruleOnly(ours(text))).toEqual(ruleOnly(reference(text)));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('exact formatting helpers', () => {
  it('penceText is formatPence', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (p) => expect(penceText(p)).toBe(formatPence(p))), { numRuns: 500 });
    expect([0n, 5n, -5n, 100n, -3000n, 57572n].map(penceText)).toEqual(['0.00', '0.05', '-0.05', '1.00', '-30.00', '575.72']);
  });
});
