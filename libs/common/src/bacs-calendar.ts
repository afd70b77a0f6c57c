/**
 * Bacs working days: Monday to Friday except England-and-Wales bank holidays. Pure: the only
 * input is the bank holiday table (the bundled one by default). A date outside the table's
 * coverage is refused (CalendarHorizonError) rather than guessed, because a wrong Bacs day
 * means a payment arriving late.
 */
import bundled from '../data/bank-holidays-england-and-wales.json';
import { BankHolidayTable, validateBankHolidayTable } from './bank-holiday-table';
import { CivilDate, addDays, assertCivilDate, compareDates, diffDays, isWeekend } from './civil-date';

export class CalendarHorizonError extends RangeError {
  constructor(
    readonly coversFrom: CivilDate,
    readonly coversTo: CivilDate,
  ) {
    super(`date is outside the bank holiday table (covers ${coversFrom} to ${coversTo})`);
    this.name = 'CalendarHorizonError';
  }
}

export interface HorizonWarning {
  coversTo: CivilDate;
  /** Days from `today` to `coversTo` (negative once the table has run out). */
  daysLeft: number;
  message: string;
}

/** Warn when the table ends within this many days. */
export const HORIZON_WARNING_DAYS = 90;

/** Guard against loops on a corrupt table (no Bacs day in a month). */
const MAX_SCAN_DAYS = 31;

let bundledCalendar: BacsCalendar | undefined;

export class BacsCalendar {
  private readonly holidays: ReadonlySet<CivilDate>;
  readonly coversFrom: CivilDate;
  readonly coversTo: CivilDate;
  /** Release dates already worked out (the same few periods are asked about for every DP). */
  private readonly releaseDates = new Map<string, CivilDate>();

  constructor(table: BankHolidayTable) {
    const t = validateBankHolidayTable(table);
    this.holidays = new Set(t.events.map((e) => e.date));
    this.coversFrom = t.coversFrom;
    this.coversTo = t.coversTo;
  }

  /** The calendar over the bundled GOV.UK-derived table. */
  static bundled(): BacsCalendar {
    bundledCalendar ??= new BacsCalendar(bundled as BankHolidayTable);
    return bundledCalendar;
  }

  private covered(date: CivilDate): void {
    assertCivilDate(date);
    if (compareDates(date, this.coversFrom) < 0 || compareDates(date, this.coversTo) > 0) {
      throw new CalendarHorizonError(this.coversFrom, this.coversTo);
    }
  }

  isBankHoliday(date: CivilDate): boolean {
    this.covered(date);
    return this.holidays.has(date);
  }

  isBacsDay(date: CivilDate): boolean {
    this.covered(date);
    return !isWeekend(date) && !this.holidays.has(date);
  }

  /** The first Bacs day strictly after `date`. */
  nextBacsDay(date: CivilDate): CivilDate {
    return this.addBacsDays(date, 1);
  }

  /** The last Bacs day strictly before `date`. */
  previousBacsDay(date: CivilDate): CivilDate {
    return this.addBacsDays(date, -1);
  }

  /** `date` itself when it is a Bacs day, else the next one. */
  bacsDayOnOrAfter(date: CivilDate): CivilDate {
    return this.isBacsDay(date) ? date : this.nextBacsDay(date);
  }

  /**
   * Moves `n` Bacs days from `date` (n > 0 forward, n < 0 backward, counting only Bacs days
   * and never `date` itself); n = 0 returns `date` unchanged.
   */
  addBacsDays(date: CivilDate, n: number): CivilDate {
    if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
    assertCivilDate(date);
    const step = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    let d = date;
    let scanned = 0;
    while (left > 0) {
      d = addDays(d, step);
      if (this.isBacsDay(d)) {
        left--;
        scanned = 0;
      } else if (++scanned > MAX_SCAN_DAYS) {
        throw new RangeError('no Bacs day found within a month');
      }
    }
    return d;
  }

  /** The `leadBacsDays`-th Bacs day before `periodStart`: the run date that pays the period. */
  releaseDate(periodStart: CivilDate, leadBacsDays: number): CivilDate {
    if (!Number.isInteger(leadBacsDays) || leadBacsDays < 1)
      throw new RangeError('leadBacsDays must be a positive integer');
    const key = `${periodStart}|${leadBacsDays}`;
    let d = this.releaseDates.get(key);
    if (d === undefined) {
      d = this.addBacsDays(periodStart, -leadBacsDays);
      this.releaseDates.set(key, d);
    }
    return d;
  }

  /** Std 18 processing day (UHL1) for a run: the next Bacs day after the run date. */
  processingDay(runDate: CivilDate): CivilDate {
    return this.nextBacsDay(runDate);
  }

  /** Entry day (money arrives; pain.001 ReqdExctnDt): the Bacs day after the processing day. */
  entryDay(runDate: CivilDate): CivilDate {
    return this.nextBacsDay(this.processingDay(runDate));
  }

  /** A warning when the table ends within HORIZON_WARNING_DAYS of `today`, else null. */
  horizonWarning(today: CivilDate): HorizonWarning | null {
    assertCivilDate(today, 'today');
    const daysLeft = diffDays(this.coversTo, today);
    if (daysLeft > HORIZON_WARNING_DAYS) return null;
    return {
      coversTo: this.coversTo,
      daysLeft,
      message:
        daysLeft < 0
          ? `bank holiday table ended on ${this.coversTo}: update it (docs/operations.md, Housekeeping)`
          : `bank holiday table ends on ${this.coversTo} (${daysLeft} days): update it (docs/operations.md, Housekeeping)`,
    };
  }
}
