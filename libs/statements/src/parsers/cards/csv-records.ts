import { CsvError, parse as parseStream } from 'csv-parse';
import { Readable } from 'node:stream';
import { countLines, InvalidUtf8, Utf8Chunks } from '../encoding';
import { ParseError } from '../errors';

/**
 * Streaming RFC 4180 records for the card CSV profile, with exactly csv-parse's semantics for the
 * options the card parser uses (`bom`, `skip_empty_lines`, strict quotes, strict column count,
 * record delimiter discovered from the first line). Card files are large and almost never quoted,
 * so a line without `"` (and without a stray carriage return) is split on commas directly; from
 * the first record that needs more (a quote, a lone `\r`, a line ending other than the first
 * line's), the rest of the file goes through csv-parse, fed the header line first so the column
 * count and record delimiter are the ones it would have found. Records are handed out in batches
 * (one per input chunk), each with its physical line number, so 1,000,000 rows are not
 * 1,000,000 promise round trips.
 */
export interface CsvBatch {
  records: string[][];
  /** Physical (1-based) line of each record, as csv-parse's `info.lines` reports it. */
  lines: number[];
}

export const CARD_CSV_OPTIONS = { bom: true, skip_empty_lines: true, relax_quotes: false, relax_column_count: false } as const;

/** Field and line limits of a CSV stream, and how a column is named in a rejection. */
export interface CsvLimits {
  maxFieldChars: number;
  maxLineChars: number;
  /** The name of column `index` for a rejection (never a value); `header` is null before it is read. */
  fieldName?: (index: number, header: readonly string[] | null) => string;
}

const NO_LIMITS: CsvLimits = { maxFieldChars: Infinity, maxLineChars: Infinity };

function nameOf(limits: CsvLimits, index: number, header: readonly string[] | null): string {
  return limits.fieldName ? limits.fieldName(index, header) : `column ${index + 1}`;
}

type Where = { line: number } | { record: string };

/** FIELD_TOO_LONG for the first field of `fields` over the limit, or null when none is. */
function fieldTooLong(fields: readonly string[], limits: CsvLimits, header: readonly string[] | null, at: Where): ParseError | null {
  for (let i = 0; i < fields.length; i++) {
    if (fields[i].length > limits.maxFieldChars) {
      const field = nameOf(limits, i, header);
      return new ParseError('FIELD_TOO_LONG', `${field} is longer than ${limits.maxFieldChars} characters`, { ...at, field });
    }
  }
  return null;
}

/** A parsed record: FIELD_TOO_LONG for an over-long field, else LINE_TOO_LONG past the line limit. */
function checkRecordLength(fields: readonly string[], limits: CsvLimits, header: readonly string[] | null, at: Where): void {
  const e = fieldTooLong(fields, limits, header, at);
  if (e) throw e;
  const length = fields.reduce((n, f) => n + f.length + 1, -1);
  if (length > limits.maxLineChars) throw new ParseError('LINE_TOO_LONG', `record is longer than ${limits.maxLineChars} characters`, at);
}

/** A CSV syntax error as the card parser reports it (no values, only the line). */
export function csvError(e: unknown, lineOffset = 0, limits: CsvLimits = NO_LIMITS, header: readonly string[] | null = null): ParseError {
  if (e instanceof ParseError) return e;
  const lines = (e as { lines?: unknown }).lines;
  const at = typeof lines === 'number' ? { line: lines + lineOffset } : {};
  if ((e as { code?: unknown }).code === 'CSV_MAX_RECORD_SIZE') {
    // csv-parse stopped reading the record: name the column where it went past the limit
    const column = (e as { column?: unknown }).column;
    const field = typeof column === 'number' ? nameOf(limits, column, header) : undefined;
    return new ParseError('LINE_TOO_LONG', `record is longer than ${csvRecordLimit(limits)} characters`, field ? { ...at, field } : at);
  }
  return new ParseError('BAD_RECORD', 'not valid RFC 4180 CSV', at);
}

/**
 * What csv-parse may buffer for one record: a line plus one field, so that a record with one
 * over-long field is still read whole and refused by the field check (FIELD_TOO_LONG, naming it);
 * past this csv-parse stops (LINE_TOO_LONG naming the column it had reached).
 */
function csvRecordLimit(limits: CsvLimits): number {
  return limits.maxLineChars + limits.maxFieldChars;
}

/** csv-parse options with the record limit. */
function csvParseOptions(limits: CsvLimits): typeof CARD_CSV_OPTIONS & { max_record_size?: number } {
  const max = csvRecordLimit(limits);
  return Number.isFinite(max) ? { ...CARD_CSV_OPTIONS, max_record_size: max } : CARD_CSV_OPTIONS;
}

/**
 * Checks the records of a whole text already parsed (the in-memory path): FIELD_TOO_LONG or
 * LINE_TOO_LONG naming the row (and the column).
 */
export function checkFieldLengths(records: readonly string[][], limits: CsvLimits): void {
  const header = records[0] ?? null;
  for (let r = 0; r < records.length; r++) checkRecordLength(records[r], limits, r === 0 ? null : header, { record: r === 0 ? 'header' : `row ${r}` });
}


const FALLBACK_BATCH = 2048;

/** Records of the rest of the file through csv-parse (quoted or unusual files). */
async function* viaCsvParse(
  first: string,
  rest: AsyncIterator<string>,
  lineOffset: number,
  limits: CsvLimits,
  header: readonly string[] | null,
): AsyncGenerator<CsvBatch> {
  let fed = 0; // line feeds handed to csv-parse so far (to name the line of bytes that are not UTF-8)
  async function* text(): AsyncGenerator<string> {
    if (first) {
      fed += countLines(first);
      yield first;
    }
    for (;;) {
      let n: IteratorResult<string>;
      try {
        n = await rest.next();
      } catch (e) {
        if (!(e instanceof InvalidUtf8)) throw e;
        throw new ParseError('INVALID_UTF8', 'bytes that are not valid UTF-8 (card files are UTF-8)', { line: fed + 1 + lineOffset });
      }
      if (n.done) return;
      if (n.value) {
        fed += countLines(n.value);
        yield n.value;
      }
    }
  }
  const src = Readable.from(text());
  const parser = parseStream({ ...csvParseOptions(limits), bom: false, info: true });
  src.on('error', (e) => parser.destroy(e));
  src.pipe(parser);
  let batch: CsvBatch = { records: [], lines: [] };
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      checkRecordLength(rec.record, limits, header, { line: rec.info.lines + lineOffset });
      batch.records.push(rec.record);
      batch.lines.push(rec.info.lines + lineOffset);
      if (batch.records.length >= FALLBACK_BATCH) {
        yield batch;
        batch = { records: [], lines: [] };
      }
    }
  } catch (e) {
    if (e instanceof CsvError) throw csvError(e, lineOffset, limits, header);
    throw e;
  }
  if (batch.records.length) yield batch;
}

/**
 * Strict UTF-8 text of a stream. Bytes that are not UTF-8: the valid text before them is yielded,
 * then InvalidUtf8 is thrown (the reader names the line, having counted the text it was given).
 */
async function* decoded(readable: Readable): AsyncGenerator<string> {
  const decoder = new Utf8Chunks();
  const step = function* (f: () => string): Generator<string> {
    try {
      const t = f();
      if (t) yield t;
    } catch (e) {
      if (!(e instanceof InvalidUtf8)) throw e;
      if (e.validText) yield e.validText;
      throw new InvalidUtf8('');
    }
  };
  for await (const chunk of readable as AsyncIterable<Buffer | string>) {
    yield* step(() => (typeof chunk === 'string' ? chunk : decoder.write(chunk)));
  }
  yield* step(() => decoder.end());
}

/**
 * The records of a CSV stream (the header is the first record), in batches. Throws ParseError
 * BAD_RECORD (with the line) on a syntax error or a record whose field count differs from the
 * header's. Errors of the underlying stream are passed on as they are.
 */
export async function* csvRecordBatches(readable: Readable, limits: CsvLimits = NO_LIMITS): AsyncGenerator<CsvBatch> {
  const chunks = decoded(readable);
  let pending = '';
  let started = false; // BOM handled
  let header: string | null = null;
  let width = 0;
  let eol: '' | '\n' | '\r\n' = ''; // record delimiter, fixed by the first line ending (as csv-parse does)
  let line = 0; // physical lines consumed
  let fallbackAt = -1; // offset in `pending` where csv-parse takes over
  let eof = false;
  let headerFields: string[] | null = null;
  while (!eof && fallbackAt < 0) {
    let n: IteratorResult<string>;
    try {
      n = await chunks.next();
    } catch (e) {
      if (!(e instanceof InvalidUtf8)) throw e;
      throw new ParseError('INVALID_UTF8', 'bytes that are not valid UTF-8 (card files are UTF-8)', { line: line + 1 + countLines(pending) });
    }
    if (n.done) eof = true;
    else pending += n.value;
    if (!started) {
      if (pending.length === 0 && !eof) continue;
      if (pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
      started = true;
    }
    const batch: CsvBatch = { records: [], lines: [] };
    let start = 0;
    for (;;) {
      let nl = pending.indexOf('\n', start);
      if (nl < 0) {
        if (!eof || start >= pending.length) break;
        nl = pending.length; // last line without a line ending
      }
      let end = nl;
      if (eol === '' && nl < pending.length) eol = end > start && pending.charCodeAt(end - 1) === 13 ? '\r\n' : '\n';
      if (eol === '\r\n' && nl < pending.length) {
        if (end === start || pending.charCodeAt(end - 1) !== 13) {
          fallbackAt = start;
          break;
        }
        end--;
      }
      const text = pending.slice(start, end);
      if (text.indexOf('"') >= 0 || text.indexOf('\r') >= 0) {
        fallbackAt = start;
        break;
      }
      line++;
      start = nl + 1;
      if (text.length === 0) continue; // skip_empty_lines
      const fields = text.split(',');
      if (text.length > limits.maxFieldChars || text.length > limits.maxLineChars) lineTooLong(fields, text.length, line);
      if (header === null) {
        header = text;
        headerFields = fields;
        width = fields.length;
      } else if (fields.length !== width) {
        throw new ParseError('BAD_RECORD', 'not valid RFC 4180 CSV', { line });
      }
      batch.records.push(fields);
      batch.lines.push(line);
    }
    pending = fallbackAt >= 0 ? pending : pending.slice(Math.min(start, pending.length));
    // a line still without its end that is already too long: refuse it now, not at its end
    if (fallbackAt < 0 && pending.length > limits.maxLineChars) {
      lineTooLong(pending.split(','), pending.length, line + 1);
    }
    if (batch.records.length) yield batch;
  }
  if (fallbackAt < 0) return;
  // csv-parse from the record at `fallbackAt` on. With the header already read, it is fed again
  // (so the column count and record delimiter are the header's); its line 2 is our line + 1.
  const rest = pending.slice(fallbackAt);
  // Without a header yet, an empty line in front keeps the record delimiter csv-parse would have
  // discovered from the empty lines already read.
  if (header === null) {
    yield* eol && line > 0 ? viaCsvParse(`${eol}${rest}`, chunks, line - 1, limits, null) : viaCsvParse(rest, chunks, line, limits, null);
  } else {
    yield* skipFirst(viaCsvParse(`${header}${eol}${rest}`, chunks, line - 1, limits, headerFields));
  }

  function lineTooLong(fields: readonly string[], length: number, at: number): void {
    const e = fieldTooLong(fields, limits, headerFields, { line: at });
    if (e) throw e;
    if (length > limits.maxLineChars) throw new ParseError('LINE_TOO_LONG', `line is longer than ${limits.maxLineChars} characters`, { line: at });
  }
}

/** Drops the first record (the re-fed header). */
async function* skipFirst(batches: AsyncGenerator<CsvBatch>): AsyncGenerator<CsvBatch> {
  let skipped = false;
  for await (const b of batches) {
    if (!skipped && b.records.length) {
      b.records.shift();
      b.lines.shift();
      skipped = true;
    }
    if (b.records.length) yield b;
  }
}
