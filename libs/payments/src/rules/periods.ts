/**
 * Payment periods. WEEKLY: Monday to Sunday. FORTNIGHTLY / FOUR_WEEKLY: 14 / 28-day periods
 * counted from an anchor Monday, backwards and forwards. MONTHLY: calendar months. Bounds are
 * inclusive civil dates.
 */
import {
  CivilDate,
  addDays,
  assertCivilDate,
  compareDates,
  diffDays,
  endOfMonth,
  isMonday,
  mondayOnOrBefore,
  startOfMonth,
} from '@dpb/common';

import { FREQUENCIES, type Frequency } from '@dpb/care-records/model';

/** The payment frequencies are the DP's terms as imported (the care-records model owns them). */
export { FREQUENCIES, type Frequency };

export interface Period {
  start: CivilDate;
  end: CivilDate;
}

const FIXED_LENGTH: Partial<Record<Frequency, number>> = { FORTNIGHTLY: 14, FOUR_WEEKLY: 28 };

function checkAnchor(anchor: CivilDate): void {
  assertCivilDate(anchor, 'anchorDate');
  if (!isMonday(anchor)) throw new RangeError('anchorDate must be a Monday');
}

/** The period of `frequency` that contains `date`. `anchor` (a Monday) matters for 14/28-day periods. */
export function periodContaining(frequency: Frequency, date: CivilDate, anchor: CivilDate): Period {
  assertCivilDate(date);
  checkAnchor(anchor);
  switch (frequency) {
    case 'WEEKLY': {
      const start = mondayOnOrBefore(date);
      return { start, end: addDays(start, 6) };
    }
    case 'MONTHLY':
      return { start: startOfMonth(date), end: endOfMonth(date) };
    case 'FORTNIGHTLY':
    case 'FOUR_WEEKLY': {
      const len = FIXED_LENGTH[frequency]!;
      const offset = diffDays(date, anchor);
      const k = Math.floor(offset / len); // floor, so dates before the anchor count backwards
      const start = addDays(anchor, k * len);
      return { start, end: addDays(start, len - 1) };
    }
    default:
      throw new RangeError('unknown frequency');
  }
}

/** The period straight after `period`. */
export function nextPeriod(frequency: Frequency, period: Period, anchor: CivilDate): Period {
  return periodContaining(frequency, addDays(period.end, 1), anchor);
}

/** The period straight before `period`. */
export function previousPeriod(frequency: Frequency, period: Period, anchor: CivilDate): Period {
  return periodContaining(frequency, addDays(period.start, -1), anchor);
}

/** Every period that overlaps `from..to` (inclusive), in order; empty when `to < from`. */
export function periodsBetween(
  frequency: Frequency,
  from: CivilDate,
  to: CivilDate,
  anchor: CivilDate,
): Period[] {
  if (compareDates(to, from) < 0) return [];
  const out: Period[] = [];
  for (
    let p = periodContaining(frequency, from, anchor);
    compareDates(p.start, to) <= 0;
    p = nextPeriod(frequency, p, anchor)
  ) {
    out.push(p);
  }
  return out;
}

/** The first period of `frequency` that starts on or after `date`. */
export function firstPeriodStartingOnOrAfter(
  frequency: Frequency,
  date: CivilDate,
  anchor: CivilDate,
): Period {
  const p = periodContaining(frequency, date, anchor);
  return p.start === date ? p : nextPeriod(frequency, p, anchor);
}

export function periodLength(period: Period): number {
  return diffDays(period.end, period.start) + 1;
}
