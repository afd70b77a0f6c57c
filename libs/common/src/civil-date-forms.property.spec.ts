/**
 * The file formats' date forms in the one civil-date module: each form reads back what it
 * writes, and the integer arithmetic agrees with the platform's UTC calendar and tz database
 * (used here only as the oracle) for any date or instant in range.
 */
import fc from 'fast-check';
import {
  civilDate,
  dayNumberOfParts,
  dayOfYear,
  expandTwoDigitYear,
  fromBacsJulian,
  fromCompact,
  fromDayNumber,
  londonDateOfEpochMs,
  toBacsJulian,
  toCompact,
  toDayNumber,
} from './civil-date';

const DAY_MS = 86_400_000;
/** Any civil date 1900-2199, as a day number. */
const anyDay = fc.integer({ min: toDayNumber('1900-01-01'), max: toDayNumber('2199-12-31') });
const utcDate = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

describe('civil-date forms', () => {
  it('day numbers agree with the UTC calendar, from parts and from text', () => {
    fc.assert(
      fc.property(anyDay, (n) => {
        const d = utcDate(n);
        expect(fromDayNumber(n)).toBe(d);
        expect(dayNumberOfParts(Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8)))).toBe(n);
        expect(civilDate(Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8)))).toBe(d);
      }),
    );
  });

  it('compact YYYYMMDD reads back what it writes, and refuses what is not a calendar date', () => {
    fc.assert(fc.property(anyDay, (n) => expect(fromCompact(toCompact(fromDayNumber(n)))).toBe(fromDayNumber(n))));
    expect(toCompact('2026-12-09')).toBe('20261209');
    for (const bad of ['20270229', '20261301', '2026129', '2026-12-09', '202612AA']) expect(fromCompact(bad)).toBeUndefined();
    expect(() => toCompact('2027-02-29', 'periodEnd')).toThrow('periodEnd is not a valid YYYY-MM-DD date');
  });

  it('Bacs Julian ( YYDDD) reads back what it writes for 2000-2099; day of year counts from 1 January', () => {
    const bacsDay = fc.integer({ min: toDayNumber('2000-01-01'), max: toDayNumber('2099-12-31') });
    fc.assert(
      fc.property(bacsDay, (n) => {
        const d = fromDayNumber(n);
        expect(dayOfYear(d)).toBe(n - toDayNumber(`${d.slice(0, 4)}-01-01`) + 1);
        expect(fromBacsJulian(toBacsJulian(d))).toBe(d);
      }),
    );
    expect(toBacsJulian('2026-12-10')).toBe(' 26344');
    expect(toBacsJulian('2028-12-31')).toBe(' 28366');
    for (const bad of [' 27366', ' 27000', '27001', ' 2700A']) expect(fromBacsJulian(bad)).toBeUndefined();
  });

  it('two-digit years pivot at 80', () => {
    expect([0, 79, 80, 99].map(expandTwoDigitYear)).toEqual([2000, 2079, 1980, 1999]);
  });

  it('the London date of an instant (cached by UTC hour) agrees with the tz database', () => {
    const tz = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(fc.property(fc.integer({ min: -2_200_000_000_000, max: 7_260_000_000_000 }), (ms) => expect(londonDateOfEpochMs(ms)).toBe(tz.format(ms))));
    expect(londonDateOfEpochMs(Date.parse('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(londonDateOfEpochMs(Date.parse('2026-10-25T23:30:00Z'))).toBe('2026-10-25');
  });
});
