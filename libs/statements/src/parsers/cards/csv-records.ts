import { CsvError, parse as parseStream } from 'csv-parse';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
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

/** A CSV syntax error as the card parser reports it (no values, only the line). */
export function csvError(e: unknown, lineOffset = 0): ParseError {
  if (e instanceof ParseError) return e;
  const lines = (e as { lines?: unknown }).lines;
  return new ParseError('BAD_RECORD', 'not valid RFC 4180 CSV', typeof lines === 'number' ? { line: lines + lineOffset } : {});
}


const FALLBACK_BATCH = 2048;

/** Records of the rest of the file through csv-parse (quoted or unusual files). */
async function* viaCsvParse(first: string, rest: AsyncIterator<string>, lineOffset: number): AsyncGenerator<CsvBatch> {
  async function* text(): AsyncGenerator<string> {
    if (first) yield first;
    for (;;) {
      const n = await rest.next();
      if (n.done) return;
      if (n.value) yield n.value;
    }
  }
  const src = Readable.from(text());
  const parser = parseStream({ ...CARD_CSV_OPTIONS, bom: false, info: true });
  src.on('error', (e) => parser.destroy(e));
  src.pipe(parser);
  let batch: CsvBatch = { records: [], lines: [] };
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      batch.records.push(rec.record);
      batch.lines.push(rec.info.lines + lineOffset);
      if (batch.records.length >= FALLBACK_BATCH) {
        yield batch;
        batch = { records: [], lines: [] };
      }
    }
  } catch (e) {
    if (e instanceof CsvError) throw csvError(e, lineOffset);
    throw e;
  }
  if (batch.records.length) yield batch;
}

async function* decoded(readable: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of readable as AsyncIterable<Buffer | string>) {
    const t = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (t) yield t;
  }
  const t = decoder.end();
  if (t) yield t;
}

/**
 * The records of a CSV stream (the header is the first record), in batches. Throws ParseError
 * BAD_RECORD (with the line) on a syntax error or a record whose field count differs from the
 * header's. Errors of the underlying stream are passed on as they are.
 */
export async function* csvRecordBatches(readable: Readable): AsyncGenerator<CsvBatch> {
  const chunks = decoded(readable);
  let pending = '';
  let started = false; // BOM handled
  let header: string | null = null;
  let width = 0;
  let eol: '' | '\n' | '\r\n' = ''; // record delimiter, fixed by the first line ending (as csv-parse does)
  let line = 0; // physical lines consumed
  let fallbackAt = -1; // offset in `pending` where csv-parse takes over
  let eof = false;
  while (!eof && fallbackAt < 0) {
    const n = await chunks.next();
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
      if (header === null) {
        header = text;
        width = fields.length;
      } else if (fields.length !== width) {
        throw new ParseError('BAD_RECORD', 'not valid RFC 4180 CSV', { line });
      }
      batch.records.push(fields);
      batch.lines.push(line);
    }
    pending = fallbackAt >= 0 ? pending : pending.slice(Math.min(start, pending.length));
    if (batch.records.length) yield batch;
  }
  if (fallbackAt < 0) return;
  // csv-parse from the record at `fallbackAt` on. With the header already read, it is fed again
  // (so the column count and record delimiter are the header's); its line 2 is our line + 1.
  const rest = pending.slice(fallbackAt);
  // Without a header yet, an empty line in front keeps the record delimiter csv-parse would have
  // discovered from the empty lines already read.
  if (header === null) {
    yield* eol && line > 0 ? viaCsvParse(`${eol}${rest}`, chunks, line - 1) : viaCsvParse(rest, chunks, line);
  } else {
    yield* skipFirst(viaCsvParse(`${header}${eol}${rest}`, chunks, line - 1));
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
