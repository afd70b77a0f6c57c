/**
 * Reader for the CSV encoding: a folder, or a zip of one, holding the nine contract files.
 *
 * persons.csv, payees.csv and direct_payments.csv are streamed; the five child files (rates,
 * contributions, suspensions, one_offs, splits) are loaded first and grouped by dp_id, so
 * memory grows with the number of child rows (about 100 bytes each), not with the whole file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import * as yauzl from 'yauzl';
import { MosaicParseError, ValidationError } from '../validation/errors';
import { CSV_COLUMNS, CSV_FILES, CsvFileName, MosaicMapping, resolveNames, ResolvedNames } from './mapping';
import { RawDirectPayment, RawOrphan, RawPayee, RawPerson, RawRecord } from './raw';

export interface CsvReadOptions {
  mapping?: MosaicMapping;
}

/** A set of named files (folder or zip). */
interface FileSet {
  has(name: string): boolean;
  open(name: string): Promise<Readable>;
  close(): void;
}

function folderFiles(dir: string): FileSet {
  const names = new Set(fs.readdirSync(dir));
  return {
    has: (n) => names.has(n),
    open: async (n) => fs.createReadStream(path.join(dir, n)),
    close: () => undefined,
  };
}

async function zipFiles(file: string): Promise<FileSet> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (e, z) => (e ? rej(e) : res(z))),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((res, rej) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      const base = entry.fileName.split('/').pop() ?? '';
      if (!entry.fileName.endsWith('/') && !entry.fileName.startsWith('__MACOSX/') && base.endsWith('.csv')) {
        if (entries.has(base)) return rej(new MosaicParseError(`zip holds ${base} more than once`));
        entries.set(base, entry);
      }
      zip.readEntry();
    });
    zip.on('end', () => res());
    zip.on('error', rej);
    zip.readEntry();
  });
  return {
    has: (n) => entries.has(n),
    open: (n) =>
      new Promise((res, rej) => zip.openReadStream(entries.get(n)!, (e, s) => (e ? rej(e) : res(s)))),
    close: () => zip.close(),
  };
}

type Row = Record<string, string>;

interface OpenCsv {
  file: CsvFileName;
  fileName: string;
  names: ResolvedNames;
  /** Column index -> raw field name (null = ignored column). */
  columns: (string | null)[];
  rows: AsyncIterator<string[]>;
  line: () => number;
}

async function openCsv(
  set: FileSet,
  file: CsvFileName,
  mapping: MosaicMapping | undefined,
  issues: ValidationError[],
): Promise<OpenCsv | null> {
  const fileName = mapping?.csv?.files?.[file] ?? `${file}.csv`;
  if (!set.has(fileName)) {
    issues.push({ recordType: 'File', recordId: fileName, field: '', rule: 'missing-file' });
    return null;
  }
  const names = resolveNames(
    `csv ${file}`,
    CSV_COLUMNS[file],
    mapping?.csv?.columns?.[file],
    mapping?.csv?.ignoreColumns?.[file],
  );
  const parser = (await set.open(fileName)).pipe(parse({ bom: true, cast: false, skip_empty_lines: true }));
  const rows = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const line = () => parser.info.lines;
  const header = await nextRow({ file, fileName, names, columns: [], rows, line });
  const columns: (string | null)[] = [];
  const seen = new Set<string>();
  for (const col of header ?? []) {
    const field = names.fields.get(col);
    if (seen.has(col))
      issues.push({ recordType: 'File', recordId: fileName, field: col, rule: 'duplicate-column' });
    seen.add(col);
    if (field === undefined && !names.ignored.has(col)) {
      issues.push({ recordType: 'File', recordId: fileName, field: col, rule: 'unknown-column' });
    }
    columns.push(field ?? null);
  }
  for (const [source, contract] of names.contractName) {
    if (!seen.has(source))
      issues.push({ recordType: 'File', recordId: fileName, field: contract, rule: 'missing-column' });
  }
  return { file, fileName, names, columns, rows, line };
}

async function nextRow(csv: OpenCsv): Promise<string[] | null> {
  try {
    const r = await csv.rows.next();
    return r.done ? null : r.value;
  } catch (e) {
    // csv-parse messages can quote field values: report only the code and line.
    const code = e instanceof CsvError ? e.code : 'READ_ERROR';
    throw new MosaicParseError(`CSV ${csv.fileName} not parseable near line ${csv.line()} (${code})`);
  }
}

async function nextObject(csv: OpenCsv): Promise<Row | null> {
  const values = await nextRow(csv);
  if (values === null) return null;
  const row: Row = {};
  for (const field of Object.values(CSV_COLUMNS[csv.file])) row[field] = '';
  csv.columns.forEach((field, i) => {
    if (field !== null) row[field] = values[i] ?? '';
  });
  return row;
}

async function loadChildren(csv: OpenCsv): Promise<Map<string, Row[]>> {
  const byDp = new Map<string, Row[]>();
  for (let row = await nextObject(csv); row; row = await nextObject(csv)) {
    const list = byDp.get(row.dpId);
    if (list) list.push(row);
    else byDp.set(row.dpId, [row]);
  }
  return byDp;
}

const CHILD_FILES = {
  rates: ['Rate', 'rates'],
  contributions: ['Contribution', 'contributions'],
  suspensions: ['Suspension', 'suspensions'],
  one_offs: ['OneOff', 'oneOffs'],
  splits: ['Split', 'splits'],
} as const;

const strip = ({ dpId, ...rest }: Row) => (void dpId, rest);

/** Reads a CSV extract (folder path, or path of a .zip) into raw records. */
export async function* readMosaicCsv(
  source: string,
  options: CsvReadOptions = {},
): AsyncGenerator<RawRecord> {
  const files0 = fs.statSync(source).isDirectory() ? folderFiles(source) : await zipFiles(source);
  const opened: Readable[] = [];
  const set: FileSet = {
    ...files0,
    open: async (n) => {
      const st = await files0.open(n);
      opened.push(st);
      return st;
    },
  };
  try {
    const issues: ValidationError[] = [];
    const files = {} as Record<CsvFileName, OpenCsv | null>;
    for (const f of CSV_FILES) files[f] = await openCsv(set, f, options.mapping, issues);
    if (issues.length)
      throw new MosaicParseError('CSV extract files or header columns do not match the contract', issues);
    const open = files as Record<CsvFileName, OpenCsv>;

    const trailerRows: Row[] = [];
    for (let r = await nextObject(open.trailer); r; r = await nextObject(open.trailer)) trailerRows.push(r);
    if (trailerRows.length !== 1) {
      throw new MosaicParseError('trailer.csv must hold exactly one row', [
        { recordType: 'File', recordId: open.trailer.fileName, field: '', rule: 'single-row' },
      ]);
    }
    const t = trailerRows[0];
    yield {
      type: 'header',
      extractId: t.extractId,
      council: t.council,
      generatedAt: t.generatedAt,
      kind: t.kind,
    };

    const children = {} as Record<keyof typeof CHILD_FILES, Map<string, Row[]>>;
    for (const f of Object.keys(CHILD_FILES) as (keyof typeof CHILD_FILES)[])
      children[f] = await loadChildren(open[f]);

    for (let r = await nextObject(open.persons); r; r = await nextObject(open.persons)) {
      yield { type: 'person', ...r } as RawPerson;
    }
    for (let r = await nextObject(open.payees); r; r = await nextObject(open.payees)) {
      yield { type: 'payee', ...r } as RawPayee;
    }
    for (let r = await nextObject(open.direct_payments); r; r = await nextObject(open.direct_payments)) {
      const dp = {
        type: 'directPayment',
        ...r,
        rates: [],
        contributions: [],
        suspensions: [],
        oneOffs: [],
        splits: [],
      } as unknown as RawDirectPayment;
      for (const f of Object.keys(CHILD_FILES) as (keyof typeof CHILD_FILES)[]) {
        const rows = children[f].get(dp.id);
        if (rows) {
          (dp[CHILD_FILES[f][1]] as unknown[]) = rows.map(strip);
          children[f].delete(dp.id);
        }
      }
      yield dp;
    }
    for (const f of Object.keys(CHILD_FILES) as (keyof typeof CHILD_FILES)[]) {
      for (const [dpId, rows] of children[f]) {
        for (let index = 0; index < rows.length; index++) {
          yield { type: 'orphan', recordType: CHILD_FILES[f][0], dpId, index } satisfies RawOrphan;
        }
      }
    }
    yield {
      type: 'trailer',
      persons: t.persons,
      payees: t.payees,
      directPayments: t.directPayments,
      totalWeeklyGross: t.totalWeeklyGross,
    };
  } finally {
    for (const st of opened) st.destroy();
    files0.close();
  }
}
