import { Readable } from 'stream';
import { ParseError } from '../errors';
import { checkIntegrity } from '../integrity';
import { parseCardCsv, streamCardCsv } from './card-csv';
import { londonDate, timestampMs } from './card-row';

const HEADER = 'txn_id,account_ref,posted_at,type,status,amount_minor,currency,mcc,merchant,reference,balance_minor';
const FILE = [
  HEADER,
  'T1,AP1,2026-03-28T10:00:00Z,LOAD,SETTLED,50000,GBP,,,DP MAR,50000',
  'T2,AP1,2026-03-29T23:30:00Z,POS,PENDING,-1250,GBP,5411,SHOP A,,50000',
  'T3,AP1,2026-03-30T09:00:00+01:00,POS,DECLINED,-2000,826,7995,BOOKIE,,50000',
  'T2,AP1,2026-03-29T23:30:00Z,POS,SETTLED,-1250,GBP,5411,SHOP A,,48750',
  'T2,AP1,2026-03-29T23:30:00Z,POS,SETTLED,-1250,GBP,5411,SHOP A,,48750',
  'T4,AP2,2026-03-30T12:00:00+01:00,ATM,SETTLED,-1000,GBP,6011,ATM,,9000',
  'T5,AP2,2026-03-30T13:00:00+01:00,FEE,SETTLED,-50,GBP,,,,8900',
  'T6,AP1,2026-03-31T10:00:00+01:00,POS,SETTLED,-500,GBP,5411,SHOP B,,48250',
  'T6,AP1,2026-03-31T12:00:00+01:00,POS,REVERSED,-500,GBP,5411,SHOP B,,48750',
].join('\n');

describe('card CSV profile', () => {
  const f = parseCardCsv(FILE);
  const [ap1, ap2] = f.statements;

  it('one statement per account, each txn_id once with its latest status, duplicates dropped', () => {
    expect(f.format).toBe('cards-csv');
    expect(f.statements.map((s) => s.account)).toEqual(['AP1', 'AP2']);
    expect(ap1.entries.map((e) => [e.extra?.txnId, e.status, e.amountMinor])).toEqual([
      ['T1', 'BOOKED', 50000n],
      ['T2', 'BOOKED', -1250n],
      ['T3', 'DECLINED', -2000n],
      ['T6', 'REVERSED', -500n],
    ]);
    expect(ap1.currency).toBe('GBP');
    expect(ap1.entries[2]).toMatchObject({ mcc: '7995', counterparty: 'BOOKIE', reversal: false });
  });

  it('posting date is the Europe/London date (BST from 29 March 2026 01:00 UTC)', () => {
    expect(ap1.entries[0].bookingDate).toBe('2026-03-28'); // 10:00 GMT
    expect(ap1.entries[1].bookingDate).toBe('2026-03-30'); // 23:30 UTC = 00:30 BST next day
    expect(londonDate(timestampMs('2026-03-28T23:30:00Z')!)).toBe('2026-03-28'); // still GMT
    expect(londonDate(timestampMs('2026-10-25T00:30:00Z')!)).toBe('2026-10-25'); // 01:30 BST
    expect(londonDate(timestampMs('2026-10-25T23:30:00Z')!)).toBe('2026-10-25'); // GMT again
    expect(londonDate(timestampMs('2026-07-01T00:30:00+01:00')!)).toBe('2026-07-01');
  });

  it('balances: AP1 reconciles (declined/pending/reversed do not count), AP2 running balance is flagged', () => {
    expect([ap1.openingBalanceMinor, ap1.closingBalanceMinor]).toEqual([0n, 48750n]);
    expect([ap2.openingBalanceMinor, ap2.closingBalanceMinor]).toEqual([10000n, 8900n]);
    expect(f.warnings).toEqual([expect.objectContaining({ code: 'CARD_RUNNING_BALANCE', statement: 1, entry: 1 })]);
    // 10000 - 1000 - 50 = 8950, not 8900
    expect(checkIntegrity(f)).toEqual([expect.objectContaining({ statement: 1, expectedMinor: 8950n, actualMinor: 8900n })]);
  });

  it('maps provider headers onto the canonical columns', () => {
    const provider = ['Id,Card,When,Kind,State,Pence,Ccy,Extra', 'X1,C9,2026-01-15T23:30:00Z,LOAD,SETTLED,100,826,ignored'].join('\r\n');
    const g = parseCardCsv(provider, {
      mapping: { Id: 'txn_id', Card: 'account_ref', When: 'posted_at', Kind: 'type', State: 'status', Pence: 'amount_minor', Ccy: 'currency' },
    });
    expect(g.statements[0]).toMatchObject({ account: 'C9', openingBalanceMinor: null, closingBalanceMinor: null });
    expect(g.statements[0].entries[0]).toMatchObject({ amountMinor: 100n, bookingDate: '2026-01-15', status: 'BOOKED' });
  });

  it('rejects a missing column, a non-GBP currency, a decimal amount, a timestamp without offset', () => {
    expect(() => parseCardCsv('txn_id,account_ref\nA,B')).toThrow(expect.objectContaining({ code: 'MISSING_COLUMN' }));
    const row = (r: string) => `${HEADER}\n${r}`;
    expect(() => parseCardCsv(row('T,A,2026-01-01T00:00:00Z,POS,SETTLED,-1,EUR,,,,'))).toThrow(expect.objectContaining({ code: 'BAD_CURRENCY' }));
    expect(() => parseCardCsv(row('T,A,2026-01-01T00:00:00Z,POS,SETTLED,-1.50,GBP,,,,'))).toThrow(expect.objectContaining({ code: 'BAD_AMOUNT' }));
    expect(() => parseCardCsv(row('T,A,2026-01-01T00:00:00,POS,SETTLED,-1,GBP,,,,'))).toThrow(expect.objectContaining({ code: 'BAD_DATE' }));
    expect(() => parseCardCsv(row('T,A,2026-01-01T00:00:00Z,POS,SETTLED,-1,GBP,,"unclosed,,'))).toThrow(ParseError);
  });

  it('a txn_id moving to another account is refused', () => {
    const g = `${HEADER}\nT,A,2026-01-01T00:00:00Z,POS,PENDING,-1,GBP,,,,\nT,B,2026-01-01T00:00:00Z,POS,SETTLED,-1,GBP,,,,`;
    expect(() => parseCardCsv(g)).toThrow(expect.objectContaining({ code: 'CONFLICTING_ROW' }));
  });

  it('streams rows in file order without dedupe, over many rows', async () => {
    const rows = await collect(streamCardCsv(Readable.from([FILE.slice(0, 50), FILE.slice(50)])));
    expect(rows.map((r) => r.txnId)).toEqual(['T1', 'T2', 'T3', 'T2', 'T2', 'T4', 'T5', 'T6', 'T6']);
    expect(rows[1]).toMatchObject({ postingDate: '2026-03-30', amountMinor: -1250n, status: 'PENDING' });

    const n = 20_000;
    async function* big() {
      yield HEADER + '\n';
      for (let i = 0; i < n; i++) yield `T${i},A${i % 7},2026-06-01T12:00:00+01:00,POS,SETTLED,-${i},GBP,,,,\n`;
    }
    let count = 0;
    let sum = 0n;
    for await (const r of streamCardCsv(Readable.from(big()))) {
      count++;
      sum += r.amountMinor;
    }
    expect(count).toBe(n);
    expect(sum).toBe(-BigInt((n * (n - 1)) / 2));
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
