import { civilParts, compareDates, daysInMonth, type CivilDate } from '@dpb/common';
import type { ReviewStatus } from './model';

/** `date` plus `months` calendar months, clamped to the month's end (2026-08-31 + 6 = 2027-02-28). */
export function addMonths(date: CivilDate, months: number): CivilDate {
  const { year, month, day } = civilParts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const d = Math.min(day, daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Due 12 months after the last review, else 6 months after the start; overdue when due < `to`. */
export function reviewStatus(start: CivilDate, lastReviewDate: CivilDate | null, to: CivilDate): ReviewStatus {
  const due = lastReviewDate ? addMonths(lastReviewDate, 12) : addMonths(start, 6);
  return { due, overdue: compareDates(due, to) < 0 };
}
