import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeExtractCsv } from '../sample/writers';
import { MosaicParseError } from '../validation/errors';
import { BASE_XML } from '../validation/testing/base-extract';
import { ParsedExtract, readMosaicCsvAll, readMosaicXmlAll } from './extract';
import { makeZip } from './testing/make-zip';

let tmp: string;
let base: ParsedExtract;
let n = 0;

/** Writes BASE_XML's content as a CSV folder (via the canonical model) and returns its path. */
async function baseCsv(): Promise<string> {
  const dir = path.join(tmp, `csv${n++}`);
  await writeExtractCsv(
    {
      header: base.header!,
      persons: () => base.persons,
      payees: () => base.payees,
      directPayments: () => base.directPayments,
      trailer: base.trailer!,
    },
    dir,
  );
  return dir;
}
const file = (dir: string, name: string) => path.join(dir, name);
const read = (dir: string, name: string) => fs.readFileSync(file(dir, name), 'utf8');
const write = (dir: string, name: string, text: string) => fs.writeFileSync(file(dir, name), text);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-csv-'));
  base = await readMosaicXmlAll(BASE_XML);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function issuesOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof MosaicParseError) return e.issues;
    throw e;
  }
  throw new Error('expected a MosaicParseError');
}

describe('CSV reader', () => {
  it('gives the same canonical records as the XML encoding (folder, with BOM)', async () => {
    const dir = await baseCsv();
    write(dir, 'persons.csv', '\ufeff' + read(dir, 'persons.csv'));
    expect(await readMosaicCsvAll(dir)).toEqual(base);
  });

  it('reads a zip of the folder (files inside a sub-folder)', async () => {
    const dir = await baseCsv();
    const zip = path.join(tmp, 'extract.zip');
    fs.writeFileSync(
      zip,
      makeZip(
        fs.readdirSync(dir).map((f) => ({ name: `HCC-20261123/${f}`, data: fs.readFileSync(file(dir, f)) })),
      ),
    );
    expect(await readMosaicCsvAll(zip)).toEqual(base);
  });

  it('accepts columns in any order', async () => {
    const dir = await baseCsv();
    const rows = read(dir, 'rates.csv')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    write(dir, 'rates.csv', rows.map((r) => [r[2], r[0], r[1]].join(',')).join('\r\n') + '\r\n');
    expect(await readMosaicCsvAll(dir)).toEqual(base);
  });

  it('rejects unknown and missing columns and missing files, all at once', async () => {
    const dir = await baseCsv();
    write(dir, 'persons.csv', read(dir, 'persons.csv').replace('postcode', 'post_code'));
    write(
      dir,
      'payees.csv',
      read(dir, 'payees.csv')
        .replace('card_account_ref\r\n', 'card_account_ref,colour\r\n')
        .replace(/\r\n(PY\d[^\r]*)/g, '\r\n$1,'),
    );
    fs.rmSync(file(dir, 'splits.csv'));
    expect(await issuesOf(readMosaicCsvAll(dir))).toEqual([
      { recordType: 'File', recordId: 'persons.csv', field: 'post_code', rule: 'unknown-column' },
      { recordType: 'File', recordId: 'persons.csv', field: 'postcode', rule: 'missing-column' },
      { recordType: 'File', recordId: 'payees.csv', field: 'colour', rule: 'unknown-column' },
      { recordType: 'File', recordId: 'splits.csv', field: '', rule: 'missing-file' },
    ]);
  });

  it('rejects a trailer.csv without exactly one row', async () => {
    const dir = await baseCsv();
    const t = read(dir, 'trailer.csv');
    write(dir, 'trailer.csv', t + t.split('\r\n')[1] + '\r\n');
    expect(await issuesOf(readMosaicCsvAll(dir))).toEqual([
      { recordType: 'File', recordId: 'trailer.csv', field: '', rule: 'single-row' },
    ]);
  });

  it('reports a child row whose dp_id names no DP', async () => {
    const dir = await baseCsv();
    write(dir, 'rates.csv', read(dir, 'rates.csv') + 'DP9,2026-01-05,1.00\r\n');
    const r = await readMosaicCsvAll(dir);
    expect(r.errors).toEqual([
      { recordType: 'Rate', recordId: 'DP9', field: 'dpId', rule: 'reference-exists', index: 0 },
    ]);
  });

  it('reports a malformed CSV without quoting its values', async () => {
    const dir = await baseCsv();
    write(dir, 'persons.csv', read(dir, 'persons.csv') + 'P3,"Secret"Name,N\r\n');
    await expect(readMosaicCsvAll(dir)).rejects.toThrow(/^(?!.*Secret).*persons\.csv/);
  });

  it('applies column/file renames and ignored columns from a mapping', async () => {
    const dir = await baseCsv();
    write(
      dir,
      'people.csv',
      read(dir, 'persons.csv')
        .replace('person_id,nhs_number', 'PERSON_REF,NHS_NO')
        .replace('postcode\r\n', 'postcode,ROW_NO\r\n')
        .replace(/(\r\nP\d[^\r]*)/g, '$1,7'),
    );
    fs.rmSync(file(dir, 'persons.csv'));
    const mapping = {
      csv: {
        files: { persons: 'people.csv' },
        columns: { persons: { person_id: 'PERSON_REF', nhs_number: 'NHS_NO' } },
        ignoreColumns: { persons: ['ROW_NO'] },
      },
    };
    expect(await readMosaicCsvAll(dir, { mapping })).toEqual(base);
    await expect(readMosaicCsvAll(dir)).rejects.toBeInstanceOf(MosaicParseError);
  });
});
