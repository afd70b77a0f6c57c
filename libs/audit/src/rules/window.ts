import { addDays, compareDates, maxDate, type CivilDate } from '@dpb/common';
import type { AuditWindow } from './model';

/**
 * The audit window: from the day after the last audit's `to` (or else the DP's start or the
 * council's go-live, whichever is later) up to the night's date inclusive; null when empty.
 */
export function auditWindow(lastAuditTo: CivilDate | null, dpStart: CivilDate, goLiveDate: CivilDate, nightDate: CivilDate): AuditWindow | null {
  const from = lastAuditTo ? addDays(lastAuditTo, 1) : maxDate(dpStart, goLiveDate);
  return compareDates(from, nightDate) > 0 ? null : { from, to: nightDate };
}
