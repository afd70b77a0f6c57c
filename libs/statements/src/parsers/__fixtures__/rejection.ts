/* Test helper: the ParseError a parse throws (fails the test when it throws nothing or something else). */
import { ParseError } from '../errors';

export function rejectionOf(parse: () => unknown): ParseError {
  try {
    parse();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

export async function asyncRejectionOf(parse: () => Promise<unknown>): Promise<ParseError> {
  try {
    await parse();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}
