/**
 * Test extracts built from the deterministic sample generator, edited as a test needs, and
 * written in either contract encoding (XML bytes, or a zip of the nine CSV files). The trailer
 * is derived from the records (counts, and the total recomputed by the validator over the
 * written file), so edited extracts stay valid unless a test breaks them on purpose.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import {
  readMosaicXmlAll,
  sampleCases,
  sampleHeader,
  writeExtractCsv,
  writeExtractXml,
  type DirectPayment,
  type ExtractHeader,
  type Payee,
  type Person,
  type Trailer,
} from '@dpb/care-records';
import { makeZip } from '@dpb/care-records/readers/testing/make-zip';

export interface Extract {
  header: ExtractHeader;
  persons: Person[];
  payees: Payee[];
  dps: DirectPayment[];
}

/** `dps` sample cases for the council (each case: one person, one payee, one DP). */
export function sampleExtract(council: string, dps: number, opts: { seed?: string; date?: string; generatedAt?: string; extractId?: string; kind?: 'FULL' | 'DELTA' } = {}): Extract {
  const o = { council, dps, seed: opts.seed ?? council, date: opts.date ?? '2026-11-23', kind: opts.kind ?? 'FULL' };
  const cases = [...sampleCases(o)];
  const header = { ...sampleHeader(o) };
  if (opts.generatedAt) header.generatedAt = opts.generatedAt;
  if (opts.extractId) header.extractId = opts.extractId;
  return { header, persons: cases.map((c) => c.person), payees: cases.map((c) => c.payee), dps: cases.map((c) => c.directPayment) };
}

/** A deep copy (bigints kept) to edit without touching the original. */
export function cloneExtract(x: Extract): Extract {
  return structuredClone(x);
}

function content(x: Extract, trailer: Trailer) {
  return {
    header: x.header,
    persons: () => x.persons,
    payees: () => x.payees,
    directPayments: () => x.dps,
    trailer,
  };
}

async function xmlWith(x: Extract, trailer: Trailer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  await writeExtractXml(content(x, trailer), sink);
  return Buffer.concat(chunks);
}

/** The trailer the file must carry: element counts and the recomputed total weekly gross. */
export async function trailerFor(x: Extract): Promise<Trailer> {
  const counts = { persons: x.persons.length, payees: x.payees.length, directPayments: x.dps.length };
  const probe = await readMosaicXmlAll(await xmlWith(x, { ...counts, totalWeeklyGrossPence: 0n }));
  if (probe.computedTotalWeeklyGross === null) throw new Error('test extract is invalid: no total computable');
  return { ...counts, totalWeeklyGrossPence: probe.computedTotalWeeklyGross };
}

export async function toXml(x: Extract, trailer?: Trailer): Promise<Buffer> {
  return xmlWith(x, trailer ?? (await trailerFor(x)));
}

/** The same content as a zip of the nine CSV files. */
export async function toCsvZip(x: Extract, trailer?: Trailer): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpb-cr-csv-'));
  try {
    await writeExtractCsv(content(x, trailer ?? (await trailerFor(x))), dir);
    return makeZip(fs.readdirSync(dir).sort().map((name) => ({ name, data: fs.readFileSync(path.join(dir, name)) })));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
