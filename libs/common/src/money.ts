/**
 * Money is integer pence as `bigint`. Decimal strings are parsed digit by digit, never through
 * binary floating point.
 */
export type Pence = bigint;

const POUNDS = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Parses decimal pounds with at most two places (`150.00`, `7.5`, `-3.10`) into pence. */
export function parsePounds(text: string): Pence {
  const m = POUNDS.exec(text.trim());
  if (!m) throw new RangeError('not a decimal amount with at most 2 places');
  const [, sign, whole, frac = ''] = m;
  const pence = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  return sign ? -pence : pence;
}

/**
 * Parses a percentage with at most 2 decimals ("50.00", "33.5", "100") into basis points
 * (50.00% = 5000n), digit by digit; above 100 is an error.
 */
export function parsePercentToBasisPoints(text: string): bigint {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new RangeError('not a percentage with at most 2 decimals');
  const bp = BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (bp > 10000n) throw new RangeError('percentage above 100');
  return bp;
}

/** True when `text` is a decimal amount parsePounds accepts. */
export function isPounds(text: string): boolean {
  return POUNDS.test(text.trim());
}

/** Formats pence as decimal pounds with exactly two places: 57572n -> "575.72", -5n -> "-0.05". */
export function formatPence(pence: Pence): string {
  const neg = pence < 0n;
  const abs = neg ? -pence : pence;
  const whole = abs / 100n;
  const frac = (abs % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

/**
 * Integer division rounding half away from zero (round-half-up on magnitudes), as councils
 * round pence: roundHalfUpDiv(465000n, 7n) = 66429n (664.2857... -> 664.29).
 */
export function roundHalfUpDiv(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const neg = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return neg ? -q : q;
}

export function sumPence(values: Iterable<Pence>): Pence {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/** Converts pence to a JSON number, refusing values outside the exactly representable range. */
export function penceToJson(pence: Pence): number {
  if (pence > BigInt(Number.MAX_SAFE_INTEGER) || pence < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('amount outside the safe integer range');
  }
  return Number(pence);
}

export function maxPence(a: Pence, b: Pence): Pence {
  return a > b ? a : b;
}
export function minPence(a: Pence, b: Pence): Pence {
  return a < b ? a : b;
}
