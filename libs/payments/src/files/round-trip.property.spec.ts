/**
 * Property: for any valid run (random amounts, including negative adjustment lines netted into
 * a positive credit), every format re-reads to the input's credits, count and total, and the
 * file's own controls agree. Totals are checked against a sum computed here from the input.
 */
import fc from 'fast-check';
import { sampleRun } from './__fixtures__/sample-run';
import type { Credit, CreditLine, PaymentFormat, PostingFormat } from './model';
import { readWrittenFile, writeRunFiles } from './run-files';

const creditArb = (i: number) =>
  fc.tuple(fc.bigInt({ min: 1n, max: 9_999_999_999n }), fc.bigInt({ min: 0n, max: 99_999n }), fc.boolean())
    .map(([amount, adjustment, card]): [Credit, boolean] => {
      const ref = `R${String(i).padStart(5, '0')}`;
      const line = { dpId: `DP${i}`, periodStart: '2026-12-14', periodEnd: '2027-01-10', costCentre: 'CC1', glAccount: '520100' };
      return [{
        paymentRef: ref, endToEndId: `E2E-${ref}`, payeeId: `PY${i}`, vendorNo: `V${i}`, sortCode: '200415',
        accountNumber: String(10_000_000 + i), accountName: `Payee ${i}`, amountPence: amount,
        lines: ([
          { ...line, kind: 'REGULAR', payablePence: amount + adjustment },
          { ...line, kind: 'ADJUSTMENT', payablePence: -adjustment },
        ] as CreditLine[]).filter((l) => l.payablePence !== 0n || l.kind === 'REGULAR'),
      }, card];
    });

const runArb = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => creditArb(i + 1))));

describe('round trip property', () => {
  it('all formats re-read to the input credits and totals', () => {
    fc.assert(
      fc.property(runArb, (pairs) => {
        const input = sampleRun();
        input.credits = pairs.map(([c]) => c);
        input.cardLoads = pairs.filter(([, card]) => card).map(([c]) => ({
          provider: 'ALLPAY', accountRef: `AC${c.payeeId}`, payeeId: c.payeeId, amountPence: c.amountPence, reference: c.paymentRef,
        }));
        let total = 0n;
        for (const c of input.credits) total += c.amountPence;
        const formats: Array<[PostingFormat, PaymentFormat]> = [['SAP_IDOC', 'BACS_STD18'], ['SAP_CSV', 'PAIN001']];
        for (const [postingFormat, paymentFormat] of formats) {
          const files = writeRunFiles(input, { postingFormat, paymentFormat });
          for (const f of [files.posting!, files.payment!]) {
            const read = readWrittenFile(f);
            expect(read.problems).toEqual([]);
            expect(read.totalPence).toBe(total);
            expect(read.credits.map((c) => [c.ref, c.amountPence])).toEqual(input.credits.map((c) => [c.paymentRef, c.amountPence]));
          }
          for (const f of files.cardLoads) {
            const read = readWrittenFile(f);
            expect(read.problems).toEqual([]);
            expect(read.totalPence).toBe(input.cardLoads.reduce((a, l) => a + l.amountPence, 0n));
          }
        }
      }),
      { numRuns: 60, seed: 20261209 },
    );
  });
});
