/**
 * What a run pays for one DP (docs/payment-rules.md, "When a period is paid" and "One-off payments"):
 * every REGULAR period whose release date has come (run date on or after it), that starts on
 * or after goLiveDate, that has a payable day and that is not already taken; and every
 * one-off whose release date has come, dated on or after goLiveDate and not already taken.
 * Backdated DPs therefore get all their missed periods in the next run, once.
 */
import { BacsCalendar, CivilDate, addDays, assertCivilDate, compareDates, isMonday } from '@dpb/common';
import { PeriodTotals, periodTotals, prepareCalc } from './amounts';
import { DirectPaymentForCalc, OneOff } from './dp';
import { Period, firstPeriodStartingOnOrAfter, nextPeriod } from './periods';

export interface DueSettings {
  anchorDate: CivilDate;
  leadBacsDays: number;
  goLiveDate: CivilDate;
}

export interface Taken {
  /** periodStart of every REGULAR line ever recorded for this DP (held, cancelled or released). */
  regularPeriodStarts: ReadonlySet<CivilDate>;
  /** Ids of every ONE_OFF line ever recorded for this DP. */
  oneOffIds: ReadonlySet<string>;
}

export interface DueRegular {
  period: Period;
  releaseDate: CivilDate;
  amount: PeriodTotals;
}

export interface DueOneOff {
  oneOff: OneOff;
  releaseDate: CivilDate;
  /** Facts for the ONE_OFF_ENDED / ONE_OFF_DEATH holds. */
  dpEnded: boolean;
  personDied: boolean;
}

export interface DueResult {
  regular: DueRegular[];
  oneOffs: DueOneOff[];
}

/**
 * Whether a one-off belongs to a DP that has ended or a person who has died: the DP's `end`
 * is before the run date or before the pay date; a recorded date of death at all.
 */
export function oneOffEndedOrDied(dp: DirectPaymentForCalc, oneOff: OneOff, runDate: CivilDate) {
  const dpEnded =
    dp.end != null && (compareDates(dp.end, runDate) < 0 || compareDates(dp.end, oneOff.payDate) < 0);
  return { dpEnded, personDied: dp.dateOfDeath != null };
}

/**
 * `horizon`: a date such that every REGULAR period starting on or before it was already examined,
 * with this same calculation input and period grid, by an earlier run (so it is taken, or not
 * payable): those periods are not walked again, and `taken` need only hold later ones. Null: walk
 * every period since goLiveDate. The result is the same either way (tested); the horizon keeps a
 * night's work from growing with the history.
 */
export function duePayments(
  dp: DirectPaymentForCalc,
  runDate: CivilDate,
  settings: DueSettings,
  calendar: BacsCalendar,
  taken: Taken,
  horizon: CivilDate | null = null,
): DueResult {
  assertCivilDate(runDate, 'runDate');
  assertCivilDate(settings.goLiveDate, 'goLiveDate');
  if (!isMonday(settings.goLiveDate)) throw new RangeError('goLiveDate must be a Monday');
  const prepared = prepareCalc(dp);

  const regular: DueRegular[] = [];
  // Periods starting before goLiveDate belong to the previous system; none before the DP starts matters.
  const from = horizon !== null && compareDates(horizon, settings.goLiveDate) >= 0 ? addDays(horizon, 1) : settings.goLiveDate;
  let p = firstPeriodStartingOnOrAfter(dp.frequency, from, settings.anchorDate);
  while (compareDates(p.end, dp.start) < 0) p = nextPeriod(dp.frequency, p, settings.anchorDate);
  const lastDay = lastPossiblePayableDay(dp);
  for (
    ;
    lastDay === null || compareDates(p.start, lastDay) <= 0;
    p = nextPeriod(dp.frequency, p, settings.anchorDate)
  ) {
    // A period starting after the run date may not have reached its release date yet.
    if (
      compareDates(p.start, runDate) > 0 &&
      compareDates(calendar.releaseDate(p.start, settings.leadBacsDays), runDate) > 0
    )
      break;
    // Taken periods are skipped before any calendar look-up (old periods may predate the table).
    if (taken.regularPeriodStarts.has(p.start)) continue;
    const releaseDate = calendar.releaseDate(p.start, settings.leadBacsDays);
    const amount = periodTotals(prepared, p);
    if (amount.payableDays === 0) continue;
    regular.push({ period: p, releaseDate, amount });
  }

  const oneOffs: DueOneOff[] = [];
  for (const o of [...dp.oneOffs].sort(
    (a, b) => compareDates(a.payDate, b.payDate) || (a.id < b.id ? -1 : 1),
  )) {
    assertCivilDate(o.payDate, `${dp.dpId}.oneOffs.${o.id}.payDate`);
    if (compareDates(o.payDate, settings.goLiveDate) < 0) continue;
    if (taken.oneOffIds.has(o.id)) continue;
    const releaseDate = calendar.releaseDate(o.payDate, settings.leadBacsDays);
    if (compareDates(releaseDate, runDate) > 0) continue;
    oneOffs.push({ oneOff: o, releaseDate, ...oneOffEndedOrDied(dp, o, runDate) });
  }
  return { regular, oneOffs };
}

/** The last day that could be payable (end or death, whichever first); null when open. */
function lastPossiblePayableDay(dp: DirectPaymentForCalc): CivilDate | null {
  const ends = [dp.end, dp.dateOfDeath].filter((d): d is CivilDate => d != null);
  if (ends.length === 0) return null;
  return ends.reduce((a, b) => (compareDates(a, b) <= 0 ? a : b));
}
