/**
 * The finance files' date forms, as thin calls into common's civil dates: this module only turns
 * a bad date into a FinanceFileError naming the field (never the value).
 */
import { dayOfYear as commonDayOfYear, fromBacsJulian as commonFromBacsJulian, isCivilDate, toBacsJulian, toCompact } from '@dpb/common';
import { FinanceFileError } from './errors';

const CIVIL = /^\d{4}-\d{2}-\d{2}$/;

export interface CivilParts {
  year: number;
  month: number;
  day: number;
}

function checked(date: string, field: string): string {
  if (!CIVIL.test(date)) throw new FinanceFileError('INVALID_CIVIL_DATE', `${field} is not YYYY-MM-DD`);
  if (!isCivilDate(date)) throw new FinanceFileError('INVALID_CIVIL_DATE', `${field} is not a calendar date`);
  return date;
}

/** Parses and checks a civil date; `field` names it in the error. */
export function civilParts(date: string, field: string): CivilParts {
  checked(date, field);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** `2026-12-09` -> `20261209`. */
export function compactDate(date: string, field: string): string {
  return toCompact(checked(date, field));
}

/** Day of the year, 1 = 1 January. */
export function dayOfYear(date: string, field: string): number {
  return commonDayOfYear(checked(date, field));
}

/** Bacs Julian form ` YYDDD` (leading space): `2026-12-10` -> ` 26344`. */
export function bacsJulian(date: string, field: string): string {
  return toBacsJulian(checked(date, field));
}

/** Inverse of bacsJulian for years 2000-2099: ` 26344` -> `2026-12-10`. */
export const fromBacsJulian = commonFromBacsJulian;
