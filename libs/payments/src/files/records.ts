/**
 * Record definitions for the fixed-width and CSV finance files. Each record type is defined
 * once (its fields in order: position or column, kind, padding, allowed characters) and both
 * the writer (`formatFixed`, `writeCsv`) and the reader (`parseFixed`, `parseCsv`) use that
 * definition, so a layout cannot drift between them. Errors name the record type, the field
 * (with its positions or column) and the line number, never the value.
 *
 * Fixed-width kinds:
 * - `alpha`: left-justified, space-padded, truncated to the width (free text, e.g. names);
 * - `numeric`: digits only, right-justified and zero-filled; the writer refuses overflow;
 * - `amount`: pence as a bigint, zero-filled, never negative;
 * - `julian`: a civil date written in the Bacs Julian form ` YYDDD`;
 * - `constant`: a fixed text (label ids, reserved blanks, fixed codes), checked on reading.
 */
import { decimalToPence, integerPence, penceText } from './amounts';
import { formatPence, fromCompact, isCivilDate, parsePercentToBasisPoints } from '@dpb/common';
import { bacsJulian, compactDate, fromBacsJulian } from './dates';
import { forEachCsvRecord } from './csv';
import { FinanceFileError } from './errors';
import type { Out } from './render';

// ---------------------------------------------------------------- fixed width

export type FixedKind = 'alpha' | 'numeric' | 'amount' | 'julian' | 'constant';

export interface FixedFieldSpec {
  readonly name: string;
  /** 1-based first position, as layouts are documented. */
  readonly start: number;
  readonly length: number;
  readonly kind: FixedKind;
  /** The text of a `constant` field (exactly `length` characters). */
  readonly value?: string;
  /** Where the value comes from, for the docs. */
  readonly note?: string;
}

/** What a writer passes for a field, and what a reader gets back, by kind. */
type FixedWriteTypes = { alpha: string; numeric: string | number | bigint; amount: bigint; julian: string };
type FixedReadTypes = { alpha: string; numeric: string; amount: bigint; julian: string };

/** A record's values by field name (constants have none), typed by kind through `Types`. */
type ValuesOf<F extends readonly { name: string; kind: string }[], Types> = {
  [K in Exclude<F[number], { kind: 'constant' }> as K['name']]: Types[K['kind'] & keyof Types];
};
export type FixedWriteValues<F extends readonly FixedFieldSpec[]> = ValuesOf<F, FixedWriteTypes>;
export type FixedReadValues<F extends readonly FixedFieldSpec[]> = ValuesOf<F, FixedReadTypes>;

export interface FixedRecord<F extends readonly FixedFieldSpec[] = readonly FixedFieldSpec[]> {
  /** Record type as named in errors and docs (e.g. `VOL1`, `data record`). */
  readonly name: string;
  readonly width: number;
  readonly fields: F;
  /** Characters every record of this type is made of. */
  readonly charset: RegExp;
  /** Characters of `charset`, as documented. */
  readonly charsetText: string;
}

const DIGITS = /^\d+$/;

function where(f: FixedFieldSpec): string {
  const end = f.start + f.length - 1;
  return end === f.start ? `${f.name} (${f.start})` : `${f.name} (${f.start}-${end})`;
}

/** Defines a fixed-width record; checks that the fields tile the record exactly. */
export function fixedRecord<const F extends readonly FixedFieldSpec[]>(
  name: string,
  width: number,
  charset: { pattern: RegExp; text: string },
  fields: F,
): FixedRecord<F> {
  let next = 1;
  for (const f of fields) {
    if (f.start !== next) throw new Error(`${name}: field ${f.name} starts at ${f.start}, expected ${next}`);
    if (f.kind === 'constant' && f.value?.length !== f.length) throw new Error(`${name}: constant ${f.name} is not ${f.length} characters`);
    if (f.kind === 'julian' && f.length !== 6) throw new Error(`${name}: julian field ${f.name} is not 6 characters`);
    next += f.length;
  }
  if (next !== width + 1) throw new Error(`${name}: fields cover ${next - 1} of ${width} characters`);
  return { name, width, fields, charset: charset.pattern, charsetText: charset.text };
}

/** The same layout under another record id (EOF1 mirrors HDR1): the first field is the id. */
export function relabelled<F extends readonly FixedFieldSpec[]>(record: FixedRecord<F>, label: string): FixedRecord<F> {
  const [id, ...rest] = record.fields;
  const fields = [{ ...id, value: label }, ...rest] as unknown as F;
  return fixedRecord(label, record.width, { pattern: record.charset, text: record.charsetText }, fields);
}

/**
 * Each record type's formatter and parser are generated once from its definition, as plain
 * functions with the field names and positions written in (`v.amount`, `line.slice(35, 46)`):
 * a generic loop over the fields made the Std 18 and CSV writers a quarter slower and the
 * readers half again slower at 50,000 credits. Only identifiers checked by IDENT and
 * JSON-quoted constants from the definitions go into the generated code, never file content.
 */
const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;

function generate<T>(record: { name: string; fields: readonly { name: string }[] }, params: string, body: string, helpers: Record<string, unknown>): T {
  for (const f of record.fields) if (!IDENT.test(f.name)) throw new Error(`${record.name}: field name ${f.name} is not an identifier`);
  const names = Object.keys(helpers);
  const make = new Function(...names, `'use strict'; return function (${params}) {\n${body}\n};`) as (...h: unknown[]) => T;
  return make(...names.map((n) => helpers[n]));
}

type FixedFormat = (values: object) => string;
type FixedParse = (line: string, n: number, problems: string[]) => object | undefined;
const fixedCode = new WeakMap<FixedRecord, { format: FixedFormat; parse: FixedParse }>();

function compiledFixed(record: FixedRecord): { format: FixedFormat; parse: FixedParse } {
  let code = fixedCode.get(record);
  if (code) return code;
  code = compileFixed(record);
  fixedCode.set(record, code);
  return code;
}

function compileFixed(record: FixedRecord): { format: FixedFormat; parse: FixedParse } {
  const fields = record.fields;
  const context = (i: number) => `${record.name} field ${where(fields[i])}`;
  const helpers = {
    charset: record.charset,
    DIGITS,
    fromBacsJulian,
    alpha(value: string | undefined, i: number): string {
      if (value === undefined) throw new FinanceFileError('MISSING_FIELD', `${context(i)} has no value`);
      const length = fields[i].length;
      return value.length >= length ? value.slice(0, length) : value + ' '.repeat(length - value.length);
    },
    numeric(value: string | number | bigint | undefined, i: number): string {
      if (value === undefined) throw new FinanceFileError('MISSING_FIELD', `${context(i)} has no value`);
      const s = typeof value === 'string' ? value : value.toString();
      const length = fields[i].length;
      if (s.length === length && (typeof value !== 'string' ? value >= 0 : DIGITS.test(s))) return s;
      if (s.startsWith('-')) throw new FinanceFileError('NEGATIVE_NUMERIC_FIELD', `${context(i)} is negative`);
      if (!DIGITS.test(s)) throw new FinanceFileError('NON_NUMERIC_FIELD', `${context(i)} is not numeric`);
      if (s.length > length) throw new FinanceFileError('NUMERIC_FIELD_OVERFLOW', `${context(i)} exceeds ${length} digits`);
      return s.padStart(length, '0');
    },
    julian(value: string | undefined, i: number): string {
      if (value === undefined) throw new FinanceFileError('MISSING_FIELD', `${context(i)} has no value`);
      return bacsJulian(value, context(i));
    },
    charsetFault(out: string): never {
      const bad = fields.find((f) => !record.charset.test(out.slice(f.start - 1, f.start - 1 + f.length)));
      throw new FinanceFileError('FIELD_CHARSET', `${record.name} field ${bad ? where(bad) : '?'} has characters outside ${record.charsetText}`);
    },
    fault(problems: string[], n: number, i: number, what: string): false {
      problems.push(`record ${n}: ${context(i)} ${what}`);
      return false;
    },
  };
  const parts: string[] = [];
  const reads: string[] = [];
  const result: string[] = [];
  fields.forEach((f, i) => {
    const at = `line.slice(${f.start - 1}, ${f.start - 1 + f.length})`;
    const v = `v.${f.name}`;
    const x = `x${i}`;
    switch (f.kind) {
      case 'constant':
        parts.push(JSON.stringify(f.value));
        reads.push(`if (${at} !== ${JSON.stringify(f.value)}) ok = fault(problems, n, ${i}, 'is not as defined');`);
        return;
      case 'alpha':
        parts.push(`alpha(${v}, ${i})`);
        reads.push(`const ${x} = ${at}.trimEnd();`);
        break;
      case 'numeric':
        parts.push(`numeric(${v}, ${i})`);
        reads.push(`const ${x} = ${at};`, `if (!DIGITS.test(${x})) ok = fault(problems, n, ${i}, 'is not numeric');`);
        break;
      case 'amount':
        parts.push(`numeric(${v}, ${i})`);
        reads.push(`const t${i} = ${at};`, `const ${x} = DIGITS.test(t${i}) ? BigInt(t${i}) : undefined;`,
          `if (${x} === undefined) ok = fault(problems, n, ${i}, 'is not numeric');`);
        break;
      case 'julian':
        parts.push(`julian(${v}, ${i})`);
        reads.push(`const ${x} = fromBacsJulian(${at});`, `if (${x} === undefined) ok = fault(problems, n, ${i}, 'is not a Julian date ( YYDDD)');`);
        break;
    }
    result.push(`${f.name}: ${x}`);
  });
  return {
    format: generate<FixedFormat>(record, 'v', `const out = ${parts.join(' + ')};\nif (!charset.test(out)) charsetFault(out);\nreturn out;`, helpers),
    parse: generate<FixedParse>(record, 'line, n, problems', [
      `if (line.length !== ${record.width}) { problems.push(\`record \${n}: ${record.name} is not ${record.width} characters\`); return undefined; }`,
      'let ok = true;',
      ...reads,
      `return ok ? { ${result.join(', ')} } : undefined;`,
    ].join('\n'), helpers),
  };
}

/** Lays one record out from its values; refuses a value that does not fit its field. */
export function formatFixed<F extends readonly FixedFieldSpec[]>(record: FixedRecord<F>, values: FixedWriteValues<F>): string {
  return compiledFixed(record).format(values);
}

/**
 * Reads one record by its definition. Width and every field are checked (digits, Julian dates,
 * constants); each fault goes to `problems` as `record <n>: <type> field <name> (<positions>) ...`.
 * Returns the values, or undefined when the record has a fault. The character set is the
 * caller's to check (once per line, whatever the record type).
 */
export function parseFixed<F extends readonly FixedFieldSpec[]>(
  record: FixedRecord<F>,
  line: string,
  n: number,
  problems: string[],
): FixedReadValues<F> | undefined {
  return compiledFixed(record).parse(line, n, problems) as FixedReadValues<F> | undefined;
}

/** The record id of a line as `record` places it (its first field), without parsing the rest. */
export function recordIdOf(record: FixedRecord, line: string): string {
  const id = record.fields[0];
  return line.slice(id.start - 1, id.start - 1 + id.length);
}

// ---------------------------------------------------------------- CSV

/**
 * CSV kinds: `constant` (the record type letter), `text` (free text, quoted when needed; a
 * `pattern`, when given, is checked on writing and reading), `optionalText` (text, empty when
 * null), `count` (a whole number), `pence` (integer pence), `pounds` (pounds with two places,
 * `-0.05`), `percent` (basis points written as a percentage with two places, `50.00`), `flag`
 * (a boolean written `Y` / `N`), `date` (a civil date: written `YYYYMMDD` from `YYYY-MM-DD`, read
 * back checked and as written, `YYYYMMDD`: building the dashed form cost the SAP AP reader 15% at
 * 50,000 credits), `isoDate` (a civil date written and read as `YYYY-MM-DD`).
 *
 * The same definitions serve field-per-element formats (the AR IDoc's XML segments, the schedule
 * workbook's cells): `csvFieldTexts` gives a record's field texts, `parseCsv` reads them back.
 */
export type CsvKind = 'constant' | 'text' | 'optionalText' | 'count' | 'pence' | 'pounds' | 'percent' | 'flag' | 'date' | 'isoDate';

export interface CsvFieldSpec {
  readonly name: string;
  readonly kind: CsvKind;
  readonly value?: string;
  /** For `text`: what every value must match (checked on both sides). */
  readonly pattern?: RegExp;
  /** Where the value comes from, for the docs. */
  readonly note?: string;
}

/**
 * A CSV record's values by field name: what the writer takes and the reader gives back (a
 * `date` is written from `YYYY-MM-DD` and read back as `YYYYMMDD`).
 */
export type CsvValues<F extends readonly CsvFieldSpec[]> = ValuesOf<
  F,
  { text: string; optionalText: string | null; count: number; pence: bigint; pounds: bigint; percent: bigint; flag: boolean; date: string; isoDate: string }
>;

export interface CsvRecordType<F extends readonly CsvFieldSpec[] = readonly CsvFieldSpec[]> {
  readonly name: string;
  /** Columns in order: column 1 is `fields[0]`. */
  readonly fields: F;
}

export function csvRecordType<const F extends readonly CsvFieldSpec[]>(name: string, fields: F): CsvRecordType<F> {
  for (const f of fields) {
    if ((f.kind === 'constant') !== (f.value !== undefined)) throw new Error(`${name}: field ${f.name} has a value only if constant`);
    if (f.pattern && f.kind !== 'text') throw new Error(`${name}: field ${f.name} has a pattern but is not text`);
  }
  return { name, fields };
}

type CsvWrite = (out: Out, values: object) => void;
type CsvParse = (row: string[], n: number, problems: string[]) => object | undefined;
type CsvTexts = (values: object) => string[];
interface CsvCode { write: CsvWrite; parse: CsvParse; texts: CsvTexts }
const csvCode = new WeakMap<CsvRecordType, CsvCode>();

const COMPACT_DATE = /^\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/;

const isCalendarDate = (compact: string): boolean => fromCompact(compact) !== undefined;

/** A CSV record type's writer and parser, generated once from its definition (see `generate`). */
function compiledCsv(record: CsvRecordType): CsvCode {
  let code = csvCode.get(record);
  if (!code) {
    code = compileCsv(record);
    csvCode.set(record, code);
  }
  return code;
}

function compileCsv(record: CsvRecordType): CsvCode {
  const fields = record.fields;
  const patterns = fields.map((f) => f.pattern);
  const fault = (problems: string[], n: number, i: number, what: string): false => {
    problems.push(`record ${n}: ${record.name} field ${fields[i].name} (column ${i + 1}) ${what}`);
    return false;
  };
  const helpers = {
    penceText,
    // Basis points print with two places, as pence do as pounds (5000 -> `50.00`).
    percentText: formatPence,
    DIGITS,
    patterns,
    fault,
    checked(value: string, i: number): string {
      if (!patterns[i]?.test(value)) throw new FinanceFileError('INVALID_FIELD', `${record.name} field ${fields[i].name} (column ${i + 1}) is not valid`);
      return value;
    },
    iso(d: string, i: number): string {
      if (!isCivilDate(d)) throw new FinanceFileError('INVALID_FIELD', `${record.name} field ${fields[i].name} (column ${i + 1}) is not a date (YYYY-MM-DD)`);
      return d;
    },
    percent(text: string): bigint | undefined {
      try {
        return parsePercentToBasisPoints(text);
      } catch {
        return undefined;
      }
    },
    compact(d: string, i: number): string {
      return d.length === 10 && d[4] === '-' && d[7] === '-' ? d.slice(0, 4) + d.slice(5, 7) + d.slice(8, 10) : compactDate(d, `${record.name} ${fields[i].name}`);
    },
    amount(text: string, pounds: boolean, problems: string[], n: number, i: number): bigint | undefined {
      try {
        return pounds ? decimalToPence(text, fields[i].name) : integerPence(text, fields[i].name);
      } catch (e) {
        fault(problems, n, i, e instanceof FinanceFileError ? `is not an amount (${e.rule})` : 'is not an amount');
        return undefined;
      }
    },
    // Months 01-12 and days 01-31 by the pattern; only the 29th to 31st need the calendar.
    date(text: string): string | undefined {
      if (!COMPACT_DATE.test(text) || !(text.slice(6) < '29' || isCalendarDate(text))) return undefined;
      return text;
    },
    isoDate(text: string): string | undefined {
      return isCivilDate(text) ? text : undefined;
    },
  };
  const writes: string[] = [];
  let plain: string[] = [];
  const texts: string[] = [];
  const reads: string[] = [];
  const result: string[] = [];
  fields.forEach((f, i) => {
    if (i) plain.push('","');
    const v = `v.${f.name}`;
    const x = `x${i}`;
    const col = `row[${i}]`;
    /** Text to escape (written through `out.text`), else text written as it is. */
    const escaped = (expr: string) => {
      if (plain.length) writes.push(`out.raw(${plain.join(' + ')});`);
      plain = [];
      writes.push(`out.text(${expr});`);
      texts.push(expr);
    };
    const asIs = (expr: string) => {
      plain.push(expr);
      texts.push(expr);
    };
    switch (f.kind) {
      case 'constant':
        asIs(JSON.stringify(f.value));
        reads.push(`if (${col} !== ${JSON.stringify(f.value)}) ok = fault(problems, n, ${i}, 'is not as defined');`);
        return;
      case 'text':
        escaped(f.pattern ? `checked(${v}, ${i})` : v);
        reads.push(`const ${x} = ${col};`);
        if (f.pattern) reads.push(`if (!patterns[${i}].test(${x})) ok = fault(problems, n, ${i}, 'is not valid');`);
        break;
      case 'optionalText':
        escaped(`(${v} ?? '')`);
        reads.push(`const ${x} = ${col} === '' ? null : ${col};`);
        break;
      case 'count':
        asIs(`String(${v})`);
        reads.push(`const ${x} = DIGITS.test(${col}) && ${col}.length <= 15 ? Number(${col}) : undefined;`,
          `if (${x} === undefined) ok = fault(problems, n, ${i}, 'is not a whole number');`);
        break;
      case 'pence':
      case 'pounds':
        asIs(f.kind === 'pence' ? `${v}.toString()` : `penceText(${v})`);
        reads.push(`const ${x} = amount(${col}, ${f.kind === 'pounds'}, problems, n, ${i});`, `if (${x} === undefined) ok = false;`);
        break;
      case 'percent':
        asIs(`percentText(${v})`);
        reads.push(`const ${x} = percent(${col});`, `if (${x} === undefined) ok = fault(problems, n, ${i}, 'is not a percentage');`);
        break;
      case 'flag':
        asIs(`(${v} ? 'Y' : 'N')`);
        reads.push(`const ${x} = ${col} === 'Y' ? true : ${col} === 'N' ? false : undefined;`, `if (${x} === undefined) ok = fault(problems, n, ${i}, 'is not Y or N');`);
        break;
      case 'date':
        asIs(`compact(${v}, ${i})`);
        reads.push(`const ${x} = date(${col});`, `if (${x} === undefined) ok = fault(problems, n, ${i}, 'is not a date (YYYYMMDD)');`);
        break;
      case 'isoDate':
        asIs(`iso(${v}, ${i})`);
        reads.push(`const ${x} = isoDate(${col});`, `if (${x} === undefined) ok = fault(problems, n, ${i}, 'is not a date (YYYY-MM-DD)');`);
        break;
    }
    result.push(`${f.name}: ${x}`);
  });
  plain.push('"\\r\\n"');
  writes.push(`out.raw(${plain.join(' + ')});`);
  return {
    write: generate<CsvWrite>(record, 'out, v', writes.join('\n'), helpers),
    texts: generate<CsvTexts>(record, 'v', `return [${texts.join(', ')}];`, helpers),
    parse: generate<CsvParse>(record, 'row, n, problems', [
      `if (row.length !== ${fields.length}) { problems.push(\`record \${n}: ${record.name} does not have ${fields.length} fields\`); return undefined; }`,
      'let ok = true;',
      ...reads,
      `return ok ? { ${result.join(', ')} } : undefined;`,
    ].join('\n'), helpers),
  };
}

/** The texts of one record's fields in order, unescaped (for XML elements or workbook cells). */
export function csvFieldTexts<F extends readonly CsvFieldSpec[]>(record: CsvRecordType<F>, values: CsvValues<F>): string[] {
  return compiledCsv(record).texts(values);
}

/** The field names of a record type, in order (a heading row). */
export function csvHeadings(record: CsvRecordType): string[] {
  return record.fields.map((f) => f.name);
}

/** The writer of one record type, to call per row (a call site of its own, so the engine can inline it). */
export function csvWriter<F extends readonly CsvFieldSpec[]>(record: CsvRecordType<F>): (out: Out, values: CsvValues<F>) => void {
  return compiledCsv(record).write;
}

/** The parser of one record type, to call per row (see `parseCsv`). */
export function csvParser<F extends readonly CsvFieldSpec[]>(record: CsvRecordType<F>): (row: string[], n: number, problems: string[]) => CsvValues<F> | undefined {
  return compiledCsv(record).parse as (row: string[], n: number, problems: string[]) => CsvValues<F> | undefined;
}

/** Writes one CSV record (CRLF-terminated): text fields through `out.text` (escaped), the rest as they are. */
export function writeCsv<F extends readonly CsvFieldSpec[]>(out: Out, record: CsvRecordType<F>, values: CsvValues<F>): void {
  compiledCsv(record).write(out, values);
}

/**
 * Reads one CSV record by its definition: column count, constants and every field's kind.
 * Faults go to `problems` as `record <n>: <type> field <name> (column <c>) ...`; returns the
 * values, or undefined when the record has a fault.
 */
export function parseCsv<F extends readonly CsvFieldSpec[]>(
  record: CsvRecordType<F>,
  row: string[],
  n: number,
  problems: string[],
): CsvValues<F> | undefined {
  return compiledCsv(record).parse(row, n, problems) as CsvValues<F> | undefined;
}

/**
 * Reads a header / detail / trailer CSV file (record type in column 1: H, D, T): each row by its
 * type's definition, details handed to `onDetail`; checks the file starts with H and ends with
 * exactly one T. Faults of the header and trailer go to `problems`, of the details to `detailProblems`.
 */
export function readHeaderDetailTrailer<D extends CsvRecordType, T extends CsvRecordType>(
  content: Buffer | string,
  what: string,
  types: { header: CsvRecordType; detail: D; trailer: T },
  onDetail: (d: CsvValues<D['fields']>, n: number, problems: string[]) => void,
): { problems: string[]; trailer: CsvValues<T['fields']> | undefined; detailProblems: string[] } {
  const detailProblems: string[] = [];
  const headProblems: string[] = [];
  let firstType: string | undefined;
  let lastType: string | undefined;
  let trailers = 0;
  let trailer: CsvValues<T['fields']> | undefined;
  const parseDetail = csvParser(types.detail);
  forEachCsvRecord(content, what, (r, n) => {
    const type = r[0];
    if (n === 1) firstType = type;
    lastType = type;
    if (type === 'H') {
      if (n === 1) parseCsv(types.header, r, n, headProblems);
    } else if (type === 'T') {
      trailers++;
      if (trailers === 1) trailer = parseCsv(types.trailer, r, n, headProblems) as CsvValues<T['fields']> | undefined;
    } else if (type === 'D') {
      const d = parseDetail(r, n, detailProblems);
      if (d) onDetail(d as CsvValues<D['fields']>, n, detailProblems);
    } else {
      detailProblems.push(`record ${n}: record type is not H, D or T`);
    }
  });
  const problems: string[] = [];
  if (firstType !== 'H') problems.push('first record is not a header (H)');
  if (trailers !== 1 || lastType !== 'T') problems.push('exactly one trailer (T) must end the file');
  return { problems: problems.concat(headProblems), trailer, detailProblems };
}

// ---------------------------------------------------------------- docs

/**
 * The layout of a record as a Markdown table, one row per field (docs/formats/finance-files.md
 * holds these tables; a spec checks they match the definitions).
 */
export function layoutTable(record: FixedRecord | CsvRecordType): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows: string[][] = 'width' in record
    ? record.fields.map((f) => [
        f.length === 1 ? String(f.start) : `${f.start}-${f.start + f.length - 1}`,
        f.name,
        f.kind,
        f.note ?? (f.kind === 'constant' ? constantText(f.value ?? '') : FIXED_CONTENT[f.kind]),
      ])
    : record.fields.map((f, i) => [String(i + 1), f.name, f.kind, f.note ?? (f.kind === 'constant' ? `\`${f.value}\`` : CSV_CONTENT[f.kind])]);
  const head = 'width' in record ? '| Pos | Field | Kind | Value |' : '| Col | Field | Kind | Value |';
  return [head, '|---|---|---|---|', ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function constantText(value: string): string {
  return value.trim() === '' ? (value.length === 1 ? 'space' : `${value.length} spaces`) : `\`${value}\``;
}

const FIXED_CONTENT: Record<Exclude<FixedKind, 'constant'>, string> = {
  alpha: 'left-justified, space-padded, truncated',
  numeric: 'digits, zero-filled',
  amount: 'pence, zero-filled',
  julian: 'date as ` YYDDD`',
};

const CSV_CONTENT: Record<Exclude<CsvKind, 'constant'>, string> = {
  text: 'text, quoted when needed',
  optionalText: 'text, quoted when needed; empty when none',
  percent: 'percentage with two places (`50.00`)',
  flag: '`Y` or `N`',
  isoDate: '`YYYY-MM-DD`',
  count: 'whole number',
  pence: 'integer pence',
  pounds: 'pounds with two places, signed (`-0.05`)',
  date: '`YYYYMMDD`',
};
