/**
 * Card-load CSV, one file per card provider (RFC 4180):
 *   H,<runId>,<PROVIDER>,<run date YYYYMMDD>,<council>
 *   D,<account_ref>,<amount in pence>,<amount in pounds 0.00>,<reference = the credit's paymentRef>
 *   T,<count>,<total pence>,<total pounds 0.00>
 * The provider's funding account receives the credits (in the payment file); this file tells
 * the provider how to split them over the cards.
 */
import { formatPence, sumPence } from '@dpb/common';
import { decimalToPence, integerPence } from './amounts';
import { csvRecord, parseCsv } from './csv';
import { compactDate } from './dates';
import { FinanceFileError } from './errors';
import type { PaymentRunFilesInput, WrittenFile } from './model';
import { fileNames } from './names';
import type { ReadCredit, ReadResult } from './read-result';
import { validateRunInput } from './validate-input';

/** Providers in input order (cardLoads are ordered by provider, then accountRef). */
export function cardProviders(input: PaymentRunFilesInput): string[] {
  return [...new Set(input.cardLoads.map((l) => l.provider))];
}

export function writeCardLoadFile(input: PaymentRunFilesInput, provider: string): WrittenFile {
  validateRunInput(input);
  const loads = input.cardLoads.filter((l) => l.provider === provider);
  if (loads.length === 0) throw new FinanceFileError('CARD_PROVIDER_WITHOUT_LOADS', `provider ${provider}: no card loads`);
  let out = csvRecord(['H', input.runId, provider.toUpperCase(), compactDate(input.runDate, 'runDate'), input.council]);
  for (const l of loads) {
    out += csvRecord(['D', l.accountRef, l.amountPence.toString(), formatPence(l.amountPence), l.reference]);
  }
  const total = sumPence(loads.map((l) => l.amountPence));
  out += csvRecord(['T', String(loads.length), total.toString(), formatPence(total)]);
  return { name: fileNames.cardLoad(input, provider), content: Buffer.from(out, 'utf8'), records: loads.length, totalPence: total };
}

/** One card-load file per provider, in provider order. */
export function writeCardLoadFiles(input: PaymentRunFilesInput): WrittenFile[] {
  return cardProviders(input).map((p) => writeCardLoadFile(input, p));
}

export function readCardLoad(content: Buffer | string): ReadResult {
  const rows = parseCsv(content, 'card-load file');
  const problems: string[] = [];
  if (rows[0]?.[0] !== 'H') problems.push('first record is not a header (H)');
  const trailers = rows.filter((r) => r[0] === 'T');
  if (trailers.length !== 1 || rows[rows.length - 1]?.[0] !== 'T') problems.push('exactly one trailer (T) must end the file');
  const credits: ReadCredit[] = [];
  rows.forEach((r, i) => {
    if (r[0] === 'H' || r[0] === 'T') return;
    if (r[0] !== 'D' || r.length !== 5) {
      problems.push(`record ${i + 1}: not a detail record of 5 fields`);
      return;
    }
    const pence = integerPence(r[2], `record ${i + 1} amount_pence`);
    if (decimalToPence(r[3], `record ${i + 1} amount_gbp`) !== pence) problems.push(`record ${i + 1}: pence and pounds disagree`);
    if (pence <= 0n) problems.push(`record ${i + 1}: amount is not positive`);
    credits.push({ ref: r[4], accountRef: r[1], amountPence: pence });
  });
  const totalPence = sumPence(credits.map((c) => c.amountPence));
  const declared: ReadResult['declared'] = {};
  const t = trailers[0];
  if (t) {
    declared.records = /^\d+$/.test(t[1] ?? '') ? Number(t[1]) : undefined;
    declared.totalPence = integerPence(t[2] ?? '', 'trailer total pence');
    if (decimalToPence(t[3] ?? '', 'trailer total pounds') !== declared.totalPence) problems.push('trailer pence and pounds disagree');
    if (declared.records !== credits.length) problems.push('trailer count does not equal the detail records');
    if (declared.totalPence !== totalPence) problems.push('trailer total does not equal the detail records');
  }
  return { format: 'CARDLOAD', records: credits.length, totalPence, credits, declared, problems };
}
