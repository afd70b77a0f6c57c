import * as fs from 'node:fs';
import { toCanonical } from '@dpb/common';
import { readExtract, readMosaicCsvAll } from '@dpb/care-records';
import { detectFormat, parseStatementFile, toInspectJson, ParseError } from '@dpb/statements';

export type InspectResult =
  | { ok: true; format: string; json: unknown; text: string }
  | { ok: false; format: string | null; error: string };

/** Detects a file's format, parses it, and returns the normalised content. Writes nothing. */
export async function inspectFile(file: string): Promise<InspectResult> {
  if (!fs.existsSync(file)) return { ok: false, format: null, error: 'no such file or folder' };
  if (fs.statSync(file).isDirectory()) return inspectMosaic(file, 'mosaic-csv', () => readMosaicCsvAll(file));
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(8192);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const format = detectFormat(head.subarray(0, n), file);
  if (format === 'mosaic-xml' || format === 'mosaic-csv') {
    return inspectMosaic(file, format, async () => (await readExtract({ name: file, open: async () => fs.createReadStream(file) })).parsed);
  }
  if (format === null) return { ok: false, format: null, error: 'format not recognised (expected camt.053/054, MT940, BAI2, card CSV or a Mosaic export)' };
  try {
    const parsed = parseStatementFile(fs.readFileSync(file), file);
    const json = toInspectJson(parsed);
    const entries = parsed.statements.reduce((t, s) => t + s.entries.length, 0);
    return { ok: true, format: parsed.format, json, text: `${file}: ${parsed.format}, ${parsed.statements.length} statement(s), ${entries} entr${entries === 1 ? 'y' : 'ies'}${parsed.warnings?.length ? `, ${parsed.warnings.length} warning(s)` : ''}` };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, format, error: `${e.code}: ${e.message}` };
    throw e;
  }
}

async function inspectMosaic(
  file: string,
  format: 'mosaic-xml' | 'mosaic-csv',
  read: () => Promise<import('@dpb/care-records').ParsedExtract>,
): Promise<InspectResult> {
  try {
    const x = await read();
    if (!x.ok) {
      const first = x.errors.slice(0, 20).map((e) => `${e.recordType} ${e.recordId ?? ''} ${e.field ?? ''}: ${e.rule}`).join('; ');
      return { ok: false, format, error: `${x.errors.length} problem(s): ${first}` };
    }
    const json = toCanonical({ format, header: x.header, counts: x.counts, flags: x.flags, trailer: x.trailer, persons: x.persons, payees: x.payees, directPayments: x.directPayments });
    return { ok: true, format, json, text: `${file}: ${format}, ${x.counts.persons} persons, ${x.counts.payees} payees, ${x.counts.directPayments} DPs, ${x.flags.length} flag(s)` };
  } catch (e) {
    return { ok: false, format, error: e instanceof Error ? e.message : String(e) };
  }
}
