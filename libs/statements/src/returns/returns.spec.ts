import type { StatementEntry } from '../model';
import { ParseError } from '../parsers/errors';
import { isArucsHead, parseArucsCsv } from './arucs';
import { isReturnEntry, returnFromArucs, returnFromEntry } from './from-statement';
import { isDeceasedReason } from './reasons';

const entry = (over: Partial<StatementEntry>): StatementEntry => ({
  amountMinor: 16250n, bookingDate: '2026-11-20', valueDate: '2026-11-20', status: 'BOOKED', reversal: false,
  reference: null, endToEndId: null, counterparty: null, mcc: null, ...over,
});

describe('ARUCS-style returns CSV', () => {
  const file = 'return_date,reference,Payee Name,amount,reason_code,end_to_end_id\n' +
    '2026-11-24,DPB000002,A PERSON,500.00,2,\n2026-11-24,DPB000003,B PERSON,12.5,b,E-3\n';
  it('is detected by its header', () => {
    expect(isArucsHead(Buffer.from(file))).toBe(true);
    expect(isArucsHead(Buffer.from('txn_id,posted_at\n'))).toBe(false);
  });
  it('reads amounts digit by digit (500.00 -> 50000p, 12.5 -> 1250p) and ignores personal columns', () => {
    const r = parseArucsCsv(file);
    expect(r.items).toEqual([
      { row: 1, reference: 'DPB000002', endToEndId: null, amountMinor: 50000n, reasonCode: '2', returnDate: '2026-11-24', originalProcessingDate: null },
      { row: 2, reference: 'DPB000003', endToEndId: 'E-3', amountMinor: 1250n, reasonCode: 'B', returnDate: '2026-11-24', originalProcessingDate: null },
    ]);
    expect(JSON.stringify(r.items, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain('PERSON');
    expect(r.unknownReasonRows).toEqual([]);
  });
  it('keeps unknown reason codes but reports their rows; rejects bad amounts without echoing them', () => {
    expect(parseArucsCsv('reference,amount,reason_code\nR1,1.00,9\n').unknownReasonRows).toEqual([1]);
    let err: unknown;
    try {
      parseArucsCsv('reference,amount,reason_code\nR1,12.345,0\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).code).toBe('AMOUNT_PRECISION');
    expect((err as ParseError).message).not.toContain('12.345');
    expect(() => parseArucsCsv('reference,amount\nR1,1.00\n')).toThrow(expect.objectContaining({ code: 'MISSING_COLUMN' }));
  });
});

describe('returns on statements', () => {
  it('a booked ARET credit or a reversal credit is a return; debits and pending items are not', () => {
    expect(isReturnEntry(entry({ extra: { bankTxSubFamily: 'ARET' } }))).toBe(true);
    expect(isReturnEntry(entry({ reversal: true }))).toBe(true);
    expect(isReturnEntry(entry({ reversal: true, amountMinor: -16250n }))).toBe(false);
    expect(isReturnEntry(entry({ reversal: true, status: 'PENDING' }))).toBe(false);
    expect(isReturnEntry(entry({}))).toBe(false);
  });
  it('keys a statement return by EndToEndId and flags ISO MD07 as deceased', () => {
    const d = returnFromEntry(entry({ reversal: true, endToEndId: 'E1', extra: { returnReason: 'MD07' } }), 3);
    expect(d).toMatchObject({ source: 'STATEMENT', itemKey: 'e2e:E1', lineNo: 3, amountMinor: 16250n, reasonCode: 'MD07', deceased: true });
  });
  it('ARUCS code 2 is deceased, other codes are not', () => {
    expect(isDeceasedReason('ARUCS', '2')).toBe(true);
    expect(isDeceasedReason('ARUCS', 'B')).toBe(false);
    expect(isDeceasedReason('STATEMENT', 'AC04')).toBe(false);
    const d = returnFromArucs({ row: 1, reference: 'R', endToEndId: null, amountMinor: 100n, reasonCode: '2', returnDate: null, originalProcessingDate: '2026-11-18' });
    expect(d).toMatchObject({ source: 'ARUCS', deceased: true, itemKey: '|R|100|2026-11-18|2' });
  });
});
