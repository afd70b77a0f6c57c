/**
 * Writes what the bank and the card provider would send back for a delivered payment run (the
 * demo's bank and card inboxes): a camt.053 statement of the council's payment account, an
 * ARUCS returns file and card transaction files (see libs/reconciliation/src/sample).
 *
 *   node dist/scripts/generate-bank-sample.js --run HCC-20261119-1 --finance DIR --cardout DIR \
 *     --bank-inbox DIR --card-inbox DIR [--account 66374958] [--unexpected-on 2026-11-09]
 *
 * Each file is written under a temporary name and renamed when complete.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BacsCalendar, isCivilDate } from '@dpb/common';
import { readBacsStd18, readCardLoad } from '@dpb/payments';
import { bankSampleFiles, type SampleCardLoad } from '@dpb/reconciliation/sample';

export interface BankSampleArgs {
  run: string;
  finance: string;
  cardout: string;
  bankInbox: string;
  cardInbox: string;
  account: string;
  unexpectedOn: string;
}

export function parseArgs(argv: string[]): BankSampleArgs {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const need = (name: string): string => {
    const v = get(name);
    if (!v) throw new Error(`--${name} is required`);
    return v;
  };
  const run = need('run');
  if (!/^[A-Z0-9]{2,12}-\d{8}-\d{1,4}$/.test(run)) throw new Error('--run must look like CODE-YYYYMMDD-N');
  const unexpectedOn = get('unexpected-on') ?? '2026-11-09';
  if (!isCivilDate(unexpectedOn)) throw new Error('--unexpected-on must be YYYY-MM-DD');
  return {
    run, finance: need('finance'), cardout: need('cardout'), bankInbox: need('bank-inbox'), cardInbox: need('card-inbox'),
    account: get('account') ?? '66374958', unexpectedOn,
  };
}

export function generateBankSample(a: BankSampleArgs): string[] {
  const [council, ymd, seq] = a.run.split('-');
  const runDate = `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`;
  const stem = `${council}_${ymd}_${seq}`;
  const bacs = readBacsStd18(fs.readFileSync(path.join(a.finance, `${stem}_BACS_STD18.txt`)));
  const cardLoads = new Map<string, SampleCardLoad[]>();
  const prefix = `${stem}_CARDLOAD_`;
  for (const f of fs.existsSync(a.cardout) ? fs.readdirSync(a.cardout).sort() : []) {
    if (!f.startsWith(prefix) || !f.endsWith('.csv')) continue;
    const read = readCardLoad(fs.readFileSync(path.join(a.cardout, f)));
    cardLoads.set(f.slice(prefix.length, -4), read.credits.map((c) => ({ accountRef: c.accountRef ?? '', amountPence: c.amountPence, ref: c.ref })));
  }
  const cardRefs = new Set([...cardLoads.values()].flat().map((l) => l.ref));
  const calendar = BacsCalendar.bundled();
  const files = bankSampleFiles({
    runId: a.run,
    account: a.account,
    processingDay: calendar.processingDay(runDate),
    answerDay: calendar.processingDay(runDate),
    credits: bacs.credits.map((c) => ({ ref: c.ref, amountPence: c.amountPence, endToEndId: c.endToEndId })),
    cardLoads,
    bankCreditRefs: bacs.credits.map((c) => c.ref).filter((r) => !cardRefs.has(r)),
    unexpectedLoadOn: a.unexpectedOn,
    openingPence: 50_000_000n,
  });
  const written: string[] = [];
  for (const f of files) {
    const dir = f.inbox === 'bank' ? a.bankInbox : a.cardInbox;
    const tmp = path.join(dir, `.${f.name}.part`);
    fs.writeFileSync(tmp, f.content);
    fs.renameSync(tmp, path.join(dir, f.name));
    written.push(`${f.inbox}/${f.name}`);
  }
  return written;
}

if (require.main === module) {
  try {
    for (const w of generateBankSample(parseArgs(process.argv.slice(2)))) process.stdout.write(`${w}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
