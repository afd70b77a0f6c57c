/**
 * The finance files' date forms, as thin calls into common's civil dates: this module only turns
 * a bad date into a FinanceFileError naming the field (never the value).
 */
import { dayOfYear as commonDayOfYear, isCivilDate, toBacsJulian, toCompact, type CivilDate } from '@dpb/common';
import { FinanceFileError } from './errors';

const CIVIL = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a civil date (`YYYY-MM-DD`, a calendar day); `field` names it in the error. */
export function checkedCivilDate(date: string, field: string): CivilDate {
  if (!CIVIL.test(date)) throw new FinanceFileError('INVALID_CIVIL_DATE', `${field} is not YYYY-MM-DD`);
  if (!isCivilDate(date)) throw new FinanceFileError('INVALID_CIVIL_DATE', `${field} is not a calendar date`);
  return date;
}

/** `2026-12-09` -> `20261209`. */
export function compactDate(date: string, field: string): string {
  return toCompact(checkedCivilDate(date, field));
}

/** Day of the year, 1 = 1 January. */
export function dayOfYear(date: string, field: string): number {
  return commonDayOfYear(checkedCivilDate(date, field));
}

/** Bacs Julian form ` YYDDD` (leading space): `2026-12-10` -> ` 26344`. */
export function bacsJulian(date: string, field: string): string {
  return toBacsJulian(checkedCivilDate(date, field));
}

/** Inverse of bacsJulian for years 2000-2099: ` 26344` -> `2026-12-10` (common's). */
export { fromBacsJulian } from '@dpb/common';
