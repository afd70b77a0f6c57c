import fc from 'fast-check';
import { parseIntegerMinor } from '../amounts';
import { isCivilDate, toDayNumber } from '@dpb/common';
import { ParseError } from '../errors';
import { CARD_COLUMNS, CARD_STATUSES, CARD_TYPES, londonDate, timestampMs, toCardTransaction, validateCardFields } from './card-row';
import type { CardColumn } from './card-row';

/*
 * The oracle is the previous row path (regex-and-Intl per row, bigint amounts), kept here verbatim
 * in substance: the lean path must accept, reject and compute exactly what it did.
 */
const OLD_TS = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
function oldTimestampMs(text: string): number | null {
  const m = OLD_TS.exec(text.trim());
  if (!m || !isCivilDate(m[1])) return null;
  const h = +m[2];
  const mi = +m[3];
  const s = m[4] === undefined ? 0 : +m[4];
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = m[5] === undefined ? 0 : +m[5].padEnd(3, '0').slice(0, 3);
  let offsetMin = 0;
  if (m[6] !== 'Z') {
    const o = m[6].replace(':', '');
    const oh = +o.slice(1, 3);
    const om = +o.slice(3, 5);
    if (oh > 18 || om > 59) return null;
    offsetMin = (o[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return toDayNumber(m[1]) * 86_400_000 + ((h * 60 + mi - offsetMin) * 60 + s) * 1000 + ms;
}
const LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
function oldLondonDate(epochMs: number): string {
  const parts = LONDON.formatToParts(epochMs);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
function oldToCardTransaction(rec: Partial<Record<CardColumn, string>>, row: number, line?: number) {
  const where = { record: `row ${row}`, ...(line !== undefined ? { line } : {}) };
  const get = (c: CardColumn) => (rec[c] ?? '').trim();
  for (const c of ['txn_id', 'account_ref', 'posted_at', 'type', 'status', 'amount_minor', 'currency'] as const) {
    if (get(c) === '') throw new ParseError('MISSING_ELEMENT', `${c} is empty`, { ...where, field: c });
  }
  const postedAtMs = oldTimestampMs(get('posted_at'));
  if (postedAtMs === null) throw new ParseError('BAD_DATE', 'posted_at is not an ISO 8601 timestamp with an offset', { ...where, field: 'posted_at' });
  const type = get('type').toUpperCase();
  if (!(CARD_TYPES as readonly string[]).includes(type)) throw new ParseError('BAD_CODE', 'type is not a card transaction type', { ...where, field: 'type' });
  const status = get('status').toUpperCase();
  if (!(CARD_STATUSES as readonly string[]).includes(status)) throw new ParseError('BAD_CODE', 'status is not SETTLED, PENDING, REVERSED or DECLINED', { ...where, field: 'status' });
  const ccy = get('currency').toUpperCase();
  if (ccy !== 'GBP' && ccy !== '826') throw new ParseError('BAD_CURRENCY', 'currency is not GBP/826', { ...where, field: 'currency' });
  const mcc = get('mcc');
  if (mcc !== '' && !/^\d{4}$/.test(mcc)) throw new ParseError('BAD_CODE', 'mcc is not 4 digits', { ...where, field: 'mcc' });
  const balance = get('balance_minor');
  return {
    row, txnId: get('txn_id'), accountRef: get('account_ref'), postedAt: get('posted_at'), postedAtMs,
    postingDate: oldLondonDate(postedAtMs), type, status,
    amountMinor: parseIntegerMinor(get('amount_minor'), { field: 'amount_minor', ...where }),
    currency: 'GBP', mcc: mcc || null, merchant: get('merchant') || null, reference: get('reference') || null,
    balanceMinor: balance === '' ? null : parseIntegerMinor(balance, { field: 'balance_minor', ...where }),
  };
}

function outcome<T>(f: () => T): { ok: T } | { err: { code: string; message: string; line?: number; record?: string } } {
  try {
    return { ok: f() };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return { err: { code: e.code, message: e.message, line: e.line, record: e.record } };
  }
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const timestamp = fc.oneof(
  fc
    .record({
      y: fc.integer({ min: 1840, max: 2200 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }),
      h: fc.integer({ min: 0, max: 24 }), mi: fc.integer({ min: 0, max: 60 }), s: fc.option(fc.integer({ min: 0, max: 60 })),
      frac: fc.option(fc.stringMatching(/^\d{1,10}$/)), off: fc.constantFrom('Z', '+00:00', '+01:00', '-05:30', '+0100', '+19:00', '+01:60', '', '+1'),
      ws: fc.constantFrom('', ' '),
    })
    .map(({ y, mo, d, h, mi, s, frac, off, ws }) =>
      `${ws}${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}${s === null ? '' : `:${pad(s, 2)}${frac === null ? '' : `.${frac}`}`}${off}${ws}`),
  fc.string({ maxLength: 30 }),
);
const integer = fc.oneof(fc.bigInt({ min: -(10n ** 19n), max: 10n ** 19n }).map(String), fc.constantFrom('+000123', '-0', '0', '+0', '007', '-007', '1.5', '', ' 12 ', '+', '12345678901234567890', '1e3'));
const fieldsArb = fc.record({
  txn_id: fc.constantFrom('T1', ' T2 ', '', 'T\t3'),
  account_ref: fc.constantFrom('A1', '', ' A2'),
  posted_at: timestamp,
  type: fc.constantFrom(...CARD_TYPES, 'pos', 'Refund', '', 'BAD'),
  status: fc.constantFrom(...CARD_STATUSES, 'settled', '', 'BOOKED'),
  amount_minor: integer,
  currency: fc.constantFrom('GBP', 'gbp', '826', 'EUR', '', ' GBP '),
  mcc: fc.constantFrom('', '5411', '541', 'abcd', ' 7995 '),
  merchant: fc.constantFrom('', 'SHOP A', ' '),
  reference: fc.constantFrom('', 'REF 1'),
  balance_minor: fc.oneof(integer, fc.constant('')),
});

describe('card row validation (lean path) against the previous row path', () => {
  it('timestampMs agrees on arbitrary timestamps', () => {
    fc.assert(fc.property(timestamp, (t) => expect(timestampMs(t)).toBe(oldTimestampMs(t))), { numRuns: 5000 });
  });

  it('londonDate (cached by UTC hour) agrees with the tz database for any instant 1840-2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: -4_100_000_000_000, max: 7_260_000_000_000 }), (ms) => expect(londonDate(ms)).toBe(oldLondonDate(ms))),
      { numRuns: 5000 },
    );
    // Around the 2026 changes, every 10 minutes, and the first and last millisecond of each hour.
    for (const start of [Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 9, 24, 20), Date.UTC(1847, 10, 30, 20), Date.UTC(1968, 1, 17, 20)]) {
      for (let ms = start; ms < start + 12 * 3_600_000; ms += 600_000) {
        expect(londonDate(ms)).toBe(oldLondonDate(ms));
        expect(londonDate(ms - 1)).toBe(oldLondonDate(ms - 1));
      }
    }
    // Hand-derived: 23:30 UTC on 29 March 2026 is 00:30 BST on the 30th; 23:30 UTC on 25 October 2026 is GMT again.
    expect(londonDate(Date.UTC(2026, 2, 29, 23, 30))).toBe('2026-03-30');
    expect(londonDate(Date.UTC(2026, 9, 25, 23, 30))).toBe('2026-10-25');
  });

  it('accepts, rejects and computes exactly what the previous path did', () => {
    fc.assert(
      fc.property(fieldsArb, fc.integer({ min: 1, max: 1000 }), fc.option(fc.integer({ min: 2, max: 2000 }), { nil: undefined }), (rec, row, line) => {
        const old = outcome(() => oldToCardTransaction(rec, row, line));
        expect(outcome(() => toCardTransaction(rec, row, line))).toEqual(old);
        const lean = outcome(() => validateCardFields(CARD_COLUMNS.map((c) => rec[c]), row, line));
        if ('err' in old) expect(lean).toEqual(old);
        else {
          const t = (lean as { ok: ReturnType<typeof validateCardFields> }).ok;
          // amounts as text are the canonical form of the same integers
          expect(t.amountMinor).toBe(old.ok.amountMinor.toString());
          expect(t.balanceMinor).toBe(old.ok.balanceMinor === null ? null : old.ok.balanceMinor.toString());
          expect({ ...t, amountMinor: old.ok.amountMinor, balanceMinor: old.ok.balanceMinor }).toEqual(old.ok);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
