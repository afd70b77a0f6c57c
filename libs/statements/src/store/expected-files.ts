import { TZDate } from '@date-fns/tz';
import { addDays, civilParts, type CivilDate } from '@dpb/common';
import type { EntityManager } from 'typeorm';
import { countInboundFilesSince } from '@dpb/persistence';

export type ExpectedSource = 'bank' | 'card' | 'care';
export type ExpectedVerdict = 'RECEIVED' | 'MISSING' | 'NOT_DUE';

/** The instant (epoch ms) of HH:MM Europe/London on a civil date (a time in the spring-forward gap moves on by an hour). */
export function londonCutoffMs(date: CivilDate, hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError('cutoff must be HH:MM');
  const { year, month, day } = civilParts(date);
  return new TZDate(year, month - 1, day, Number(m[1]), Number(m[2]), 0, 0, 'Europe/London').getTime();
}

/**
 * The files expected for night D from one inbox are those taken after the previous night's
 * cut-off (D-1 at HH:MM). Before D's cut-off a missing file is NOT_DUE (it may still come);
 * from the cut-off on, none taken is MISSING. Pure: the caller passes `nowMs` and the count.
 */
export function expectedFileWindow(nightDate: CivilDate, cutoff: string): { fromMs: number; dueMs: number } {
  return { fromMs: londonCutoffMs(addDays(nightDate, -1), cutoff), dueMs: londonCutoffMs(nightDate, cutoff) };
}

export function expectedFileVerdict(a: { nightDate: CivilDate; cutoff: string; nowMs: number; taken: number }): ExpectedVerdict {
  if (a.taken > 0) return 'RECEIVED';
  return a.nowMs >= expectedFileWindow(a.nightDate, a.cutoff).dueMs ? 'MISSING' : 'NOT_DUE';
}

/** Checks each configured inbox against the inbound-file ledger (any outcome counts as arrived). */
export async function checkExpectedFiles(
  m: EntityManager,
  a: { council: string; nightDate: CivilDate; nowMs: number; expected: Partial<Record<ExpectedSource, { cutoff: string }>> | undefined },
): Promise<{ source: ExpectedSource; cutoff: string; taken: number; verdict: ExpectedVerdict }[]> {
  const out: { source: ExpectedSource; cutoff: string; taken: number; verdict: ExpectedVerdict }[] = [];
  for (const source of ['care', 'bank', 'card'] as const) {
    const cfg = a.expected?.[source];
    if (!cfg) continue;
    const { fromMs } = expectedFileWindow(a.nightDate, cfg.cutoff);
    const taken = await countInboundFilesSince(m, source, a.council, fromMs);
    out.push({ source, cutoff: cfg.cutoff, taken, verdict: expectedFileVerdict({ nightDate: a.nightDate, cutoff: cfg.cutoff, nowMs: a.nowMs, taken }) });
  }
  return out;
}
