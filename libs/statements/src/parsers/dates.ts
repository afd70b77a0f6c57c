import { ParseError, ParseErrorInfo } from './errors';

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function civil(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isCivilDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

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

/** Two-digit SWIFT/BAI years: 00-79 -> 20xx, 80-99 -> 19xx. */
export function expandYear(yy: number): number {
  return yy < 80 ? 2000 + yy : 1900 + yy;
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
  return fromParts(expandYear(+m[1]), +m[2], +m[3], field, info);
}

function fromParts(y: number, mo: number, d: number, field: string, info: ParseErrorInfo): YymmddResult {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) throw new ParseError('BAD_DATE', `${field} is not a date`, info);
  const last = daysInMonth(y, mo);
  return d > last ? { date: civil(y, mo, last), adjusted: true } : { date: civil(y, mo, d), adjusted: false };
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
  const refDay = dayNumber(reference);
  let best: YymmddResult | null = null;
  let bestDist = Infinity;
  for (const y of [refY - 1, refY, refY + 1]) {
    const r = fromParts(y, +m[1], +m[2], field, info);
    const dist = Math.abs(dayNumber(r.date) - refDay);
    if (dist < bestDist) {
      best = r;
      bestDist = dist;
    }
  }
  return best as YymmddResult;
}

/** Days since 1970-01-01 for a civil date (pure integer arithmetic, no Date). */
export function dayNumber(date: string): number {
  return daysFromCivil(+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10));
}

/** Days since 1970-01-01 for year, month (1-12), day (proleptic Gregorian; integer arithmetic). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = year - (month <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
