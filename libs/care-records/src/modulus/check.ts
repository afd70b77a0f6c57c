/**
 * UK sort code / account number modulus checking, after Pay.UK (VocaLink) "Validating account
 * numbers - UK modulus checking": MOD10, MOD11, DBLAL and exceptions 1-14, with the scsubtab
 * sort-code substitution of exception 5. Pure: the tables are a parameter.
 *
 * Positions of the 14-digit number `sortCode + accountNumber` are named u v w x y z a b c d e f g h.
 */
import { ModulusTables, rowsForSortCode, WeightRow } from './tables';

export type ModulusStatus =
  /** Passed the checks that apply. */
  | 'pass'
  /** Failed. */
  | 'fail'
  /** No table row covers the sort code: per the spec the account is assumed valid. */
  | 'no-rule'
  /** Exception 6 foreign-currency account: cannot be checked, assumed valid. */
  | 'cannot-check'
  /** Not a 6-digit sort code (hyphens allowed) and an 8-digit account number. */
  | 'invalid-input';

export interface ModulusResult {
  valid: boolean;
  status: ModulusStatus;
}

const A = 6;
const B = 7;
const C = 8;
const G = 12;
const H = 13;
const EX2_WEIGHTS_A = [0, 0, 1, 2, 5, 3, 6, 4, 8, 7, 10, 9, 3, 1];
const EX2_WEIGHTS_B = [0, 0, 0, 0, 0, 0, 0, 0, 8, 7, 10, 9, 3, 1];

function toDigits(s: string): number[] {
  return Array.from(s, (ch) => ch.charCodeAt(0) - 48);
}

function weightedTotal(method: WeightRow['method'], weights: readonly number[], d: number[]): number {
  let total = 0;
  for (let i = 0; i < 14; i++) {
    const p = d[i] * weights[i];
    if (method === 'DBLAL') {
      // DBLAL adds the individual digits of each product.
      let q = Math.abs(p);
      while (q > 0) {
        total += q % 10;
        q = Math.floor(q / 10);
      }
    } else {
      total += p;
    }
  }
  return total;
}

const mod = (n: number, m: number) => ((n % m) + m) % m;

/** Runs the check for one row (with that row's exception applied). */
function runRow(tables: ModulusTables, row: WeightRow, sortCode: string, account: string): boolean {
  let sc = sortCode;
  if (row.exception === 5) sc = tables.substitutions.get(sortCode) ?? sortCode;
  else if (row.exception === 8) sc = '090126';
  else if (row.exception === 9) sc = '309634';
  const d = toDigits(sc + account);
  let weights = row.weights.slice();

  if (row.exception === 2 && d[A] !== 0) weights = d[G] === 9 ? EX2_WEIGHTS_B : EX2_WEIGHTS_A;
  const zeroUtoB =
    (row.exception === 7 && d[G] === 9) ||
    // Exception 10: if ab = 09 or 99 and g = 9, zeroise weights u-b.
    (row.exception === 10 && d[G] === 9 && d[B] === 9 && (d[A] === 0 || d[A] === 9));
  if (zeroUtoB) for (let i = 0; i <= B; i++) weights[i] = 0;

  let total = weightedTotal(row.method, weights, d);
  if (row.exception === 1) total += 27;
  const m = row.method === 'MOD11' ? 11 : 10;

  if (row.exception === 4) return mod(total, 11) === d[G] * 10 + d[H];
  if (row.exception === 5) {
    if (row.method === 'DBLAL') {
      const r = mod(total, 10);
      return r === 0 ? d[H] === 0 : 10 - r === d[H];
    }
    const r = mod(total, 11);
    if (r === 0) return d[G] === 0;
    if (r === 1) return false;
    return 11 - r === d[G];
  }
  if (mod(total, m) === 0) return true;
  if (row.exception === 14) {
    if (d[H] !== 0 && d[H] !== 1 && d[H] !== 9) return false;
    const shifted = '0' + account.slice(0, 7);
    return mod(weightedTotal(row.method, weights, toDigits(sortCode + shifted)), 11) === 0;
  }
  return false;
}

/**
 * Checks a sort code and 8-digit account number against the tables.
 * `valid` is true for `pass`, `no-rule` and `cannot-check`.
 */
export function checkBankAccount(
  tables: ModulusTables,
  sortCodeInput: string,
  accountNumber: string,
): ModulusResult {
  const sortCode = /^\d{2}-\d{2}-\d{2}$/.test(sortCodeInput)
    ? sortCodeInput.replace(/-/g, '')
    : sortCodeInput;
  if (!/^\d{6}$/.test(sortCode) || !/^\d{8}$/.test(accountNumber)) {
    return { valid: false, status: 'invalid-input' };
  }
  const rows = rowsForSortCode(tables, sortCode);
  if (rows.length === 0) return { valid: true, status: 'no-rule' };
  const d = toDigits(sortCode + accountNumber);
  const result = (ok: boolean): ModulusResult => ({ valid: ok, status: ok ? 'pass' : 'fail' });

  if (rows.some((r) => r.exception === 6) && d[A] >= 4 && d[A] <= 8 && d[G] === d[H]) {
    return { valid: true, status: 'cannot-check' };
  }
  const [first, second] = rows;
  const firstOk = runRow(tables, first, sortCode, accountNumber);
  if (!second) return result(firstOk);

  const pair = `${first.exception ?? 0}/${second.exception ?? 0}`;
  // Exceptions 2 & 9, 10 & 11, 12 & 13: the account is valid if either check passes.
  if (pair === '2/9' || pair === '10/11' || pair === '12/13') {
    return result(firstOk || runRow(tables, second, sortCode, accountNumber));
  }
  // Exception 3: if c = 6 or 9 the second (double alternate) check is not carried out.
  if (second.exception === 3 && (d[C] === 6 || d[C] === 9)) return result(firstOk);
  // Default (and exception 5): both checks must pass.
  return result(firstOk && runRow(tables, second, sortCode, accountNumber));
}
