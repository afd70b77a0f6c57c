/** Decimal amount parsing for the readers: digit by digit, never via floating point. */
import { FinanceFileError } from './errors';

const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d{1,17}))?$/;

/**
 * Parses a decimal amount in major units (`575.72`, `6`, `18.150`, `-30.00`) into pence.
 * Places beyond the second must be zeros: a sub-penny amount is refused, not rounded.
 */
export function decimalToPence(text: string, field: string): bigint {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new FinanceFileError('INVALID_AMOUNT', `${field} is not a decimal amount`);
  const [, sign, whole, frac = ''] = m;
  if (/[^0]/.test(frac.slice(2))) {
    throw new FinanceFileError('SUB_PENNY_AMOUNT', `${field} has non-zero places beyond pence`);
  }
  const pence = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  return sign ? -pence : pence;
}

/** Parses a string of digits (optionally signed) into pence. */
export function integerPence(text: string, field: string): bigint {
  if (!/^-?\d{1,18}$/.test(text.trim())) {
    throw new FinanceFileError('INVALID_AMOUNT', `${field} is not an integer amount in pence`);
  }
  return BigInt(text.trim());
}

/**
 * `formatPence` without bigint division: one exact bigint -> digits conversion, then the point
 * is placed by string slicing (`57572n` -> `575.72`, `-5n` -> `-0.05`, `0n` -> `0.00`).
 */
export function penceText(pence: bigint): string {
  const neg = pence < 0n;
  let digits = (neg ? -pence : pence).toString();
  if (digits.length < 3) digits = digits.padStart(3, '0');
  const text = `${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return neg ? `-${text}` : text;
}
