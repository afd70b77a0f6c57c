/**
 * Care-record extracts for integration specs, two ways:
 * - built in code (`person`, `bankPayee`, `weeklyDp`) and imported as the nightly care stage
 *   would (`importContent`: ledger row and importExtract in one transaction), for payment,
 *   reclaim, reconciliation and audit specs;
 * - from the deterministic sample generator (`sampleExtract`, `sampleExtractXml`), edited as a
 *   test needs, and written in either contract encoding (`toXml`, or `toCsvZip`: a zip of the nine
 *   CSV files). The trailer is derived from the records (counts, and the total recomputed by the
 *   validator over the written file), so edited extracts stay valid unless a test breaks them on
 *   purpose.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { sha256Hex } from '@dpb/common';
import {
  readMosaicXmlAll,
  sampleCases,
  sampleContent,
  sampleHeader,
  writeExtractCsv,
  writeExtractXml,
  type DirectPayment,
  type ExtractHeader,
  type Payee,
  type Person,
  type Trailer,
} from '@dpb/care-records';
import { importExtract, type ExtractContent } from '@dpb/care-records/import/importer';
import { makeZip } from '@dpb/care-records/readers/testing/make-zip';
import type { Harness } from './council-harness';

export function person(id: string): Person {
  return {
    id,
    restricted: false,
    dateOfDeath: null,
    nhsNumberValid: null,
    personal: { nhsNumber: null, dateOfBirth: null, title: null, firstName: null, lastName: null, address: { line1: null, town: null, postcode: null } },
  };
}

export function bankPayee(id: string, accountNumber = '66374958'): Payee {
  return { id, vendorNo: `V${id}`, accountType: 'BANK', bank: { sortCode: '089999', accountNumber, accountName: `ACCOUNT ${id}`, modulusValid: true }, card: null };
}

export function weeklyDp(id: string, personId: string, payeeId: string, start: string, weeklyGross: bigint, over: Partial<DirectPayment> = {}): DirectPayment {
  return {
    id, personId, payeeId, recipientRole: 'SELF', frequency: 'WEEKLY', basis: 'NET', fundingStream: 'LA', costCentre: 'ASC1', glAccount: '540100',
    start, end: null, lastReviewDate: null, cashAllowed: false,
    rates: [{ from: start, weeklyGrossPence: weeklyGross }], contributions: [], suspensions: [], oneOffs: [], splits: [],
    ...over,
  };
}

export async function importContent(h: Harness, generatedAt: string, persons: Person[], payees: Payee[], dps: DirectPayment[]): Promise<void> {
  const x: ExtractContent = {
    header: { extractId: `${h.code}-${generatedAt}`, council: h.code, generatedAt, kind: 'FULL', extractDate: generatedAt.slice(0, 10) },
    persons, payees, directPayments: dps,
  };
  await h.ds.transaction(async (m) => {
    const [{ id }]: { id: string }[] = await m.query(
      `INSERT INTO inbound_file (source, council, name, size, sha256, state) VALUES ('care', $1, $2, 1, $3, 'APPLIED') RETURNING id`,
      [h.code, `${x.header.extractId}.xml`, sha256Hex(x.header.extractId)],
    );
    await importExtract(m, h.code, id, x);
  });
}

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

/** The bytes `write` writes to a stream. */
async function bytesOf(write: (sink: Writable) => Promise<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  await write(sink);
  return Buffer.concat(chunks);
}

const xmlWith = (x: Extract, trailer: Trailer): Promise<Buffer> => bytesOf((sink) => writeExtractXml(content(x, trailer), sink));

/** A deterministic sample extract for the council (the demo generator), as XML bytes. */
export async function sampleExtractXml(code: string, opts: { dps?: number; seed?: string; date?: string } = {}): Promise<Buffer> {
  const content = sampleContent({ council: code, dps: opts.dps ?? 40, seed: opts.seed ?? code, date: opts.date ?? '2026-11-23' });
  return bytesOf((sink) => writeExtractXml(content, sink));
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
