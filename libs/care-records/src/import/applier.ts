import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EntityManager } from 'typeorm';
import { InputRejected, type ApplyInput, type ApplyResult, type InboundApplier, type Problem } from '@dpb/persistence';
import { collectExtract, type ParsedExtract } from '../readers/extract';
import { readMosaicCsv } from '../readers/csv';
import { readMosaicXml } from '../readers/xml';
import { parseMosaicMapping, type MosaicMapping } from '../readers/mapping';
import { MosaicParseError } from '../validation/errors';
import { FileRejected, type ReaderLimits } from '../readers/limits';
import { ExtractOrderError } from './importer';
import { importRawStream, type StreamImportOptions, type StreamImportResult } from './stream-import';
import type { RawRecord } from '../readers/raw';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Reads and validates a Mosaic extract (XML, or a zip of the CSV files) from its bytes. */
export async function readExtract(input: Pick<ApplyInput, 'name' | 'open'>, mapping?: MosaicMapping): Promise<{ format: string; parsed: ParsedExtract }> {
  const head = await readHead(await input.open(), 4);
  if (head.equals(ZIP_MAGIC)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpb-mosaic-'));
    const zip = path.join(dir, 'extract.zip');
    try {
      await pipeline(await input.open(), fs.createWriteStream(zip, { mode: 0o600 }));
      return { format: 'mosaic-csv', parsed: await collectExtract(readMosaicCsv(zip, { mapping }), {}) };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { format: 'mosaic-xml', parsed: await collectExtract(readMosaicXml(await input.open(), { mapping }), {}) };
}

async function readHead(stream: NodeJS.ReadableStream & { destroy?: () => void }, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    chunks.push(b);
    size += b.length;
    if (size >= n) break;
  }
  stream.destroy?.();
  return Buffer.concat(chunks).subarray(0, n);
}

/** Opens the raw records of an extract: XML streamed, or a zip of the CSV files via a temp copy. */
async function openRaw(
  input: Pick<ApplyInput, 'open' | 'signal'>,
  mapping: MosaicMapping | undefined,
  limits: Partial<ReaderLimits> | undefined,
): Promise<{ format: string; raw: AsyncIterable<RawRecord>; cleanup: () => void }> {
  const { signal } = input;
  const head = await readHead(await input.open(), 4);
  if (head.equals(ZIP_MAGIC)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpb-mosaic-'));
    const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
    try {
      const zip = path.join(dir, 'extract.zip');
      await pipeline(await input.open(), fs.createWriteStream(zip, { mode: 0o600 }));
      return { format: 'mosaic-csv', raw: readMosaicCsv(zip, { mapping, limits, signal }), cleanup };
    } catch (e) {
      cleanup();
      throw e;
    }
  }
  return { format: 'mosaic-xml', raw: readMosaicXml(await input.open(), { mapping, limits, signal }), cleanup: () => undefined };
}

const problemsOf = (errors: { recordType: string; recordId: string; field: string; rule: string }[]): Problem[] =>
  errors.map((er) => ({ recordType: er.recordType, recordId: er.recordId, field: er.field, rule: er.rule }));

/**
 * The care-records importer for the intake: parse, validate every field rule, and import the
 * whole extract in the intake's transaction, streaming (records are staged by COPY as they are
 * validated), or reject it with every problem found (records, fields and rules, never values).
 * A rejection after rows were staged is safe: the intake rolls its transaction back.
 */
export function createMosaicApplier(rawMapping?: unknown, options: StreamImportOptions = {}): InboundApplier {
  const mapping = rawMapping === undefined ? undefined : parseMosaicMapping(rawMapping);
  return {
    source: 'care',
    async apply(m: EntityManager, input: ApplyInput): Promise<ApplyResult> {
      let format = 'mosaic';
      let result: StreamImportResult;
      let cleanup = (): void => undefined;
      try {
        const opened = await openRaw(input, mapping, options.limits);
        ({ format, cleanup } = opened);
        result = await importRawStream(m, input.council, input.ledgerId, opened.raw, options, input.signal);
      } catch (e) {
        if (e instanceof FileRejected) throw new InputRejected(format, [{ recordType: 'File', rule: e.rule, detail: e.message.slice(0, 300) }]);
        if (e instanceof MosaicParseError) {
          const problems = problemsOf(e.issues);
          throw new InputRejected(format, problems.length ? problems : [{ rule: 'PARSE_ERROR', detail: e.message.slice(0, 300) }]);
        }
        if (e instanceof ExtractOrderError) throw new InputRejected(format, [{ recordType: 'MosaicExport', field: 'generatedAt', rule: e.rule }]);
        throw e;
      } finally {
        cleanup();
      }
      const { summary, counts } = result;
      if (!summary.ok || !counts) {
        const problems = problemsOf(summary.errors);
        throw new InputRejected(format, problems.length ? problems : [{ rule: 'NO_HEADER' }]);
      }
      const flags = new Map<string, number>();
      for (const f of summary.flags) flags.set(f.flag, (flags.get(f.flag) ?? 0) + 1);
      return {
        format,
        records: summary.counts.persons + summary.counts.payees + summary.counts.directPayments,
        counts: {
          dpsAdded: counts.directPayments.added,
          dpsChanged: counts.directPayments.changed,
          dpsUnchanged: counts.directPayments.unchanged,
          dpsMissingFromFull: counts.directPayments.missingFromFull,
          personsChanged: counts.persons.added + counts.persons.changed,
          payeesChanged: counts.payees.added + counts.payees.changed,
          payeesBankChanged: counts.payees.bankChanged,
          flags: summary.flags.length,
        },
        warnings: [
          ...[...flags].map(([flag, n]) => `${n} record(s) flagged ${flag}`),
          ...(counts.directPayments.missingFromFull ? [`${counts.directPayments.missingFromFull} DP(s) missing from this FULL extract: payments held`] : []),
        ],
      };
    },
  };
}
