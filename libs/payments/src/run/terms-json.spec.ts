/**
 * The DP's terms document (direct_payment.terms) has one type, TermsJson, and one codec: what the
 * import writes (the object codec and the text the import copies) reads back to the same terms,
 * and the payment run's load reads it to the same terms (the rules read the care record's model).
 */
import fc from 'fast-check';
import { fromDayNumber, toDayNumber } from '@dpb/common';
import { SUSPENSION_REASONS } from '@dpb/care-records/model';
import { type DpTerms, termsFromJson, termsJsonText, termsToJson } from '@dpb/care-records/terms-json';
import { calcFromTerms } from './load';

const date = fc.integer({ min: toDayNumber('2000-01-01'), max: toDayNumber('2099-12-31') }).map(fromDayNumber);
const pence = fc.bigInt({ min: 0n, max: 10n ** 15n });
const terms: fc.Arbitrary<DpTerms> = fc.record({
  rates: fc.array(fc.record({ from: date, weeklyGrossPence: pence })),
  contributions: fc.array(fc.record({ from: date, weeklyPence: pence })),
  suspensions: fc.array(fc.record({ from: date, to: fc.option(date, { nil: null }), reason: fc.constantFrom(...SUSPENSION_REASONS) })),
  oneOffs: fc.array(fc.record({ id: fc.string(), payDate: date, amountPence: pence, reason: fc.string() })),
  splits: fc.array(fc.record({ partner: fc.string(), from: date, healthBasisPoints: fc.bigInt({ min: 0n, max: 10000n }) })),
});

describe('the DP terms document', () => {
  it('reads back the terms it was written from, as an object and as the text the import copies', () => {
    fc.assert(
      fc.property(terms, (t) => {
        const doc = termsToJson(t);
        expect(termsFromJson(doc)).toEqual(t);
        expect(JSON.parse(termsJsonText(t))).toEqual(doc);
      }),
    );
  });

  it('is what the payment run loads: the same terms, around the DP\'s own fields', () => {
    fc.assert(
      fc.property(terms, (t) => {
        const calc = calcFromTerms({
          dp_id: 'DP1', frequency: 'WEEKLY', basis: 'NET', funding_stream: 'LA', start_date: '2026-01-05', end_date: null, date_of_death: null,
          terms: JSON.parse(termsJsonText(t)),
        });
        expect(calc).toEqual({
          dpId: 'DP1', frequency: 'WEEKLY', basis: 'NET', fundingStream: 'LA', start: '2026-01-05', end: null, dateOfDeath: null, ...t,
        });
      }),
    );
  });
});
