/**
 * Card-load CSV, one file per card provider (RFC 4180):
 *   H,<runId>,<PROVIDER>,<run date YYYYMMDD>,<council>
 *   D,<account_ref>,<amount in pence>,<amount in pounds 0.00>,<reference = the credit's paymentRef>
 *   T,<count>,<total pence>,<total pounds 0.00>
 * The provider's funding account receives the credits (in the payment file); this file tells
 * the provider how to split them over the cards.
 */
import { CSV_ESCAPER } from './csv';
import { FinanceFileError } from './errors';
import type { CardLoad, PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { csvRecordType, csvWriter, readHeaderDetailTrailer, writeCsv } from './records';
import { render, type Out } from './render';
import { validateRunInput } from './validate-input';

/** The three record types of a card-load file, each defined once for the writer and the reader. */
export const CARD_LOAD_CSV = {
  header: csvRecordType('header', [
    { name: 'recordType', kind: 'constant', value: 'H' },
    { name: 'runId', kind: 'text', note: 'the run id' },
    { name: 'provider', kind: 'text', note: 'the card provider, upper case' },
    { name: 'runDate', kind: 'date', note: 'runDate, `YYYYMMDD`' },
    { name: 'council', kind: 'text', note: 'the council code' },
  ]),
  detail: csvRecordType('detail', [
    { name: 'recordType', kind: 'constant', value: 'D' },
    { name: 'accountRef', kind: 'text', note: 'the card account reference' },
    { name: 'amountPence', kind: 'pence', note: 'the load in pence' },
    { name: 'amountPounds', kind: 'pounds', note: 'the same amount in pounds (`260.00`)' },
    { name: 'reference', kind: 'text', note: "the credit's paymentRef" },
  ]),
  trailer: csvRecordType('trailer', [
    { name: 'recordType', kind: 'constant', value: 'T' },
    { name: 'count', kind: 'count', note: 'number of `D` records' },
    { name: 'totalPence', kind: 'pence', note: 'sum of the loads in pence' },
    { name: 'totalPounds', kind: 'pounds', note: 'the same total in pounds' },
  ]),
};

/** Providers in input order (cardLoads are ordered by provider, then accountRef). */
export function cardProviders(input: PaymentRunFilesInput): string[] {
  return [...new Set(input.cardLoads.map((l) => l.provider))];
}

function writeLoads(input: PaymentRunFilesInput, provider: string, loads: CardLoad[]): WrittenFile {
  if (loads.length === 0) throw new FinanceFileError('CARD_PROVIDER_WITHOUT_LOADS', `provider ${provider}: no card loads`);
  let total = 0n;
  for (const l of loads) total += l.amountPence;
  const writeDetail = csvWriter(CARD_LOAD_CSV.detail);
  const layout = (out: Out): void => {
    writeCsv(out, CARD_LOAD_CSV.header, { runId: input.runId, provider: provider.toUpperCase(), runDate: input.runDate, council: input.council });
    for (const l of loads) {
      writeDetail(out, { accountRef: l.accountRef, amountPence: l.amountPence, amountPounds: l.amountPence, reference: l.reference });
    }
    writeCsv(out, CARD_LOAD_CSV.trailer, { count: loads.length, totalPence: total, totalPounds: total });
  };
  return { name: fileNames.cardLoad(input, provider), content: render(layout, CSV_ESCAPER), records: loads.length, totalPence: total };
}

export function writeCardLoadFile(input: PaymentRunFilesInput, provider: string): WrittenFile {
  validateRunInput(input);
  return writeLoads(input, provider, input.cardLoads.filter((l) => l.provider === provider));
}

/** One card-load file per provider, in provider order. */
export function writeCardLoadFiles(input: PaymentRunFilesInput): WrittenFile[] {
  validateRunInput(input);
  return writeCardLoadFilesUnchecked(input);
}

/** writeCardLoadFiles for an input already passed through validateRunInput. */
export function writeCardLoadFilesUnchecked(input: PaymentRunFilesInput): WrittenFile[] {
  const byProvider = new Map<string, CardLoad[]>();
  for (const l of input.cardLoads) {
    const list = byProvider.get(l.provider);
    if (list) list.push(l);
    else byProvider.set(l.provider, [l]);
  }
  return [...byProvider].map(([provider, loads]) => writeLoads(input, provider, loads));
}

export function readCardLoad(content: Buffer | string): ReadResult {
  const credits: ReadCredit[] = [];
  let totalPence = 0n;
  const read = readHeaderDetailTrailer(content, 'card-load file', CARD_LOAD_CSV, (d, n, detailProblems) => {
    if (d.amountPounds !== d.amountPence) detailProblems.push(`record ${n}: pence and pounds disagree`);
    if (d.amountPence <= 0n) detailProblems.push(`record ${n}: amount is not positive`);
    credits.push({ ref: d.reference, accountRef: d.accountRef, amountPence: d.amountPence });
    totalPence += d.amountPence;
  });
  const all = read.problems.concat(read.detailProblems);
  const declared: ReadResult['declared'] = {};
  const t = read.trailer;
  if (t) {
    declared.records = t.count;
    declared.totalPence = t.totalPence;
    if (t.totalPounds !== t.totalPence) all.push('trailer pence and pounds disagree');
    if (declared.records !== credits.length) all.push('trailer count does not equal the detail records');
    if (declared.totalPence !== totalPence) all.push('trailer total does not equal the detail records');
  }
  return { format: 'CARDLOAD', records: credits.length, totalPence, credits, declared, problems: all };
}
