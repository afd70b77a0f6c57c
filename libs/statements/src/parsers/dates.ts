/**
 * The statement formats' date forms (MT940 and BAI2 `YYMMDD`, MT940 `MMDD` entry dates, camt ISO
 * dates and date-times) as thin calls into common's civil dates; this module adds only the banks'
 * tolerances and the ParseError naming the field.
 */
import { civilDate, daysInMonth, expandTwoDigitYear, isCivilDate, toDayNumber } from '@dpb/common';
import { ParseError, ParseErrorInfo } from './errors';

/**
 * The civil date of an ISO 8601 date or date-time as written (`2014-12-31`,
 * `2014-12-31T13:15:00+01:00`, `2025-07-23T00:00:00.000000000`, `2019-05-13+02:00`): the first
 * ten characters, validated. A bank's DtTm is read as the date in the bank's own offset.
 */
export function isoDatePart(text: string, where: ParseErrorInfo & { field: string }): string {
  const { field } = where;
  const info: ParseErrorInfo = where;
  const t = text.trim();
  const d = t.slice(0, 10);
  const rest = t.slice(10);
  if (!isCivilDate(d) || !(rest === '' || /^(T|[+-]\d{2}:\d{2}$|Z$)/.test(rest))) {
    throw new ParseError('BAD_DATE', `${field} is not an ISO date`, info);
  }
  return d;
}

export interface YymmddResult {
  date: string;
  /** true when an impossible day (e.g. 30 February) was moved to the month's last day. */
  adjusted: boolean;
}

/**
 * `YYMMDD` -> civil date. A day past the month's end (banks' 30-day-month value dates, e.g.
 * 160230) is moved to the last day of that month and reported as adjusted; a month outside
 * 1..12 or day 0 is rejected.
 */
export function yymmdd(text: string, where: ParseErrorInfo & { field: string }): YymmddResult {
  const { field } = where;
  const info: ParseErrorInfo = where;
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new ParseError('BAD_DATE', `${field} is not YYMMDD`, info);
  return fromParts(expandTwoDigitYear(+m[1]), +m[2], +m[3], field, info);
}

function fromParts(y: number, mo: number, d: number, field: string, info: ParseErrorInfo): YymmddResult {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) throw new ParseError('BAD_DATE', `${field} is not a date`, info);
  const last = daysInMonth(y, mo);
  return d > last ? { date: civilDate(y, mo, last), adjusted: true } : { date: civilDate(y, mo, d), adjusted: false };
}

/**
 * An `MMDD` entry date next to a known full date: the year is the one (of the reference year
 * and its neighbours) that puts the entry date closest to the reference date, so a December
 * value date with a January entry date rolls into the next year and vice versa.
 */
export function mmddNear(text: string, reference: string, where: ParseErrorInfo & { field: string }): YymmddResult {
  const { field } = where;
  const info: ParseErrorInfo = where;
  const m = /^(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new ParseError('BAD_DATE', `${field} is not MMDD`, info);
  const refY = +reference.slice(0, 4);
  const refDay = toDayNumber(reference);
  let best: YymmddResult | null = null;
  let bestDist = Infinity;
  for (const y of [refY - 1, refY, refY + 1]) {
    const r = fromParts(y, +m[1], +m[2], field, info);
    const dist = Math.abs(toDayNumber(r.date) - refDay);
    if (dist < bestDist) {
      best = r;
      bestDist = dist;
    }
  }
  return best as YymmddResult;
}
