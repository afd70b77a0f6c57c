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
import { ExtractOrderError, importExtract } from './importer';

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

/**
 * The care-records importer for the intake: parse, validate every field rule, and import the
 * whole extract in the intake's transaction, or reject it with every problem found (records,
 * fields and rules, never values).
 */
export function createMosaicApplier(rawMapping?: unknown): InboundApplier {
  const mapping = rawMapping === undefined ? undefined : parseMosaicMapping(rawMapping);
  return {
    source: 'care',
    async apply(m: EntityManager, input: ApplyInput): Promise<ApplyResult> {
      let format = 'mosaic';
      let parsed: ParsedExtract;
      try {
        ({ format, parsed } = await readExtract(input, mapping));
      } catch (e) {
        if (e instanceof MosaicParseError) {
          const problems: Problem[] = e.issues.map((i) => ({ recordType: i.recordType, recordId: i.recordId, field: i.field, rule: i.rule }));
          throw new InputRejected(format, problems.length ? problems : [{ rule: 'PARSE_ERROR', detail: e.message.slice(0, 300) }]);
        }
        throw e;
      }
      if (!parsed.ok || !parsed.header) {
        const problems: Problem[] = parsed.errors.map((er) => ({
          recordType: er.recordType,
          recordId: er.recordId,
          field: er.field,
          rule: er.rule,
        }));
        throw new InputRejected(format, problems.length ? problems : [{ rule: 'NO_HEADER' }]);
      }
      try {
        const counts = await importExtract(m, input.council, input.ledgerId, { ...parsed, header: parsed.header });
        const flags = new Map<string, number>();
        for (const f of parsed.flags) flags.set(f.flag, (flags.get(f.flag) ?? 0) + 1);
        return {
          format,
          records: parsed.counts.persons + parsed.counts.payees + parsed.counts.directPayments,
          counts: {
            dpsAdded: counts.directPayments.added,
            dpsChanged: counts.directPayments.changed,
            dpsMissingFromFull: counts.directPayments.missingFromFull,
            payeesBankChanged: counts.payees.bankChanged,
            flags: parsed.flags.length,
          },
          warnings: [
            ...[...flags].map(([flag, n]) => `${n} record(s) flagged ${flag}`),
            ...(counts.directPayments.missingFromFull ? [`${counts.directPayments.missingFromFull} DP(s) missing from this FULL extract: payments held`] : []),
          ],
        };
      } catch (e) {
        if (e instanceof ExtractOrderError) throw new InputRejected(format, [{ recordType: 'MosaicExport', field: 'generatedAt', rule: e.rule }]);
        throw e;
      }
    },
  };
}
