/**
 * Writes a deterministic sample Mosaic-style extract.
 *
 *   node -r ./libs/care-records/src/sample/ts-register.js scripts/generate-sample.ts \
 *     --dps 300 --seed demo --format xml|csv --out PATH [--date YYYY-MM-DD]
 *
 * xml: PATH is the file to write; csv: PATH is a folder (created) for the nine files.
 * Streams its output, so --dps 200000 runs in bounded memory.
 */
import * as fs from 'node:fs';
import { isCivilDate } from '@dpb/common';
import { sampleContent, writeExtractCsv, writeExtractXml } from '@dpb/care-records/sample';

export interface GenerateArgs {
  dps: number;
  seed: string;
  format: 'xml' | 'csv';
  out: string;
  date?: string;
}

export function parseArgs(argv: string[]): GenerateArgs {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dps = Number(get('dps') ?? '300');
  const format = get('format') ?? 'xml';
  const out = get('out');
  const date = get('date');
  if (!Number.isInteger(dps) || dps < 1) throw new Error('--dps must be a positive integer');
  if (format !== 'xml' && format !== 'csv') throw new Error('--format must be xml or csv');
  if (!out) throw new Error('--out is required');
  if (date !== undefined && !isCivilDate(date)) throw new Error('--date must be YYYY-MM-DD');
  return { dps, seed: get('seed') ?? 'dpbridge', format, out, date };
}

export async function generateSample(args: GenerateArgs): Promise<void> {
  const content = sampleContent({ dps: args.dps, seed: args.seed, date: args.date });
  if (args.format === 'xml') await writeExtractXml(content, fs.createWriteStream(args.out));
  else await writeExtractCsv(content, args.out);
}

if (require.main === module) {
  generateSample(parseArgs(process.argv.slice(2))).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
