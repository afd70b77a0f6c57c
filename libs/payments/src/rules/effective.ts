/** Effective-dated lookups: the entry in force on a day is the one with the latest `from <= day`. */
import { CivilDate, assertCivilDate, compareDates } from '@dpb/common';

/** Refuses malformed `from` dates and two entries with the same `from` (naming the list only). */
export function assertEffectiveDated(entries: readonly { from: CivilDate }[], what: string): void {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    assertCivilDate(e.from, `${what}[${i}].from`);
    if (seen.has(e.from)) throw new RangeError(`${what} has two entries with the same from date`);
    seen.add(e.from);
  });
}

/** The entry in force on `day`, or undefined before the first `from`. */
export function inForce<T extends { from: CivilDate }>(entries: readonly T[], day: CivilDate): T | undefined {
  let best: T | undefined;
  for (const e of entries) {
    if (compareDates(e.from, day) > 0) continue;
    if (!best || compareDates(e.from, best.from) > 0) best = e;
  }
  return best;
}
