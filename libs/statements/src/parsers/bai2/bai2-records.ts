import { ParseError } from '../errors';

/**
 * BAI2 physical-to-logical record splitting. Records end with `/` or the line end; several
 * records may share one physical line (`.../   16,...`); a physical line that does not start
 * with a two-digit record code and a comma continues the previous record (a record broken
 * across lines without an `88`, or a malformed `88:` line). `88` continuations are attached to
 * the record they continue and still count as records for the trailer counts.
 */
export interface Bai2Record {
  code: string;
  /** Fields after the record code, joined text (the trailing `/` removed). */
  body: string;
  /** Bodies of the `88` records that continue this one, in order. */
  continuations: string[];
  line: number;
}

const STARTS_RECORD = /^\d{2},/;
const SPLIT_ON_LINE = /\/\s+(?=\d{2},)/;

function stripTerminator(s: string): string {
  const t = s.replace(/\s+$/, '');
  return t.endsWith('/') ? t.slice(0, -1) : t;
}

/**
 * Logical records, `88`s folded into their parent. Returns also the raw logical count. A
 * physical line longer than `maxLineChars` is refused (LINE_TOO_LONG).
 */
export function splitBai2Records(text: string, maxLineChars = Infinity): { records: Bai2Record[]; logicalCount: number } {
  const raw: { text: string; line: number }[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((physical, i) => {
    const line = i + 1;
    if (physical.length > maxLineChars) throw new ParseError('LINE_TOO_LONG', `line is longer than ${maxLineChars} characters`, { line });
    if (physical.trim() === '') return;
    if (!STARTS_RECORD.test(physical) && raw.length > 0) {
      raw[raw.length - 1].text += physical;
      return;
    }
    for (const part of physical.split(SPLIT_ON_LINE)) raw.push({ text: part, line });
  });
  const records: Bai2Record[] = [];
  for (const r of raw) {
    const body = stripTerminator(r.text);
    const comma = body.indexOf(',');
    const code = comma < 0 ? body.trim() : body.slice(0, comma);
    const rest = comma < 0 ? '' : body.slice(comma + 1);
    if (code === '88' && records.length > 0) {
      records[records.length - 1].continuations.push(rest);
      continue;
    }
    records.push({ code, body: rest, continuations: [], line: r.line });
  }
  return { records, logicalCount: raw.length };
}
