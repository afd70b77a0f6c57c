/**
 * Card-load CSV, one file per card provider (RFC 4180):
 *   H,<runId>,<PROVIDER>,<run date YYYYMMDD>,<council>
 *   D,<account_ref>,<amount in pence>,<amount in pounds 0.00>,<reference = the credit's paymentRef>
 *   T,<count>,<total pence>,<total pounds 0.00>
 * The provider's funding account receives the credits (in the payment file); this file tells
 * the provider how to split them over the cards.
 */
import { decimalToPence, integerPence, penceText } from './amounts';
import { CSV_ESCAPER, csvRecord, forEachCsvRecord } from './csv';
import { compactDate } from './dates';
import { FinanceFileError } from './errors';
import type { CardLoad, PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { render, type Out } from './render';
import { validateRunInput } from './validate-input';

/** Providers in input order (cardLoads are ordered by provider, then accountRef). */
export function cardProviders(input: PaymentRunFilesInput): string[] {
  return [...new Set(input.cardLoads.map((l) => l.provider))];
}

function writeLoads(input: PaymentRunFilesInput, provider: string, loads: CardLoad[]): WrittenFile {
  if (loads.length === 0) throw new FinanceFileError('CARD_PROVIDER_WITHOUT_LOADS', `provider ${provider}: no card loads`);
  const header = csvRecord(['H', input.runId, provider.toUpperCase(), compactDate(input.runDate, 'runDate'), input.council]);
  let total = 0n;
  for (const l of loads) total += l.amountPence;
  const trailer = csvRecord(['T', String(loads.length), total.toString(), penceText(total)]);
  const layout = (out: Out): void => {
    out.raw(header);
    for (const l of loads) {
      out.raw('D,');
      out.text(l.accountRef);
      out.raw(`,${l.amountPence.toString()},${penceText(l.amountPence)},`);
      out.text(l.reference);
      out.raw('\r\n');
    }
    out.raw(trailer);
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
  const detailProblems: string[] = [];
  const credits: ReadCredit[] = [];
  let totalPence = 0n;
  let firstType: string | undefined;
  let lastType: string | undefined;
  let trailers = 0;
  let t: string[] | undefined;
  let deferred: unknown; // the first amount error, thrown once the whole file has parsed (as before)
  forEachCsvRecord(content, 'card-load file', (r, n) => {
    if (n === 1) firstType = r[0];
    lastType = r[0];
    if (r[0] === 'T') {
      trailers++;
      t ??= r;
    }
    if (deferred !== undefined || r[0] === 'H' || r[0] === 'T') return;
    if (r[0] !== 'D' || r.length !== 5) {
      detailProblems.push(`record ${n}: not a detail record of 5 fields`);
      return;
    }
    try {
      const pence = integerPence(r[2], `record ${n} amount_pence`);
      if (decimalToPence(r[3], `record ${n} amount_gbp`) !== pence) detailProblems.push(`record ${n}: pence and pounds disagree`);
      if (pence <= 0n) detailProblems.push(`record ${n}: amount is not positive`);
      credits.push({ ref: r[4], accountRef: r[1], amountPence: pence });
      totalPence += pence;
    } catch (e) {
      deferred = e;
    }
  });
  if (deferred !== undefined) throw deferred;
  const problems: string[] = [];
  if (firstType !== 'H') problems.push('first record is not a header (H)');
  if (trailers !== 1 || lastType !== 'T') problems.push('exactly one trailer (T) must end the file');
  const all = problems.concat(detailProblems);
  const declared: ReadResult['declared'] = {};
  if (t) {
    declared.records = /^\d+$/.test(t[1] ?? '') ? Number(t[1]) : undefined;
    declared.totalPence = integerPence(t[2] ?? '', 'trailer total pence');
    if (decimalToPence(t[3] ?? '', 'trailer total pounds') !== declared.totalPence) all.push('trailer pence and pounds disagree');
    if (declared.records !== credits.length) all.push('trailer count does not equal the detail records');
    if (declared.totalPence !== totalPence) all.push('trailer total does not equal the detail records');
  }
  return { format: 'CARDLOAD', records: credits.length, totalPence, credits, declared, problems: all };
}
