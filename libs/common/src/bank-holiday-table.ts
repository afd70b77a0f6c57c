/**
 * The bundled England-and-Wales bank holiday table and the pure conversion from the GOV.UK
 * `bank-holidays.json` feed (https://www.gov.uk/bank-holidays.json) into it.
 */
import { CivilDate, assertCivilDate, compareDates, endOfMonth } from './civil-date';

export const GOV_UK_SOURCE = 'https://www.gov.uk/bank-holidays.json';
export const ENGLAND_AND_WALES = 'england-and-wales';

export interface BankHolidayEvent {
  date: CivilDate;
  title: string;
  notes: string;
}

export interface BankHolidayTable {
  source: string;
  division: string;
  /** First and last dates the table is authoritative for (inclusive). */
  coversFrom: CivilDate;
  coversTo: CivilDate;
  provenance?: string;
  events: BankHolidayEvent[];
}

/** Validates a parsed table; throws a RangeError naming the field at fault. */
export function validateBankHolidayTable(raw: unknown): BankHolidayTable {
  if (typeof raw !== 'object' || raw === null) throw new RangeError('bank holiday table is not an object');
  const t = raw as Record<string, unknown>;
  if (t.division !== ENGLAND_AND_WALES)
    throw new RangeError('bank holiday table division must be england-and-wales');
  if (typeof t.source !== 'string') throw new RangeError('bank holiday table source is missing');
  assertCivilDate(t.coversFrom, 'coversFrom');
  assertCivilDate(t.coversTo, 'coversTo');
  if (compareDates(t.coversFrom, t.coversTo) > 0) throw new RangeError('coversFrom is after coversTo');
  if (!Array.isArray(t.events)) throw new RangeError('bank holiday table events is not a list');
  const seen = new Set<string>();
  const events: BankHolidayEvent[] = t.events.map((e: unknown, i: number) => {
    const ev = e as Record<string, unknown>;
    assertCivilDate(ev?.date, `events[${i}].date`);
    if (seen.has(ev.date as string)) throw new RangeError(`events[${i}].date is duplicated`);
    seen.add(ev.date as string);
    if (
      compareDates(ev.date as string, t.coversFrom as string) < 0 ||
      compareDates(ev.date as string, t.coversTo as string) > 0
    ) {
      throw new RangeError(`events[${i}].date is outside coversFrom..coversTo`);
    }
    return { date: ev.date as string, title: String(ev.title ?? ''), notes: String(ev.notes ?? '') };
  });
  events.sort((a, b) => compareDates(a.date, b.date));
  return {
    source: t.source,
    division: ENGLAND_AND_WALES,
    coversFrom: t.coversFrom,
    coversTo: t.coversTo,
    provenance: typeof t.provenance === 'string' ? t.provenance : undefined,
    events,
  };
}

/**
 * Builds the table from a GOV.UK-format feed (`{ "england-and-wales": { division, events } }`).
 * The feed is authoritative for the years it lists: coverage runs from 1 January of its first
 * year to 31 December of its last. Events in `previous` before the feed's first year are kept,
 * so history does not vanish when the feed drops old years.
 */
export function tableFromGovUkFeed(feed: unknown, previous?: BankHolidayTable): BankHolidayTable {
  const div = (feed as Record<string, unknown> | null)?.[ENGLAND_AND_WALES] as
    { division?: unknown; events?: unknown } | undefined;
  if (!div || div.division !== ENGLAND_AND_WALES || !Array.isArray(div.events) || div.events.length === 0) {
    throw new RangeError('feed has no england-and-wales division with events');
  }
  const events: BankHolidayEvent[] = div.events.map((e: unknown, i: number) => {
    const ev = e as Record<string, unknown>;
    assertCivilDate(ev?.date, `england-and-wales.events[${i}].date`);
    return { date: ev.date as string, title: String(ev.title ?? ''), notes: String(ev.notes ?? '') };
  });
  events.sort((a, b) => compareDates(a.date, b.date));
  const feedFrom = `${events[0].date.slice(0, 4)}-01-01`;
  const feedTo = endOfMonth(`${events[events.length - 1].date.slice(0, 4)}-12-01`);
  const kept = (previous?.events ?? []).filter((e) => compareDates(e.date, feedFrom) < 0);
  const coversFrom =
    previous && compareDates(previous.coversFrom, feedFrom) < 0 ? previous.coversFrom : feedFrom;
  return validateBankHolidayTable({
    source: GOV_UK_SOURCE,
    division: ENGLAND_AND_WALES,
    coversFrom,
    coversTo: feedTo,
    provenance: 'GOV.UK bank-holidays.json, division england-and-wales',
    events: [...kept, ...events],
  });
}

export interface BankHolidayDiff {
  added: BankHolidayEvent[];
  removed: BankHolidayEvent[];
  retitled: { date: CivilDate; from: string; to: string }[];
  coversToChanged: { from: CivilDate; to: CivilDate } | null;
}

/** What changed between two tables (by date). */
export function diffBankHolidayTables(before: BankHolidayTable, after: BankHolidayTable): BankHolidayDiff {
  const b = new Map(before.events.map((e) => [e.date, e]));
  const a = new Map(after.events.map((e) => [e.date, e]));
  return {
    added: after.events.filter((e) => !b.has(e.date)),
    removed: before.events.filter((e) => !a.has(e.date)),
    retitled: after.events
      .filter((e) => b.has(e.date) && b.get(e.date)!.title !== e.title)
      .map((e) => ({ date: e.date, from: b.get(e.date)!.title, to: e.title })),
    coversToChanged:
      before.coversTo === after.coversTo ? null : { from: before.coversTo, to: after.coversTo },
  };
}
