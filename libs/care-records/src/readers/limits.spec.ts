/**
 * Reader limits on hostile care-record files: every one is a whole-file rejection with its own
 * rule (FileRejected), found while the bytes stream, never an unclassified error.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { writeExtractCsv } from '../sample/writers';
import { BASE_XML } from '../validation/testing/base-extract';
import { ParsedExtract, readMosaicCsvAll, readMosaicXmlAll } from './extract';
import { FileRejected, guardEntry, type ReaderLimits, DEFAULT_READER_LIMITS } from './limits';
import { readMosaicXml } from './xml';
import { makeZip } from './testing/make-zip';

let tmp: string;
let base: ParsedExtract;
let csvFiles: { name: string; data: Buffer }[];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-limits-'));
  base = await readMosaicXmlAll(BASE_XML);
  const dir = path.join(tmp, 'csv');
  await writeExtractCsv(
    { header: base.header!, persons: () => base.persons, payees: () => base.payees, directPayments: () => base.directPayments, trailer: base.trailer! },
    dir,
  );
  csvFiles = fs.readdirSync(dir).map((name) => ({ name, data: fs.readFileSync(path.join(dir, name)) }));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function zipFile(entries: Parameters<typeof makeZip>[0]): string {
  const p = path.join(tmp, `z${n++}.zip`);
  fs.writeFileSync(p, makeZip(entries));
  return p;
}

async function ruleOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FileRejected) return e.rule;
    throw e;
  }
  throw new Error('expected a FileRejected');
}

describe('zip limits', () => {
  it('reads the honest zip (deflated entries)', async () => {
    const r = await readMosaicCsvAll(zipFile(csvFiles.map((f) => ({ ...f, deflate: true }))));
    expect(r.ok).toBe(true);
  });

  it('refuses an entry named ../../x.csv (zip slip) and an absolute one', async () => {
    expect(await ruleOf(readMosaicCsvAll(zipFile([...csvFiles, { name: '../../x.csv', data: Buffer.from('a\n') }])))).toBe('ZIP_ENTRY_NAME');
    expect(await ruleOf(readMosaicCsvAll(zipFile([{ name: '/etc/x.csv', data: Buffer.from('a\n') }, ...csvFiles])))).toBe('ZIP_ENTRY_NAME');
  });

  it('refuses too many entries before reading them', async () => {
    const many = Array.from({ length: 70 }, (_, i) => ({ name: `junk${i}.txt`, data: Buffer.from('x') }));
    expect(await ruleOf(readMosaicCsvAll(zipFile([...csvFiles, ...many])))).toBe('ZIP_TOO_MANY_ENTRIES');
  });

  it('refuses an entry that declares a bomb ratio, and a zip whose entries declare too much in all', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const bomb = csvFiles.map((f) => (f.name === 'rates.csv' ? { name: f.name, data: zeros, deflate: true } : f));
    expect(await ruleOf(readMosaicCsvAll(zipFile(bomb)))).toBe('ZIP_COMPRESSION_RATIO');
    const limits: Partial<ReaderLimits> = { zipMaxInflatedBytes: 1000 };
    expect(await ruleOf(readMosaicCsvAll(zipFile(csvFiles), { limits }))).toBe('ZIP_INFLATED_TOO_LARGE');
  });

  it('stops an entry that lies about its size while it inflates', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const liar = csvFiles.map((f) => (f.name === 'rates.csv' ? { name: f.name, data: zeros, deflate: true, declaredSize: 1000 } : f));
    expect(await ruleOf(readMosaicCsvAll(zipFile(liar)))).toBe('ZIP_UNREADABLE');
  });

  it('counts inflated bytes as they come (ratio and total), and fails on bytes that are not UTF-8', async () => {
    const run = async (chunks: Buffer[], compressed: number, limits: ReaderLimits) => {
      const g = guardEntry('rates.csv', compressed, { used: 0 }, limits);
      let seen = 0;
      try {
        for await (const c of Readable.from(chunks).pipe(g)) seen += (c as Buffer).length;
      } catch (e) {
        return { seen, rule: (e as FileRejected).rule };
      }
      return { seen, rule: null };
    };
    const mib = Buffer.alloc(1024 * 1024, 0x41);
    const ratio = await run(Array(100).fill(mib), 1000, DEFAULT_READER_LIMITS);
    expect(ratio.rule).toBe('ZIP_COMPRESSION_RATIO');
    expect(ratio.seen).toBeLessThan(2 * 1024 * 1024); // stopped at the first chunk over the limit
    const total = await run(Array(100).fill(mib), 1e9, { ...DEFAULT_READER_LIMITS, zipMaxInflatedBytes: 3 * 1024 * 1024 });
    expect(total.rule).toBe('ZIP_INFLATED_TOO_LARGE');
    expect(total.seen).toBe(3 * 1024 * 1024);
    expect((await run([Buffer.from([0x41, 0xff, 0x41])], 1e9, DEFAULT_READER_LIMITS)).rule).toBe('INVALID_ENCODING');
  });

  it('refuses a corrupt or truncated zip as the file fault', async () => {
    const good = makeZip(csvFiles.map((f) => ({ ...f, deflate: true })));
    const p = path.join(tmp, 'trunc.zip');
    fs.writeFileSync(p, good.subarray(0, good.length - 30));
    expect(await ruleOf(readMosaicCsvAll(p))).toBe('ZIP_UNREADABLE');
  });
});

describe('an aborted read (the intake time-out)', () => {
  it('ends a CSV or XML read with the abort reason, never a rejection of the file', async () => {
    const reason = new Error('time-out');
    const ac = new AbortController();
    ac.abort(reason);
    await expect(readMosaicCsvAll(zipFile(csvFiles), { signal: ac.signal })).rejects.toBe(reason);
    await expect(readMosaicXmlAll(BASE_XML, { signal: ac.signal })).rejects.toBe(reason);
  });
});

describe('CSV and XML field limits', () => {
  it('refuses a CSV field longer than the limit, and a row that never ends', async () => {
    const long = csvFiles.map((f) => (f.name === 'persons.csv' ? { ...f, data: Buffer.from(f.data.toString().replace('\r\n', `\r\n${'x'.repeat(5000)}`)) } : f));
    expect(await ruleOf(readMosaicCsvAll(zipFile(long)))).toBe('FIELD_TOO_LONG');
    const open = csvFiles.map((f) => (f.name === 'persons.csv' ? { ...f, data: Buffer.concat([f.data, Buffer.from('"'), Buffer.alloc(200_000, 0x61)]) } : f));
    expect(await ruleOf(readMosaicCsvAll(zipFile(open)))).toBe('FIELD_TOO_LONG');
  });

  it('refuses XML nested too deep, a long attribute, and a long run of text, while streaming', async () => {
    const deep = BASE_XML.replace('<Person ', '<Person><Person ');
    await expect(readMosaicXmlAll(deep)).rejects.toThrow(); // the grammar refuses it already
    expect(await ruleOf(readMosaicXmlAll(BASE_XML, { limits: { xmlMaxDepth: 2 } }))).toBe('XML_TOO_DEEP');
    expect(await ruleOf(readMosaicXmlAll(BASE_XML.replace('id="P2"', `id="${'P'.repeat(5000)}"`)))).toBe('FIELD_TOO_LONG');
    // A gigabyte of spaces would be buffered by the parser: the run is cut while it streams.
    let fed = 0;
    async function* spaces() {
      yield Buffer.from(BASE_XML.slice(0, BASE_XML.indexOf('<Person')));
      for (let i = 0; i < 10_000; i++) {
        fed++;
        yield Buffer.alloc(64 * 1024, 0x20);
      }
    }
    const collect = async () => {
      for await (const r of readMosaicXml(spaces())) void r;
    };
    expect(await ruleOf(collect())).toBe('FIELD_TOO_LONG');
    expect(fed).toBeLessThan(5);
    expect(await ruleOf(readMosaicXmlAll(Buffer.from([0x3c, 0xff, 0xfe])))).toBe('INVALID_ENCODING');
  });
});
