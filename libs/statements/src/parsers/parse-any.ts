import type { NormalisedFile } from '../model';
import { parseBai2, Bai2Options } from './bai2/bai2-parser';
import { CamtOptions, parseCamt } from './camt/camt-parser';
import { CardCsvOptions, parseCardCsv } from './cards/card-csv';
import { detectFormat } from './detect';
import { ParseError } from './errors';
import { Mt940Options, parseMt940 } from './mt940/mt940-parser';

export interface ParseStatementOptions {
  camt?: CamtOptions;
  mt940?: Mt940Options;
  bai2?: Bai2Options;
  cards?: CardCsvOptions;
}

/** Detects a bank/card file's format and parses it (Mosaic files are not statements: refused). */
export function parseStatementFile(input: Buffer, fileName?: string, opts: ParseStatementOptions = {}): NormalisedFile {
  const format = detectFormat(input.subarray(0, 8192), fileName);
  switch (format) {
    case 'camt.053':
    case 'camt.054':
      return parseCamt(input, opts.camt);
    case 'mt940':
      return parseMt940(input, opts.mt940);
    case 'bai2':
      return parseBai2(input, opts.bai2);
    case 'cards-csv':
      return parseCardCsv(input, opts.cards);
    default:
      throw new ParseError('UNKNOWN_FORMAT', format ? 'file is a care-record export, not a statement' : 'file format not recognised');
  }
}
