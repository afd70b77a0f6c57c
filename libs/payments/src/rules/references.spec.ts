import { endToEndId, isValidEndToEndId, isValidPaymentRef, parsePaymentRef, paymentRef } from './references';

describe('references', () => {
  it('builds Bacs-safe payment refs: council + 6-char base-36 sequence', () => {
    // 2239 = 1 x 36^2 + 26 x 36 + 7 -> "1", "Q", "7" -> 0001Q7 (the manifest example HCC0001Q7)
    expect(paymentRef('HCC', 2239)).toBe('HCC0001Q7');
    expect(paymentRef('HCC', 1)).toBe('HCC000001');
    // 36^6 - 1 = 2176782335 -> ZZZZZZ
    expect(paymentRef('HCC', 2176782335n)).toBe('HCCZZZZZZ');
    expect(() => paymentRef('HCC', 2176782336n)).toThrow(RangeError);
    expect(() => paymentRef('HCC', 0)).toThrow(RangeError);
    expect(() => paymentRef('hcc', 1)).toThrow(RangeError);
    expect(paymentRef('ABCDEFGHIJKL', 1)).toHaveLength(18);
  });

  it('is one-to-one per council', () => {
    const seen = new Set<string>();
    for (let n = 1; n <= 5000; n++) {
      const ref = paymentRef('HCC', n);
      expect(isValidPaymentRef(ref)).toBe(true);
      expect(parsePaymentRef('HCC', ref)).toBe(BigInt(n));
      seen.add(ref);
    }
    expect(seen.size).toBe(5000);
  });

  it('validates the Bacs character set and length', () => {
    expect(isValidPaymentRef('A-Z 0.9&/')).toBe(true);
    expect(isValidPaymentRef('lowercase')).toBe(false);
    expect(isValidPaymentRef('X'.repeat(19))).toBe(false);
    expect(isValidPaymentRef('HCC_1')).toBe(false);
  });

  it('builds EndToEndIds of at most 35 characters', () => {
    expect(endToEndId('HCC-20261209-1', 17)).toBe('HCC-20261209-1-17');
    expect(isValidEndToEndId('HCC-20261209-1-17')).toBe(true);
    expect(isValidEndToEndId('X'.repeat(36))).toBe(false);
    // 12 + 1 + 8 + 1 + 6 + 1 + 6 = 35 characters
    expect(endToEndId('ABCDEFGHIJKL-20261209-999999', 999999)).toHaveLength(35);
    expect(() => endToEndId('ABCDEFGHIJKL-20261209-999999', 1000000)).toThrow(/35/);
    expect(() => endToEndId('not a run', 1)).toThrow(RangeError);
  });
});
