import Holidays from 'date-holidays';
import bundled from '../data/bank-holidays-england-and-wales.json';
import { BacsCalendar, CalendarHorizonError } from './bacs-calendar';
import { BankHolidayTable, validateBankHolidayTable } from './bank-holiday-table';
import { dayOfWeek } from './civil-date';

const cal = BacsCalendar.bundled();

describe('bundled England-and-Wales bank holiday table', () => {
  const table = validateBankHolidayTable(bundled);

  it('records its source, division and coverage (2024..2028 at least)', () => {
    expect(table.source).toBe('https://www.gov.uk/bank-holidays.json');
    expect(table.division).toBe('england-and-wales');
    expect(table.coversFrom <= '2024-01-01').toBe(true);
    expect(table.coversTo >= '2028-12-31').toBe(true);
  });

  it('lists only weekdays, as the GOV.UK feed does (weekend holidays appear as substitutes)', () => {
    for (const e of table.events) expect(dayOfWeek(e.date)).toBeLessThanOrEqual(5);
  });

  it('agrees with date-holidays (GB/ENG) on every weekday public holiday, year by year', () => {
    const hd = new Holidays('GB', 'ENG');
    for (let year = 2024; year <= 2028; year++) {
      const theirs = hd
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10))
        .filter((d) => dayOfWeek(d) <= 5)
        .sort();
      const ours = table.events.filter((e) => e.date.startsWith(`${year}-`)).map((e) => e.date);
      expect({ year, dates: ours }).toEqual({ year, dates: theirs });
    }
  });

  it('has the substitute days that trip naive calendars', () => {
    // 26 Dec 2026 is a Saturday: Boxing Day moves to Monday 28th.
    expect(cal.isBankHoliday('2026-12-28')).toBe(true);
    expect(cal.isBankHoliday('2026-12-26')).toBe(false); // a Saturday, not listed
    // 25/26 Dec 2027 are Sat/Sun: substitutes Mon 27th and Tue 28th.
    expect(cal.isBankHoliday('2027-12-27')).toBe(true);
    expect(cal.isBankHoliday('2027-12-28')).toBe(true);
    // 1 Jan 2028 is a Saturday: substitute Monday 3rd.
    expect(cal.isBankHoliday('2028-01-03')).toBe(true);
  });
});

describe('BacsCalendar', () => {
  it('knows Bacs days: weekdays that are not bank holidays', () => {
    expect(cal.isBacsDay('2026-12-24')).toBe(true); // Thursday
    expect(cal.isBacsDay('2026-12-25')).toBe(false); // Christmas
    expect(cal.isBacsDay('2026-12-26')).toBe(false); // Saturday
    expect(cal.isBacsDay('2026-12-28')).toBe(false); // substitute
    expect(cal.isBacsDay('2026-12-29')).toBe(true);
  });

  it('steps forwards and backwards over weekends and holidays', () => {
    // Thu 24 Dec 2026 -> Fri 25 hol, Sat, Sun, Mon 28 hol -> Tue 29
    expect(cal.nextBacsDay('2026-12-24')).toBe('2026-12-29');
    expect(cal.previousBacsDay('2026-12-29')).toBe('2026-12-24');
    // back 2 from Thu 24: Wed 23 (1), Tue 22 (2)
    expect(cal.addBacsDays('2026-12-24', -2)).toBe('2026-12-22');
    // forward 3 from Wed 23: Thu 24 (1), Tue 29 (2), Wed 30 (3)
    expect(cal.addBacsDays('2026-12-23', 3)).toBe('2026-12-30');
    expect(cal.addBacsDays('2026-12-26', 0)).toBe('2026-12-26');
    expect(cal.bacsDayOnOrAfter('2026-12-26')).toBe('2026-12-29');
    expect(cal.bacsDayOnOrAfter('2026-12-29')).toBe('2026-12-29');
  });

  it('dates a period: release date is the 3rd Bacs day before the period start', () => {
    // Period from Mon 6 Apr 2026 (Easter Monday): Sun 5, Sat 4, Fri 3 (Good Friday) skipped;
    // Thu 2 Apr (1), Wed 1 Apr (2), Tue 31 Mar (3).
    expect(cal.releaseDate('2026-04-06', 3)).toBe('2026-03-31');
    // An ordinary Monday, 2 Nov 2026: Fri 30 Oct (1), Thu 29 (2), Wed 28 (3).
    expect(cal.releaseDate('2026-11-02', 3)).toBe('2026-10-28');
    // ... whose processing day is Thu 29 Oct and entry day Fri 30 Oct: "the Friday before".
    expect(cal.processingDay('2026-10-28')).toBe('2026-10-29');
    expect(cal.entryDay('2026-10-28')).toBe('2026-10-30');
    expect(() => cal.releaseDate('2026-11-02', 0)).toThrow(RangeError);
  });

  it('dates a run over Christmas 2027 (two substitute days)', () => {
    // Run Fri 24 Dec 2027: Sat 25, Sun 26, Mon 27 hol, Tue 28 hol -> processing Wed 29, entry Thu 30
    expect(cal.processingDay('2027-12-24')).toBe('2027-12-29');
    expect(cal.entryDay('2027-12-24')).toBe('2027-12-30');
    // A Saturday run processes on the next Bacs day too
    expect(cal.processingDay('2026-10-31')).toBe('2026-11-02');
  });

  it('refuses dates beyond the table instead of guessing', () => {
    expect(() => cal.isBacsDay('2029-01-02')).toThrow(CalendarHorizonError);
    expect(() => cal.nextBacsDay('2028-12-29')).toThrow(CalendarHorizonError); // Fri -> next is in 2029
    expect(() => cal.isBacsDay('2023-12-29')).toThrow(CalendarHorizonError);
  });

  it('warns when the table ends within 90 days', () => {
    // coversTo 2028-12-31. From 2 Oct 2028: 29 days left in Oct + 30 + 31 = 90 -> warn
    expect(cal.horizonWarning('2028-10-02')).toMatchObject({ coversTo: '2028-12-31', daysLeft: 90 });
    // From 1 Oct: 91 days -> no warning
    expect(cal.horizonWarning('2028-10-01')).toBeNull();
    expect(cal.horizonWarning('2026-11-23')).toBeNull();
    expect(cal.horizonWarning('2029-01-05')?.daysLeft).toBe(-5);
  });

  it('rejects a table of another division or with events outside its coverage', () => {
    const base = bundled as BankHolidayTable;
    expect(() => new BacsCalendar({ ...base, division: 'scotland' })).toThrow(RangeError);
    expect(() => new BacsCalendar({ ...base, coversTo: '2027-12-31' })).toThrow(/outside/);
  });
});
