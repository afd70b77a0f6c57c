/**
 * NHS number modulus 11 check (NHS Data Dictionary): weights 10..2 on the first nine digits,
 * check = 11 - (sum mod 11); 11 -> 0; 10 -> the number is invalid; valid when check = 10th digit.
 */
export function isValidNhsNumber(nhsNumber: string): boolean {
  if (!/^\d{10}$/.test(nhsNumber)) return false;
  const check = nhsCheckDigit(nhsNumber.slice(0, 9));
  return check !== null && check === nhsNumber.charCodeAt(9) - 48;
}

/** The check digit for nine digits, or null when the result is 10 (no valid number exists). */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError('nhs number stem must be 9 digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (firstNine.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}
