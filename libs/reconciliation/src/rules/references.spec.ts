import fc from 'fast-check';
import { ReferenceIndex, referenceCarries } from './references';

describe('references', () => {
  it('a reference is carried as a whole word, case and spacing aside', () => {
    expect(referenceCarries('DP LOAD hcc00000a ', 'HCC00000A')).toBe(true);
    expect(referenceCarries('HCC-20261209-1-7', 'HCC-20261209-1-7')).toBe(true);
    expect(referenceCarries('X HCC-20261209-1-17', 'HCC-20261209-1-1')).toBe(false);
    expect(referenceCarries('XHCC00000A', 'HCC00000A')).toBe(false);
    expect(referenceCarries(null, 'HCC00000A')).toBe(false);
  });

  it('property: the index finds exactly the texts that carry a reference', () => {
    const piece = fc.constantFrom('HCC', '00', 'A1', '-', ' ', '.', '/', 'x', '7', 'HCC-1', '1-7');
    const text = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 20 }), text, (texts, ref) => {
        const index = new ReferenceIndex(texts.map((t, i) => ({ i, t })), (v) => v.t);
        const want = texts.map((t, i) => ({ i, t })).filter((v) => referenceCarries(v.t, ref)).map((v) => v.i);
        expect(index.carrying(ref).map((v) => v.i)).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });
});
