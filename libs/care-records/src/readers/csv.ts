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
import { FileRejected, guardEntry, RATIO_FLOOR_BYTES as RATIO_FLOOR, resolveLimits, type InflateBudget, type ReaderLimits } from './limits';
import { RawDirectPayment, RawOrphan, RawPayee, RawPerson, RawRecord } from './raw';

export interface CsvReadOptions {
  mapping?: MosaicMapping;
  /** Zip and field limits (defaults: DEFAULT_READER_LIMITS). */
  limits?: Partial<ReaderLimits>;
  /** Aborts the read (the intake's per-file time-out). */
  signal?: AbortSignal;
}

/** No contract file has more columns than this: bounds a CSV record while it streams. */
const MAX_COLUMNS = 32;

/** A set of named files (folder or zip). */
interface FileSet {
  has(name: string): boolean;
  open(name: string): Promise<Readable>;
  close(): void;
}

function folderFiles(dir: string, limits: ReaderLimits, signal?: AbortSignal): FileSet {
  const names = new Set(fs.readdirSync(dir));
  const budget: InflateBudget = { used: 0 };
  const unlimited = { ...limits, zipMaxInflatedBytes: Number.POSITIVE_INFINITY };
  return {
    has: (n) => names.has(n),
    open: async (n) => fs.createReadStream(path.join(dir, n)).pipe(guardEntry(n, Number.MAX_SAFE_INTEGER, budget, unlimited, signal)),
    close: () => undefined,
  };
}

// yauzl refuses these entry names itself (zip slip, absolute paths, bad characters).
const ENTRY_NAME_ERRORS = /^(invalid relative path|absolute path|invalid characters in fileName)/;

/** A yauzl failure as a rejection of the file (the zip is a private temporary copy: any error
 * that is not a system error is the content's fault). Never quotes the entry name. */
function zipError(e: unknown): unknown {
  if (e instanceof FileRejected) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E(?!RR_)[A-Z]/.test(code)) return e; // disk, memory...
  const message = e instanceof Error ? e.message : '';
  if (ENTRY_NAME_ERRORS.test(message)) return new FileRejected('ZIP_ENTRY_NAME', 'zip holds an entry whose name is a path outside the zip or holds bad characters');
  return new FileRejected('ZIP_UNREADABLE', 'not a readable zip file (truncated, corrupt, encrypted or unsupported)');
}

async function zipFiles(file: string, limits: ReaderLimits, signal?: AbortSignal): Promise<FileSet> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (e, z) => (e ? rej(zipError(e)) : res(z))),
  );
  try {
    if (zip.entryCount > limits.zipMaxEntries) {
      throw new FileRejected('ZIP_TOO_MANY_ENTRIES', `zip holds ${zip.entryCount} entries, more than ${limits.zipMaxEntries}`);
    }
    const entries = new Map<string, yauzl.Entry>();
    let seen = 0;
    let declared = 0;
    await new Promise<void>((res, rej) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (++seen > limits.zipMaxEntries) {
          return rej(new FileRejected('ZIP_TOO_MANY_ENTRIES', `zip holds more than ${limits.zipMaxEntries} entries`));
        }
        const base = entry.fileName.split('/').pop() ?? '';
        if (!entry.fileName.endsWith('/') && !entry.fileName.startsWith('__MACOSX/') && base.endsWith('.csv')) {
          if (entries.has(base)) return rej(new MosaicParseError(`zip holds ${base} more than once`));
          // What the entry says of itself is checked first; the inflated bytes are counted later.
          declared += entry.uncompressedSize;
          if (declared > limits.zipMaxInflatedBytes) {
            return rej(new FileRejected('ZIP_INFLATED_TOO_LARGE', `zip declares more than ${limits.zipMaxInflatedBytes} inflated bytes`));
          }
          if (entry.uncompressedSize > RATIO_FLOOR && entry.uncompressedSize > limits.zipMaxRatio * Math.max(entry.compressedSize, 1)) {
            return rej(new FileRejected('ZIP_COMPRESSION_RATIO', `a zip entry declares more than ${limits.zipMaxRatio} times its compressed size`));
          }
          entries.set(base, entry);
        }
        zip.readEntry();
      });
      zip.on('end', () => res());
      zip.on('error', (e) => rej(zipError(e)));
      zip.readEntry();
    });
    const budget: InflateBudget = { used: 0 };
    return {
      has: (n) => entries.has(n),
      open: (n) =>
        new Promise((res, rej) =>
          zip.openReadStream(entries.get(n)!, (e, s) => {
            if (e) return rej(zipError(e));
            const guard = guardEntry(n, entries.get(n)!.compressedSize, budget, limits, signal);
            s.on('error', (err) => guard.destroy(zipError(err) as Error));
            res(s.pipe(guard));
          }),
        ),
      close: () => zip.close(),
    };
  } catch (e) {
    zip.close();
    throw e;
  }
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
  maxFieldChars: number;
}

async function openCsv(
  set: FileSet,
  file: CsvFileName,
  mapping: MosaicMapping | undefined,
  issues: ValidationError[],
  maxFieldChars: number,
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
  const source = await set.open(fileName);
  const parser = source.pipe(
    parse({ bom: true, cast: false, skip_empty_lines: true, max_record_size: maxFieldChars * MAX_COLUMNS }),
  );
  // pipe() does not forward errors: a failing entry (a limit, a corrupt deflate stream) must end
  // the parse, not leave it waiting for bytes that never come.
  source.on('error', (e) => parser.destroy(e));
  const rows = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const line = () => parser.info.lines;
  const header = await nextRow({ file, fileName, names, columns: [], rows, line, maxFieldChars });
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
  return { file, fileName, names, columns, rows, line, maxFieldChars };
}

async function nextRow(csv: OpenCsv): Promise<string[] | null> {
  let r: IteratorResult<string[]>;
  try {
    r = await csv.rows.next();
  } catch (e) {
    // A rejection from the zip guard, the read's abort (time-out), a disk error: as they are.
    if (!(e instanceof CsvError)) throw e;
    // csv-parse messages can quote field values: report only the code and line.
    if (e.code === 'CSV_MAX_RECORD_SIZE') {
      throw new FileRejected('FIELD_TOO_LONG', `CSV ${csv.fileName} near line ${csv.line()}: a row longer than ${csv.maxFieldChars * MAX_COLUMNS} characters`);
    }
    throw new MosaicParseError(`CSV ${csv.fileName} not parseable near line ${csv.line()} (${e.code})`);
  }
  if (r.done) return null;
  for (let i = 0; i < r.value.length; i++) {
    if (r.value[i].length > csv.maxFieldChars) {
      throw new FileRejected('FIELD_TOO_LONG', `CSV ${csv.fileName} line ${csv.line()} column ${i + 1}: longer than ${csv.maxFieldChars} characters`);
    }
  }
  return r.value;
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
  const limits = resolveLimits(options.limits);
  const files0 = fs.statSync(source).isDirectory()
    ? folderFiles(source, limits, options.signal)
    : await zipFiles(source, limits, options.signal);
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
    for (const f of CSV_FILES) files[f] = await openCsv(set, f, options.mapping, issues, limits.csvMaxFieldChars);
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
