import fc from 'fast-check';
import { parse as parseSync } from 'csv-parse/sync';
import { Readable } from 'node:stream';
import { ParseError } from '../errors';
import { CARD_CSV_OPTIONS, csvError, csvRecordBatches } from './csv-records';

/** The oracle: csv-parse over the whole text, as the card parser used it before the fast path. */
function oracle(text: string): { records: string[][]; lines: number[] } | { error: number | undefined } {
  try {
    const out = parseSync(text, { ...CARD_CSV_OPTIONS, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return { records: out.map((r) => r.record), lines: out.map((r) => r.info.lines) };
  } catch (e) {
    return { error: csvError(e).line };
  }
}

async function fast(chunks: (string | Buffer)[]): Promise<{ records: string[][]; lines: number[] } | { error: number | undefined }> {
  const records: string[][] = [];
  const lines: number[] = [];
  try {
    for await (const b of csvRecordBatches(Readable.from(chunks))) {
      records.push(...b.records);
      lines.push(...b.lines);
    }
    return { records, lines };
  } catch (e) {
    if (!(e instanceof ParseError) || e.code !== 'BAD_RECORD') throw e;
    return { error: e.line };
  }
}

/** Splits a text's UTF-8 bytes at the given points (so multi-byte characters can be cut). */
function byteChunks(text: string, cuts: number[]): Buffer[] {
  const buf = Buffer.from(text, 'utf8');
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, buf.length]) {
    if (c > prev) out.push(buf.subarray(prev, c));
    prev = Math.max(prev, c);
  }
  return out;
}

const TOKENS = ['a', 'b', 'x1', ',', ',', '\n', '\n', '\r\n', '\r', '"', ' ', '\uFEFF', 'é', '€'];
const csvText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(''));
/** Mostly well-formed files: a header, rows of the same width, now and then a quoted field or a stray character. */
const csvFile = fc
  .record({
    width: fc.integer({ min: 1, max: 4 }),
    rows: fc.array(fc.array(fc.constantFrom('', 'v', 'w 1', '"q"', '"q,""x"""', '"multi\nline"', 'é€'), { minLength: 1, maxLength: 5 }), { maxLength: 12 }),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    tail: fc.boolean(),
    blank: fc.nat({ max: 3 }),
  })
  .map(({ width, rows, eol, bom, tail, blank }) => {
    const header = Array.from({ length: width }, (_, i) => `h${i}`).join(',');
    const body = rows.map((r, i) => (i % 5 === 4 ? r : Array.from({ length: width }, (_, j) => r[j % r.length]))).map((r) => r.join(','));
    return (bom ? '\uFEFF' : '') + eol.repeat(blank) + [header, ...body].join(eol) + (tail ? eol : '');
  });

describe('csvRecordBatches: the same records, line numbers and errors as csv-parse', () => {
  it('on arbitrary character soup, in arbitrary byte chunks', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, fc.array(fc.nat(), { maxLength: 5 }), async (text, cuts) => {
        expect(await fast(byteChunks(text, cuts))).toEqual(oracle(text));
      }),
      { numRuns: 600 },
    );
  });

  it('on mostly well-formed files (quotes switch to csv-parse mid-file), in arbitrary chunks', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, fc.array(fc.nat(), { maxLength: 6 }), async (text, cuts) => {
        expect(await fast(byteChunks(text, cuts))).toEqual(oracle(text));
      }),
      { numRuns: 600 },
    );
  });

  it('hand cases', async () => {
    // A quoted comma on line 4 after plain rows: the record keeps its comma and its line number.
    expect(await fast(['h1,h2\n1,2\n\n"a,b",3\n4,5\n'])).toEqual({ records: [['h1', 'h2'], ['1', '2'], ['a,b', '3'], ['4', '5']], lines: [1, 2, 4, 5] });
    // A short row on line 3 of a CRLF file.
    expect(await fast(['h1,h2\r\n1,2\r\n3\r\n'])).toEqual({ error: 3 });
    // A line ending that differs from the first line's is data for csv-parse (here: a field with a newline), so the count is wrong.
    expect(await fast(['h1,h2\r\n1,2\n3,4\r\n'])).toEqual({ error: 3 });
    // Unclosed quote.
    expect((await fast(['h1,h2\n1,"2\n'])) as { error: number }).toHaveProperty('error');
    // BOM and empty file.
    expect(await fast([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf, 0x61, 0x0a])])).toEqual({ records: [['a']], lines: [1] });
    expect(await fast([])).toEqual({ records: [], lines: [] });
  });

  it('passes an error of the stream itself on unchanged (a read failure is not a bad file)', async () => {
    async function* broken() {
      yield 'h1,h2\n1,2\n';
      throw new Error('disk gone');
    }
    const run = async () => {
      for await (const b of csvRecordBatches(Readable.from(broken()))) void b;
    };
    await expect(run()).rejects.toThrow('disk gone');
    async function* brokenQuoted() {
      yield 'h1,h2\n"1",2\n';
      throw new Error('disk gone');
    }
    const run2 = async () => {
      for await (const b of csvRecordBatches(Readable.from(brokenQuoted()))) void b;
    };
    await expect(run2()).rejects.toThrow('disk gone');
  });
});
