import type { Statement } from '../model';
import { decideStatement, type StoredStatement } from './decide';
import { cardFileName, copyField, copyLine } from './copy-text';
import { expectedFileVerdict, expectedFileWindow, londonCutoffMs } from './expected-files';
import { sequenceKey, statementContentHash } from './sequence';

const st = (over: Partial<Statement> = {}): Statement => ({
  account: '12345678', currency: 'GBP', sequence: '42', openingBalanceMinor: 52500n, closingBalanceMinor: 50000n,
  entries: [{ amountMinor: -2500n, bookingDate: '2026-11-20', valueDate: '2026-11-20', status: 'BOOKED', reversal: false, reference: 'R', endToEndId: null, counterparty: null, mcc: null }],
  ...over,
});
const stored = (over: Partial<StoredStatement> = {}): StoredStatement => ({ id: '7', sequence: '41', closing: 52500n, contentHash: 'h', ...over });

describe('sequenceKey', () => {
  it('reads plain and paged sequence numbers, ignores non-numeric ones', () => {
    expect(sequenceKey('00042')).toEqual({ no: 42n, page: null });
    expect(sequenceKey('19321/2')).toEqual({ no: 19321n, page: 2n });
    expect(sequenceKey('A7')).toBeNull();
    expect(sequenceKey(null)).toBeNull();
  });
});

describe('statementContentHash', () => {
  it('is equal for equal content and changes with any entry field', () => {
    expect(statementContentHash(st())).toBe(statementContentHash(st()));
    const other = st({ entries: [{ ...st().entries[0], amountMinor: -2501n }] });
    expect(statementContentHash(other)).not.toBe(statementContentHash(st()));
  });
});

describe('decideStatement', () => {
  const none = { sameContent: null, sameSequence: null, predecessor: null };
  it('posts a statement that follows its predecessor (41 closing 525.00 -> 42 opening 525.00)', () => {
    expect(decideStatement({ statement: st(), kind: 'STATEMENT', ...none, predecessor: stored() })).toEqual({ state: 'POSTED', duplicateOf: null, findings: [] });
  });
  it('holds a gap and a discontinuity, with the amounts in the finding', () => {
    const d = decideStatement({ statement: st({ sequence: '44', openingBalanceMinor: 50000n }), kind: 'STATEMENT', ...none, predecessor: stored() });
    expect(d.state).toBe('HELD');
    expect(d.findings.map((f) => [f.code, f.blocking])).toEqual([['BALANCE_DISCONTINUITY', true], ['SEQUENCE_GAP', true]]);
    expect(d.findings[0].detail).toMatchObject({ expectedMinor: '52500', actualMinor: '50000' });
  });
  it('a restart at 1 with a continuous balance is recorded, not held', () => {
    const d = decideStatement({ statement: st({ sequence: '1' }), kind: 'STATEMENT', ...none, predecessor: stored({ sequence: '250' }) });
    expect(d).toMatchObject({ state: 'POSTED', findings: [{ code: 'SEQUENCE_RESTART', blocking: false }] });
  });
  it('an exact resend is DUPLICATE; the same sequence with other content is HELD', () => {
    expect(decideStatement({ statement: st(), kind: 'STATEMENT', ...none, sameContent: stored({ id: '9' }) })).toMatchObject({ state: 'DUPLICATE', duplicateOf: '9' });
    expect(decideStatement({ statement: st(), kind: 'STATEMENT', ...none, sameSequence: stored({ id: '9', sequence: '42' }) }))
      .toMatchObject({ state: 'HELD', findings: [{ code: 'SEQUENCE_DUPLICATE', blocking: true }] });
  });
  it('notifications (camt.054) are not chained', () => {
    expect(decideStatement({ statement: st({ sequence: '99' }), kind: 'NOTIFICATION', ...none, predecessor: stored() }).state).toBe('POSTED');
  });
});

describe('COPY text encoding', () => {
  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    expect(copyField('A\tB\nC\rD\\E')).toBe('A\\tB\\nC\\rD\\\\E');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(-1250n)).toBe('-1250');
    expect(copyLine(['x', null, 3])).toBe('x\t\\N\t3\n');
  });
});

describe('cardFileName', () => {
  it('gives the provider (upper case) and the file date', () => {
    expect(cardFileName('cards_allpay_20261120.csv')).toEqual({ provider: 'ALLPAY', fileDate: '2026-11-20' });
    expect(cardFileName('inbox/CARDS_pfs-uk_20270101.CSV')).toEqual({ provider: 'PFS-UK', fileDate: '2027-01-01' });
    expect(cardFileName('cards_allpay.csv')).toBeNull();
  });
});

describe('expected files', () => {
  it('converts a London cut-off to an instant across GMT and BST', () => {
    // 06:00 GMT = 06:00Z in November; 06:00 BST = 05:00Z in July
    expect(londonCutoffMs('2026-11-20', '06:00')).toBe(Date.UTC(2026, 10, 20, 6, 0));
    expect(londonCutoffMs('2026-07-01', '06:00')).toBe(Date.UTC(2026, 6, 1, 5, 0));
  });
  it('window runs from the previous night cut-off; missing only once the cut-off has passed', () => {
    expect(expectedFileWindow('2026-11-20', '06:00')).toEqual({ fromMs: Date.UTC(2026, 10, 19, 6), dueMs: Date.UTC(2026, 10, 20, 6) });
    const base = { nightDate: '2026-11-20', cutoff: '06:00' };
    expect(expectedFileVerdict({ ...base, nowMs: Date.UTC(2026, 10, 20, 5, 59), taken: 0 })).toBe('NOT_DUE');
    expect(expectedFileVerdict({ ...base, nowMs: Date.UTC(2026, 10, 20, 6, 0), taken: 0 })).toBe('MISSING');
    expect(expectedFileVerdict({ ...base, nowMs: Date.UTC(2026, 10, 20, 6, 0), taken: 1 })).toBe('RECEIVED');
  });
});
