/** The days a payment may be confirmed in (pure; the Bacs calendar is a table, not a clock). */
import type { BacsCalendar, CivilDate } from '@dpb/common';

/**
 * How far back a night looks for payments to confirm and items to match (days before the night):
 * far beyond every window, so only what was long since reported as a case drops out of view.
 */
export const LOOKBACK_DAYS = 90;

export interface ReconciliationSettings {
  /** Bacs days after the entry day (money arrives) in which a card load must post. */
  loadMatchDays: number;
  /** Bacs days after the entry day after which a run's debit not found is unconfirmed. */
  bacsMatchDays: number;
}

/** A card load of a run dated `runDate`: posted from the run date to `loadMatchDays` Bacs days after the entry day. */
export function loadWindow(calendar: BacsCalendar, runDate: CivilDate, s: ReconciliationSettings): { from: CivilDate; to: CivilDate } {
  return { from: runDate, to: calendar.addBacsDays(calendar.entryDay(runDate), s.loadMatchDays) };
}

/** The last night on which a LOAD posted on `postingDate` could still be claimed by one of our loads. */
export function unexpectedLoadGraceTo(calendar: BacsCalendar, postingDate: CivilDate, s: ReconciliationSettings): CivilDate {
  return calendar.addBacsDays(calendar.entryDay(postingDate), s.loadMatchDays);
}

/** A run's debit: booked from the processing day to the entry day; unconfirmed after `bacsMatchDays` more Bacs days. */
export function runDebitWindow(calendar: BacsCalendar, runDate: CivilDate, s: ReconciliationSettings): { processingDay: CivilDate; entryDay: CivilDate; confirmBy: CivilDate } {
  const entryDay = calendar.entryDay(runDate);
  return { processingDay: calendar.processingDay(runDate), entryDay, confirmBy: calendar.addBacsDays(entryDay, s.bacsMatchDays) };
}

/** The last night on which a payment-account credit booked on `bookingDate` may still be explained by a return advice. */
export function bankCreditGraceTo(calendar: BacsCalendar, bookingDate: CivilDate, s: ReconciliationSettings): CivilDate {
  return calendar.addBacsDays(bookingDate, s.bacsMatchDays);
}
