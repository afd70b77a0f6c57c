import {
  addDays,
  compareDates,
  dayOfWeek,
  diffDays,
  eachDay,
  endOfMonth,
  fromDayNumber,
  isCivilDate,
  isMonday,
  londonDateOf,
  maxDate,
  minDate,
  mondayOnOrBefore,
  startOfMonth,
  toDayNumber,
} from './civil-date';

describe('civil-date', () => {
  it('validates real calendar dates only', () => {
    expect(isCivilDate('2028-02-29')).toBe(true); // 2028 is a leap year
    expect(isCivilDate('2027-02-29')).toBe(false);
    expect(isCivilDate('2100-02-29')).toBe(false); // century, not divisible by 400
    expect(isCivilDate('2000-02-29')).toBe(true);
    for (const bad of ['2026-13-01', '2026-04-31', '2026-4-1', '20260401', '2026-04-01T00:00', '', 42]) {
      expect(isCivilDate(bad)).toBe(false);
    }
  });

  it('maps dates to day numbers since 1970-01-01 and back', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1970-02-01')).toBe(31);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    // 2000-03-01: 30 years incl. 7 leap days (72,76,80,84,88,92,96) = 10957 days to 2000-01-01, +31+29
    expect(toDayNumber('2000-03-01')).toBe(10957 + 60);
    for (let n = -800; n < 25000; n += 37) expect(toDayNumber(fromDayNumber(n))).toBe(n);
  });

  it('adds and subtracts days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-04-06', 28)).toBe('2026-05-04');
    expect(diffDays('2026-01-31', '2026-01-01')).toBe(30);
    expect(diffDays('2026-01-01', '2026-01-31')).toBe(-30);
  });

  it('knows weekdays (ISO, Monday = 1)', () => {
    expect(dayOfWeek('1970-01-01')).toBe(4); // a Thursday
    expect(dayOfWeek('2026-04-06')).toBe(1); // the default anchor, Easter Monday 2026
    expect(dayOfWeek('2026-12-26')).toBe(6); // Saturday: Boxing Day substitute falls on the 28th
    expect(dayOfWeek('2026-12-27')).toBe(7);
    expect(isMonday('2026-12-28')).toBe(true);
    expect(mondayOnOrBefore('2026-12-27')).toBe('2026-12-21');
    expect(mondayOnOrBefore('2026-12-28')).toBe('2026-12-28');
  });

  it('compares, takes min/max, lists days and month bounds', () => {
    expect(compareDates('2026-01-02', '2026-01-10')).toBe(-1);
    expect(compareDates('2026-01-10', '2026-01-10')).toBe(0);
    expect(minDate('2026-05-01', '2026-04-30', '2027-01-01')).toBe('2026-04-30');
    expect(maxDate('2026-05-01', '2026-04-30', '2027-01-01')).toBe('2027-01-01');
    expect(eachDay('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(eachDay('2026-01-02', '2026-01-01')).toEqual([]);
    expect(startOfMonth('2026-02-17')).toBe('2026-02-01');
    expect(endOfMonth('2026-02-17')).toBe('2026-02-28');
    expect(endOfMonth('2028-02-01')).toBe('2028-02-29');
    expect(() => compareDates('2026-02-30', '2026-01-01')).toThrow(RangeError);
  });

  it('gives the Europe/London date of an instant, BST-safe', () => {
    // GMT in winter: the London date is the UTC date
    expect(londonDateOf('2026-11-23T01:00:00Z')).toBe('2026-11-23');
    expect(londonDateOf('2026-12-31T23:59:59Z')).toBe('2026-12-31');
    // BST (UTC+1) in summer: 23:30Z is 00:30 the next day in London
    expect(londonDateOf('2026-06-30T23:30:00Z')).toBe('2026-07-01');
    // Clocks go forward at 01:00Z on 29 Mar 2026; 23:30Z on the 29th is 00:30 BST on the 30th
    expect(londonDateOf('2026-03-28T23:30:00Z')).toBe('2026-03-28');
    expect(londonDateOf('2026-03-29T23:30:00Z')).toBe('2026-03-30');
    // Clocks go back at 01:00Z on 25 Oct 2026; 23:30Z on the 24th is 00:30 BST on the 25th
    expect(londonDateOf('2026-10-24T23:30:00Z')).toBe('2026-10-25');
    expect(londonDateOf('2026-10-25T23:30:00Z')).toBe('2026-10-25');
    // explicit offsets
    expect(londonDateOf('2026-07-01T00:30:00+02:00')).toBe('2026-06-30'); // 22:30Z = 23:30 BST
    expect(() => londonDateOf('2026-07-01T00:30:00')).toThrow(RangeError); // no zone
    expect(() => londonDateOf('yesterday')).toThrow(RangeError);
  });
});
