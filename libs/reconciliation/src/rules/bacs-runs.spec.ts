import { BacsCalendar } from '@dpb/common';
import { matchBacsRuns, type BankDebit, type ExpectedRunDebit } from './bacs-runs';
import { runDebitWindow } from './windows';

const run = (runId: string, totalPence: bigint, credits: ExpectedRunDebit['credits'] = []): ExpectedRunDebit => ({
  runId, totalPence, processingDay: '2026-12-10', entryDay: '2026-12-11', credits,
});
const debit = (entryId: string, amountPence: bigint, bookingDate = '2026-12-10', over: Partial<BankDebit> = {}): BankDebit => ({
  entryId, amountPence, bookingDate, reference: null, endToEndId: null, ...over,
});

describe('Bacs run confirmation', () => {
  it('the debit window: processing day to entry day; unconfirmed after bacsMatchDays more Bacs days', () => {
    expect(runDebitWindow(BacsCalendar.bundled(), '2026-12-09', { loadMatchDays: 5, bacsMatchDays: 2 })).toEqual({
      processingDay: '2026-12-10', entryDay: '2026-12-11', confirmBy: '2026-12-15',
    });
  });

  it('matches the contra of exactly the total in the days; prefers the one naming the run', () => {
    const debits = [debit('1', 50000n, '2026-12-09'), debit('2', 50000n), debit('3', 50000n, '2026-12-11', { reference: 'BACS HCC-20261209-1' }), debit('4', 49999n)];
    expect(matchBacsRuns([run('HCC-20261209-1', 50000n)], debits)).toEqual([{ runId: 'HCC-20261209-1', by: 'CONTRA', entryIds: ['3'] }]);
    expect(matchBacsRuns([run('HCC-20261209-1', 50000n)], debits.slice(0, 2))).toEqual([{ runId: 'HCC-20261209-1', by: 'CONTRA', entryIds: ['2'] }]);
    expect(matchBacsRuns([run('HCC-20261209-1', 50000n)], [debit('1', 50000n, '2026-12-14')])).toEqual([]);
  });

  it('itemised: one debit per credit (EndToEndId or payment reference) summing to the total', () => {
    const credits = [
      { creditId: '7', paymentRef: 'HCC000007', endToEndId: 'HCC-20261209-1-7', amountPence: 30000n },
      { creditId: '8', paymentRef: 'HCC000008', endToEndId: 'HCC-20261209-1-8', amountPence: 20000n },
    ];
    const debits = [debit('1', 30000n, '2026-12-10', { endToEndId: 'HCC-20261209-1-7' }), debit('2', 20000n, '2026-12-11', { reference: 'DP HCC000008' })];
    expect(matchBacsRuns([run('HCC-20261209-1', 50000n, credits)], debits)).toEqual([{ runId: 'HCC-20261209-1', by: 'ITEMISED', entryIds: ['1', '2'] }]);
    expect(matchBacsRuns([run('HCC-20261209-1', 50000n, credits)], debits.slice(0, 1))).toEqual([]);
  });

  it('a debit confirms one run only', () => {
    const r1 = run('A-20261209-1', 100n);
    const r2 = { ...run('A-20261209-2', 100n) };
    expect(matchBacsRuns([r2, r1], [debit('9', 100n)])).toEqual([{ runId: 'A-20261209-1', by: 'CONTRA', entryIds: ['9'] }]);
  });
});
