import { formatPence, parsePercentToBasisPoints, parsePounds, roundHalfUpDiv, penceToJson } from './money';

describe('money', () => {
  it('parses decimal pounds exactly', () => {
    expect(parsePounds('150.00')).toBe(15000n);
    expect(parsePounds('7.5')).toBe(750n);
    expect(parsePounds('0012.50')).toBe(1250n);
    expect(parsePounds('-3.10')).toBe(-310n);
    expect(parsePounds('12345678901.10')).toBe(1234567890110n);
  });
  it('rejects more than two places and non-numbers', () => {
    for (const bad of ['1.234', '1e3', 'abc', '', '1,000.00', '.5', '0x10']) {
      expect(() => parsePounds(bad)).toThrow(RangeError);
    }
  });
  it('parses percentages with at most two places into basis points, at most 100', () => {
    expect(parsePercentToBasisPoints('50.00')).toBe(5000n);
    expect(parsePercentToBasisPoints('33.5')).toBe(3350n);
    expect(parsePercentToBasisPoints('100')).toBe(10000n);
    expect(parsePercentToBasisPoints('0.01')).toBe(1n);
    for (const bad of ['100.01', '1.234', '-1', '', '1000', 'abc']) {
      expect(() => parsePercentToBasisPoints(bad)).toThrow(RangeError);
    }
  });
  it('formats pence with two places', () => {
    expect(formatPence(57572n)).toBe('575.72');
    expect(formatPence(-5n)).toBe('-0.05');
    expect(formatPence(0n)).toBe('0.00');
  });
  it('rounds half away from zero', () => {
    // Hampshire: 150.00/week over 31 days = 4650.00/7 = 664.2857 -> 664.29
    expect(roundHalfUpDiv(15000n * 31n, 7n)).toBe(66429n);
    expect(roundHalfUpDiv(5n, 2n)).toBe(3n);
    expect(roundHalfUpDiv(-5n, 2n)).toBe(-3n);
    expect(roundHalfUpDiv(4n, 3n)).toBe(1n);
  });
  it('refuses unsafe JSON numbers', () => {
    expect(penceToJson(123n)).toBe(123);
    expect(() => penceToJson(2n ** 60n)).toThrow(RangeError);
  });
});
