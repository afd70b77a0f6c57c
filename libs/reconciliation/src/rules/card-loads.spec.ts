import fc from 'fast-check';
import { BacsCalendar } from '@dpb/common';
import { matchCardLoads, unconfirmedLoads, unexpectedLoads, type CardLoadItem, type ExpectedLoad } from './card-loads';
import { loadWindow, unexpectedLoadGraceTo } from './windows';

const cal = BacsCalendar.bundled();
const settings = { loadMatchDays: 5, bacsMatchDays: 2 };

// Run of Wed 2026-12-09: processing Thu 10th, entry Fri 11th; + 5 Bacs days = Fri 18th.
const load = (creditId: string, over: Partial<ExpectedLoad> = {}): ExpectedLoad => ({
  creditId, provider: 'ALLPAY', accountRef: 'CARD1', amountPence: 14000n, paymentRef: `HCC00000${creditId}`,
  windowFrom: '2026-12-09', windowTo: '2026-12-18', ...over,
});
const item = (txnId: string, postingDate: string, over: Partial<CardLoadItem> = {}): CardLoadItem => ({
  provider: 'ALLPAY', txnId, accountRef: 'CARD1', amountPence: 14000n, postingDate, reference: null, ...over,
});

describe('card-load matching', () => {
  it('windows: from the run date to loadMatchDays Bacs days after the entry day', () => {
    expect(loadWindow(cal, '2026-12-09', settings)).toEqual({ from: '2026-12-09', to: '2026-12-18' });
    // Over Christmas: run Wed 23rd, processing Thu 24th, entry Tue 29th; + 5 Bacs days = Wed 6 Jan (1 Jan a holiday).
    expect(loadWindow(cal, '2026-12-23', settings)).toEqual({ from: '2026-12-23', to: '2027-01-06' });
    expect(unexpectedLoadGraceTo(cal, '2026-12-11', settings)).toEqual('2026-12-22');
  });

  it('a reference match beats an earlier date match, even before the window closes', () => {
    const items = [item('T1', '2026-12-11'), item('T2', '2026-12-14', { reference: 'DP LOAD HCC000001 ' })];
    expect(matchCardLoads([load('1')], items, '2026-12-15')).toEqual([{ creditId: '1', provider: 'ALLPAY', txnId: 'T2', by: 'REFERENCE' }]);
  });

  it('a date match waits for the window to close, then takes the earliest item in it', () => {
    const items = [item('T2', '2026-12-14'), item('T1', '2026-12-11')];
    expect(matchCardLoads([load('1')], items, '2026-12-18')).toEqual([]);
    expect(matchCardLoads([load('1')], items, '2026-12-19')).toEqual([{ creditId: '1', provider: 'ALLPAY', txnId: 'T1', by: 'DATE' }]);
  });

  it('needs the same provider, card account and amount, inside the window; an item naming another of our loads is not taken by date', () => {
    const loads = [load('1'), load('2', { accountRef: 'CARD2', paymentRef: 'HCC000002' })];
    const items = [
      item('A', '2026-12-11', { amountPence: 14001n }),
      item('B', '2026-12-11', { accountRef: 'CARD9' }),
      item('C', '2026-12-11', { provider: 'PFS' }),
      item('D', '2026-12-08'),
      item('E', '2026-12-21'),
      item('F', '2026-12-11', { reference: 'HCC000002' }),
    ];
    expect(matchCardLoads(loads, items, '2026-12-30')).toEqual([]);
    const left = unconfirmedLoads(loads, [], '2026-12-30');
    expect(left.map((l) => l.creditId)).toEqual(['1', '2']);
  });

  it('never matches a load or an item twice: two equal loads take two items', () => {
    const loads = [load('1', { paymentRef: 'X1' }), load('2', { paymentRef: 'X2', windowFrom: '2026-12-10' })];
    const items = [item('T1', '2026-12-11'), item('T2', '2026-12-12'), item('T3', '2026-12-12')];
    const m = matchCardLoads(loads, items, '2026-12-30');
    expect(m).toEqual([
      { creditId: '1', provider: 'ALLPAY', txnId: 'T1', by: 'DATE' },
      { creditId: '2', provider: 'ALLPAY', txnId: 'T2', by: 'DATE' },
    ]);
    expect(unexpectedLoads(items, m, (it) => unexpectedLoadGraceTo(cal, it.postingDate, settings), '2026-12-30').map((i) => i.txnId)).toEqual(['T3']);
    // Still inside the grace: not yet unexpected (a load of a later run could claim it).
    expect(unexpectedLoads(items, m, (it) => unexpectedLoadGraceTo(cal, it.postingDate, settings), '2026-12-22')).toEqual([]);
  });

  it('property: the matches do not depend on the order of loads or items', () => {
    const arb = fc.record({
      loads: fc.uniqueArray(
        fc.record({ id: fc.integer({ min: 1, max: 40 }), acct: fc.constantFrom('C1', 'C2'), amt: fc.constantFrom(100n, 200n), from: fc.integer({ min: 0, max: 6 }), ref: fc.boolean() }),
        { selector: (l) => l.id, maxLength: 12 },
      ),
      items: fc.uniqueArray(
        fc.record({ id: fc.integer({ min: 1, max: 60 }), acct: fc.constantFrom('C1', 'C2'), amt: fc.constantFrom(100n, 200n), day: fc.integer({ min: 0, max: 20 }), refTo: fc.option(fc.integer({ min: 1, max: 40 })) }),
        { selector: (i) => i.id, maxLength: 16 },
      ),
      night: fc.integer({ min: 5, max: 30 }),
      seed: fc.integer(),
    });
    const day = (n: number) => `2026-12-${String(1 + n).padStart(2, '0')}`;
    fc.assert(
      fc.property(arb, ({ loads, items, night, seed }) => {
        const L: ExpectedLoad[] = loads.map((l) => load(String(l.id), { accountRef: l.acct, amountPence: l.amt, windowFrom: day(l.from), windowTo: day(l.from + 7), paymentRef: `R${l.id}` }));
        const I: CardLoadItem[] = items.map((i) => item(`T${i.id}`, day(i.day), { accountRef: i.acct, amountPence: i.amt, reference: i.refTo === null ? null : `R${i.refTo}` }));
        const shuffle = <T>(xs: T[]) => {
          const out = [...xs];
          let s = seed >>> 0;
          for (let k = out.length - 1; k > 0; k--) {
            s = (s * 1103515245 + 12345) >>> 0;
            const j = s % (k + 1);
            [out[k], out[j]] = [out[j], out[k]];
          }
          return out;
        };
        const a = matchCardLoads(L, I, day(night));
        const b = matchCardLoads(shuffle(L), shuffle(I), day(night));
        expect(b).toEqual(a);
        expect(new Set(a.map((x) => x.txnId)).size).toBe(a.length);
        expect(new Set(a.map((x) => x.creditId)).size).toBe(a.length);
      }),
      { numRuns: 300 },
    );
  });
});
