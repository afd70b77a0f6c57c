import { londonDateOf } from '@dpb/common';

/** The Europe/London civil date of an instant (default: now). The only clock read in the pipeline. */
export function londonToday(now: Date = new Date()): string {
  return londonDateOf(now.toISOString());
}
