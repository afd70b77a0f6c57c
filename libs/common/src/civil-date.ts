/**
 * Civil dates: `YYYY-MM-DD` strings with no time and no zone (dates in Europe/London). All
 * arithmetic goes through an integer day number (days since 1970-01-01, proleptic Gregorian)
 * computed with integer maths, never through a local-time `Date`.
 *
 * The one date module: the file formats' date forms (compact `YYYYMMDD`, the Bacs Julian
 * ` YYDDD`, two-digit years) and the London date of an instant live here too; the finance-file
 * and statement parsers only add their own error types and tolerances around these.
 */
export type CivilDate = string;

const CIVIL = /^(\d{4})-(\d{2})-(\d{2})$/;

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Dates already proven valid. A run checks the same few hundred dates millions of times; the set
 * is bounded and simply starts again when full.
 */
const KNOWN_VALID = new Set<string>();
const KNOWN_VALID_MAX = 200_000;

/** True when `text` is a real calendar date written `YYYY-MM-DD` (years 1000-9999). */
export function isCivilDate(text: unknown): text is CivilDate {
  if (typeof text !== 'string') return false;
  if (KNOWN_VALID.has(text)) return true;
  const ok = checkCivilDate(text);
  if (ok) {
    if (KNOWN_VALID.size >= KNOWN_VALID_MAX) KNOWN_VALID.clear();
    KNOWN_VALID.add(text);
  }
  return ok;
}

function checkCivilDate(text: string): boolean {
  const m = CIVIL.exec(text);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Throws a RangeError naming `field` (never the value) unless `text` is a civil date. */
export function assertCivilDate(text: unknown, field = 'date'): asserts text is CivilDate {
  if (!isCivilDate(text)) throw new RangeError(`${field} is not a valid YYYY-MM-DD date`);
}

/** Year, month (1-12) and day of a civil date. */
export function civilParts(date: CivilDate): { year: number; month: number; day: number } {
  assertCivilDate(date);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** Day numbers already worked out, both ways (bounded like KNOWN_VALID). */
const DAY_NUMBERS = new Map<string, number>();
const DATES = new Map<number, CivilDate>();

/** Days since 1970-01-01 (H. Hinnant's days_from_civil, integer maths only). */
export function toDayNumber(date: CivilDate): number {
  const known = DAY_NUMBERS.get(date);
  if (known !== undefined) return known;
  const n = dayNumberOf(date);
  if (DAY_NUMBERS.size >= KNOWN_VALID_MAX) DAY_NUMBERS.clear();
  DAY_NUMBERS.set(date, n);
  return n;
}

function dayNumberOf(date: CivilDate): number {
  const { year, month, day } = civilParts(date);
  return dayNumberOfParts(year, month, day);
}

/**
 * Days since 1970-01-01 of year, month (1-12), day, unchecked (integer maths only): for readers
 * that have already checked the parts and must not build a string first.
 */
export function dayNumberOfParts(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of toDayNumber (H. Hinnant's civil_from_days). */
export function fromDayNumber(dayNumber: number): CivilDate {
  const known = DATES.get(dayNumber);
  if (known !== undefined) return known;
  const d = dateOf(dayNumber);
  if (DATES.size >= KNOWN_VALID_MAX) DATES.clear();
  DATES.set(dayNumber, d);
  return d;
}

function dateOf(dayNumber: number): CivilDate {
  if (!Number.isInteger(dayNumber)) throw new RangeError('day number must be an integer');
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return civilDate(y, m, d);
}

export function addDays(date: CivilDate, days: number): CivilDate {
  if (!Number.isInteger(days)) throw new RangeError('days must be an integer');
  return fromDayNumber(toDayNumber(date) + days);
}

/** `a - b` in days: diffDays('2026-01-31', '2026-01-01') = 30. */
export function diffDays(a: CivilDate, b: CivilDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

/** ISO weekday of a civil date (1 = Monday). 1970-01-01 was a Thursday (4). */
export function dayOfWeek(date: CivilDate): IsoWeekday {
  const n = toDayNumber(date);
  return (((((n + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

export function isMonday(date: CivilDate): boolean {
  return dayOfWeek(date) === 1;
}

export function isWeekend(date: CivilDate): boolean {
  return dayOfWeek(date) >= 6;
}

/** -1, 0 or 1. Valid civil dates compare correctly as strings; both are validated. */
export function compareDates(a: CivilDate, b: CivilDate): -1 | 0 | 1 {
  assertCivilDate(a);
  assertCivilDate(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(first: CivilDate, ...rest: CivilDate[]): CivilDate {
  return rest.reduce((m, d) => (compareDates(d, m) < 0 ? d : m), (assertCivilDate(first), first));
}

export function maxDate(first: CivilDate, ...rest: CivilDate[]): CivilDate {
  return rest.reduce((m, d) => (compareDates(d, m) > 0 ? d : m), (assertCivilDate(first), first));
}

/** Every date from `from` to `to`, both inclusive; empty when `to` is before `from`. */
export function eachDay(from: CivilDate, to: CivilDate): CivilDate[] {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  const out: CivilDate[] = [];
  for (let n = a; n <= b; n++) out.push(fromDayNumber(n));
  return out;
}

export function startOfMonth(date: CivilDate): CivilDate {
  const { year, month } = civilParts(date);
  return civilDate(year, month, 1);
}

export function endOfMonth(date: CivilDate): CivilDate {
  const { year, month } = civilParts(date);
  return civilDate(year, month, daysInMonth(year, month));
}

/** The first day of the month after the one holding `date`. */
export function startOfNextMonth(date: CivilDate): CivilDate {
  return addDays(endOfMonth(date), 1);
}

/** The Monday on or before `date`. */
export function mondayOnOrBefore(date: CivilDate): CivilDate {
  return addDays(date, 1 - dayOfWeek(date));
}

/** True when `from <= date <= to` (`to` null/undefined = open-ended). */
export function isWithin(date: CivilDate, from: CivilDate, to?: CivilDate | null): boolean {
  return compareDates(from, date) <= 0 && (to == null || compareDates(date, to) <= 0);
}

/** A civil date from its parts, unchecked (`civilDate(2026, 3, 1)` = `2026-03-01`). */
export function civilDate(year: number, month: number, day: number): CivilDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// ------------------------------------------------------------- file formats' date forms

/** `2026-12-09` -> `20261209`; throws a RangeError naming `field` unless a civil date. */
export function toCompact(date: CivilDate, field = 'date'): string {
  assertCivilDate(date, field);
  return date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10);
}

/** `20261209` -> `2026-12-09`, or undefined when not a calendar date written `YYYYMMDD`. */
export function fromCompact(text: string): CivilDate | undefined {
  if (text.length !== 8 || !/^\d{8}$/.test(text)) return undefined;
  const date = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}`;
  return isCivilDate(date) ? date : undefined;
}

/** Day of the year, 1 = 1 January. */
export function dayOfYear(date: CivilDate): number {
  return toDayNumber(date) - toDayNumber(`${date.slice(0, 4)}-01-01`) + 1;
}

/** Bacs Julian form ` YYDDD` (leading space): `2026-12-10` -> ` 26344`. */
export function toBacsJulian(date: CivilDate, field = 'date'): string {
  assertCivilDate(date, field);
  return ` ${date.slice(2, 4)}${String(dayOfYear(date)).padStart(3, '0')}`;
}

/** Inverse of toBacsJulian for years 2000-2099: ` 26344` -> `2026-12-10`; undefined when not one. */
export function fromBacsJulian(text: string): CivilDate | undefined {
  const m = /^ (\d{2})(\d{3})$/.exec(text);
  if (!m) return undefined;
  const year = 2000 + Number(m[1]);
  const ddd = Number(m[2]);
  if (ddd < 1 || ddd > (isLeap(year) ? 366 : 365)) return undefined;
  return fromDayNumber(dayNumberOfParts(year, 1, 1) + ddd - 1);
}

/** Two-digit years as SWIFT and BAI write them: 00-79 -> 20xx, 80-99 -> 19xx. */
export function expandTwoDigitYear(yy: number): number {
  return yy < 80 ? 2000 + yy : 1900 + yy;
}

// ------------------------------------------------------------- London date of an instant

// An ISO 8601 instant with an explicit zone: Z or +hh:mm / -hh:mm.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const LONDON = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function londonDateUncached(epochMs: number): CivilDate {
  const parts = LONDON.formatToParts(epochMs);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const HOUR_MS = 3_600_000;
const HOURS_CACHED = 50_000;
/** UTC hour -> London date of that whole hour (null: the date changes inside the hour). */
const byHour = new Map<number, CivilDate | null>();
let lastHour = NaN;
let lastDate: CivilDate | null = null;

/**
 * The Europe/London civil date of an instant given as epoch milliseconds (GMT/BST through the tz
 * database). The card import asks this for every transaction (a million a file), so the tz
 * database is asked once per UTC hour: London's offsets since 1847 are whole hours and change on
 * the hour, so a UTC hour lies within one London date; an hour whose first and last millisecond
 * fall on different dates (older, odd offsets) is never cached.
 */
export function londonDateOfEpochMs(epochMs: number): CivilDate {
  const hour = Math.floor(epochMs / HOUR_MS);
  if (hour === lastHour && lastDate !== null) return lastDate;
  let date = byHour.get(hour);
  if (date === undefined) {
    const first = londonDateUncached(hour * HOUR_MS);
    date = first === londonDateUncached(hour * HOUR_MS + HOUR_MS - 1) ? first : null;
    if (byHour.size >= HOURS_CACHED) byHour.clear();
    byHour.set(hour, date);
  }
  lastHour = hour;
  lastDate = date;
  return date ?? londonDateUncached(epochMs);
}

/**
 * The Europe/London civil date of an instant (`2026-06-30T23:30:00Z` -> `2026-07-01`, BST).
 * The instant must carry an explicit zone (`Z` or an offset); a zoneless timestamp is refused
 * because its meaning would depend on the machine's zone.
 */
export function londonDateOf(isoInstant: string): CivilDate {
  if (!INSTANT.test(isoInstant)) throw new RangeError('instant is not an ISO 8601 timestamp with a zone');
  const ms = Date.parse(isoInstant);
  if (Number.isNaN(ms)) throw new RangeError('instant is not a valid timestamp');
  const out = londonDateOfEpochMs(ms);
  assertCivilDate(out, 'londonDate');
  return out;
}
