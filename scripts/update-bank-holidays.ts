/**
 * Rewrites libs/common/data/bank-holidays-england-and-wales.json from a GOV.UK-format
 * bank-holidays.json file already downloaded (no network here):
 *
 *   npx tsc -p tsconfig.build.json && node dist/scripts/update-bank-holidays.js <feed.json> [<out.json>]
 *
 * Run from the repository root: the default output is resolved from the working directory
 * (so the compiled script still writes the source data file, not the copy under dist/).
 * Takes the england-and-wales division, keeps older events the feed no longer lists, and
 * prints what changed. Exit code 1 on a bad feed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BankHolidayTable,
  diffBankHolidayTables,
  tableFromGovUkFeed,
  validateBankHolidayTable,
} from '../libs/common/src/bank-holiday-table';

export const DEFAULT_OUTPUT = path.join('libs', 'common', 'data', 'bank-holidays-england-and-wales.json');

export function updateBankHolidays(
  feedFile: string,
  outputFile = path.resolve(process.cwd(), DEFAULT_OUTPUT),
): string[] {
  const feed: unknown = JSON.parse(fs.readFileSync(feedFile, 'utf8'));
  const before: BankHolidayTable | undefined = fs.existsSync(outputFile)
    ? validateBankHolidayTable(JSON.parse(fs.readFileSync(outputFile, 'utf8')))
    : undefined;
  const after = tableFromGovUkFeed(feed, before);
  fs.writeFileSync(outputFile, JSON.stringify(after, null, 2) + '\n');
  if (!before) return [`wrote ${after.events.length} events, ${after.coversFrom}..${after.coversTo}`];
  const diff = diffBankHolidayTables(before, after);
  const out: string[] = [];
  for (const e of diff.added) out.push(`+ ${e.date} ${e.title}${e.notes ? ` (${e.notes})` : ''}`);
  for (const e of diff.removed) out.push(`- ${e.date} ${e.title}`);
  for (const r of diff.retitled) out.push(`~ ${r.date} ${r.from} -> ${r.to}`);
  if (diff.coversToChanged) out.push(`coversTo ${diff.coversToChanged.from} -> ${diff.coversToChanged.to}`);
  if (out.length === 0) out.push('no change');
  return out;
}

if (require.main === module) {
  const [feedFile, outputFile] = process.argv.slice(2);
  if (!feedFile) {
    process.stderr.write('usage: update-bank-holidays <bank-holidays.json> [<output.json>]\n');
    process.exit(2);
  }
  try {
    for (const line of updateBankHolidays(feedFile, outputFile)) process.stdout.write(line + '\n');
  } catch (e) {
    process.stderr.write(`update-bank-holidays: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
