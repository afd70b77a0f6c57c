/** Civil-date helpers (pure arithmetic on `YYYY-MM-DD`, no clock, no time zone). */
import { FinanceFileError } from './errors';

const CIVIL = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export interface CivilParts {
  year: number;
  month: number;
  day: number;
}

/** Parses and checks a civil date; `field` names it in the error. */
export function civilParts(date: string, field: string): CivilParts {
  const m = CIVIL.exec(date);
  if (!m) throw new FinanceFileError('INVALID_CIVIL_DATE', `${field} is not YYYY-MM-DD`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const monthDays = month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
  if (month < 1 || month > 12 || day < 1 || monthDays === undefined || day > monthDays) {
    throw new FinanceFileError('INVALID_CIVIL_DATE', `${field} is not a calendar date`);
  }
  return { year, month, day };
}

/** `2026-12-09` -> `20261209`. */
export function compactDate(date: string, field: string): string {
  civilParts(date, field);
  return date.replace(/-/g, '');
}

/** Day of the year, 1 = 1 January. */
export function dayOfYear(date: string, field: string): number {
  const { year, month, day } = civilParts(date, field);
  let n = day;
  for (let m = 1; m < month; m++) n += m === 2 && isLeap(year) ? 29 : MONTH_DAYS[m - 1];
  return n;
}

/** Bacs Julian form ` YYDDD` (leading space): `2026-12-10` -> ` 26344`. */
export function bacsJulian(date: string, field: string): string {
  const { year } = civilParts(date, field);
  const yy = String(year % 100).padStart(2, '0');
  const ddd = String(dayOfYear(date, field)).padStart(3, '0');
  return ` ${yy}${ddd}`;
}

/** Inverse of bacsJulian for years 2000-2099: ` 26344` -> `2026-12-10`. */
export function fromBacsJulian(text: string): string | undefined {
  const m = /^ (\d{2})(\d{3})$/.exec(text);
  if (!m) return undefined;
  const year = 2000 + Number(m[1]);
  let ddd = Number(m[2]);
  if (ddd < 1 || ddd > (isLeap(year) ? 366 : 365)) return undefined;
  let month = 1;
  for (; month <= 12; month++) {
    const len = month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
    if (ddd <= len) break;
    ddd -= len;
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(ddd).padStart(2, '0')}`;
}
