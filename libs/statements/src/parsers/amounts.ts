import { ParseError, ParseErrorInfo } from './errors';

/**
 * ISO 4217 minor-unit exponents that differ from 2. Everything else (GBP, EUR, USD, CHF, SEK,
 * HUF, PLN, DEM, ...) has 2. Amounts are always integer minor units of their own currency.
 */
const EXPONENT: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function currencyExponent(currency: string | null | undefined): number {
  if (!currency) return 2;
  return EXPONENT[currency.toUpperCase()] ?? 2;
}

const DECIMAL = /^(\d+)(?:[.,](\d*))?$/;

/**
 * Parses an unsigned decimal amount (`8.85`, `474.4`, `100`, `18.150`, MT940 `9,` / `620,3`)
 * into integer minor units of `currency`, digit by digit. Extra decimals beyond the currency's
 * exponent are accepted only when they are zeros (`18.150` EUR = 1815); a non-zero digit
 * there would need rounding, and we never round money silently: AMOUNT_PRECISION.
 */
export function parseDecimalMinor(
  text: string,
  currency: string | null | undefined,
  where: ParseErrorInfo & { field: string },
): bigint {
  const { field } = where;
  const info: ParseErrorInfo = where;
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new ParseError('BAD_AMOUNT', `${field} is not a decimal amount`, info);
  const exp = currencyExponent(currency);
  const whole = m[1];
  const frac = m[2] ?? '';
  if (whole.length > 18) throw new ParseError('BAD_AMOUNT', `${field} has too many digits`, info);
  const kept = frac.slice(0, exp);
  const dropped = frac.slice(exp);
  if (/[1-9]/.test(dropped)) {
    throw new ParseError(
      'AMOUNT_PRECISION',
      `${field} has more decimals than its currency allows (non-zero digits would need rounding)`,
      info,
    );
  }
  return BigInt(whole) * 10n ** BigInt(exp) + BigInt(kept.padEnd(exp, '0') || '0');
}

/** Parses a signed integer in minor units (`-1250`, `+000123`, `0`). */
export function parseIntegerMinor(text: string, where: ParseErrorInfo & { field: string }): bigint {
  const { field } = where;
  const info: ParseErrorInfo = where;
  const t = text.trim();
  if (!/^[+-]?\d{1,19}$/.test(t)) throw new ParseError('BAD_AMOUNT', `${field} is not an integer amount`, info);
  return BigInt(t.startsWith('+') ? t.slice(1) : t);
}
