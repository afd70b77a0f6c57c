/**
 * The calc_basis document carries the care record's terms document (TermsJson): a stored input
 * reads back to the input it was written from, and documents stored in the first shape (the rules'
 * type, bigints as strings, before `terms`) still read to the same input.
 */
import fc from 'fast-check';
import { fromDayNumber, toCanonical, toDayNumber } from '@dpb/common';
import { BASES, FREQUENCIES, FUNDING_STREAMS, SUSPENSION_REASONS } from '@dpb/care-records/model';
import { termsFromJson, termsJsonText } from '@dpb/care-records/terms-json';
import type { DirectPaymentForCalc } from '../rules';
import { calcFromJson, calcToJson } from './calc-basis';

const date = fc.integer({ min: toDayNumber('2000-01-01'), max: toDayNumber('2099-12-31') }).map(fromDayNumber);
const pence = fc.bigInt({ min: 0n, max: 10n ** 15n });
const input: fc.Arbitrary<DirectPaymentForCalc> = fc.record({
  dpId: fc.string({ minLength: 1 }),
  frequency: fc.constantFrom(...FREQUENCIES),
  basis: fc.constantFrom(...BASES),
  fundingStream: fc.constantFrom(...FUNDING_STREAMS),
  start: date,
  end: fc.option(date, { nil: null }),
  dateOfDeath: fc.option(date, { nil: null }),
  rates: fc.array(fc.record({ from: date, weeklyGrossPence: pence })),
  contributions: fc.array(fc.record({ from: date, weeklyPence: pence })),
  splits: fc.array(fc.record({ partner: fc.string(), from: date, healthBasisPoints: fc.bigInt({ min: 0n, max: 10000n }) })),
  suspensions: fc.array(fc.record({ from: date, to: fc.option(date, { nil: null }), reason: fc.constantFrom(...SUSPENSION_REASONS) })),
  oneOffs: fc.array(fc.record({ id: fc.string(), payDate: date, amountPence: pence, reason: fc.string() })),
});

/** As jsonb gives it back: through JSON text. */
const stored = (doc: unknown): unknown => JSON.parse(JSON.stringify(doc));

describe('the calc_basis document', () => {
  it('reads back the calculation input it was written from', () => {
    fc.assert(fc.property(input, (c) => expect(calcFromJson(stored(calcToJson(c)))).toEqual(c)));
  });

  it('holds the care record terms document: the same text the import writes for those terms', () => {
    fc.assert(
      fc.property(input, (c) => {
        const { terms } = calcToJson(c);
        expect(JSON.parse(termsJsonText(termsFromJson(terms)))).toEqual(terms);
      }),
    );
  });

  it('reads a document stored in the first shape (the input as canonical JSON) to the same input', () => {
    fc.assert(fc.property(input, (c) => expect(calcFromJson(stored(toCanonical(c)))).toEqual(c)));
  });

  it('reads a first-shape document without its optional fields (no end, no terms lists) as empty', () => {
    const c = calcFromJson({ dpId: 'DP1', frequency: 'MONTHLY', basis: 'NET', fundingStream: 'LA', start: '2026-04-01' });
    expect(c).toEqual({
      dpId: 'DP1', frequency: 'MONTHLY', basis: 'NET', fundingStream: 'LA', start: '2026-04-01', end: null, dateOfDeath: null,
      rates: [], contributions: [], suspensions: [], oneOffs: [], splits: [],
    });
  });
});
