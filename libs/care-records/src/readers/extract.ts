/**
 * Reader + validator pipelines. `processExtract` streams canonical records to a visitor (for
 * batching into COPY); `collectExtract` keeps everything in memory (tests, small files).
 *
 * A file may be applied only when the returned summary has `ok: true`: records handed to the
 * visitor before a later error (e.g. a trailer mismatch) must be discarded with the file.
 */
import { Readable } from 'node:stream';
import { DirectPayment, ExtractRecord, Payee, Person } from '../model';
import { ExtractValidator, ValidationSummary, ValidatorOptions } from '../validation/validator';
import { CsvReadOptions, readMosaicCsv } from './csv';
import { RawRecord } from './raw';
import { readMosaicXml, XmlReadOptions } from './xml';

export interface ProcessOptions extends ValidatorOptions {
  /** Called with each record that passed its own field rules, in file order. */
  onRecord?: (record: ExtractRecord) => void | Promise<void>;
}

export async function processExtract(
  raw: AsyncIterable<RawRecord>,
  options: ProcessOptions = {},
): Promise<ValidationSummary> {
  const validator = new ExtractValidator(options);
  for await (const r of raw) {
    const rec = validator.accept(r);
    if (rec && options.onRecord) await options.onRecord(rec);
  }
  return validator.finish();
}

export interface ParsedExtract extends ValidationSummary {
  persons: Person[];
  payees: Payee[];
  directPayments: DirectPayment[];
}

export async function collectExtract(
  raw: AsyncIterable<RawRecord>,
  options: ValidatorOptions = {},
): Promise<ParsedExtract> {
  const persons: Person[] = [];
  const payees: Payee[] = [];
  const directPayments: DirectPayment[] = [];
  const summary = await processExtract(raw, {
    ...options,
    onRecord: (r) => {
      if (r.type === 'person') persons.push(r.person);
      else if (r.type === 'payee') payees.push(r.payee);
      else if (r.type === 'directPayment') directPayments.push(r.directPayment);
    },
  });
  return { ...summary, persons, payees, directPayments };
}

/** Convenience for tests and small files: parse and validate a whole XML extract. */
export function readMosaicXmlAll(
  xml: Buffer | string,
  options: XmlReadOptions & ValidatorOptions = {},
): Promise<ParsedExtract> {
  return collectExtract(readMosaicXml(Readable.from([xml]), options), options);
}

/** Convenience for tests and small files: parse and validate a CSV folder or zip. */
export function readMosaicCsvAll(
  source: string,
  options: CsvReadOptions & ValidatorOptions = {},
): Promise<ParsedExtract> {
  return collectExtract(readMosaicCsv(source, options), options);
}
