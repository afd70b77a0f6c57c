import { parseArucsCsv, parseStatementFile } from '@dpb/statements';
import { bankSampleFiles } from './bank-sample';

describe('sample bank and card files for a run', () => {
  const files = bankSampleFiles({
    runId: 'HCC-20261119-1',
    account: '66374958',
    processingDay: '2026-11-20',
    answerDay: '2026-11-23',
    credits: [
      { ref: 'HCC00000A', amountPence: 10000n },
      { ref: 'HCC00000B', amountPence: 20000n },
      { ref: 'HCC00000C', amountPence: 30000n },
      { ref: 'HCC00000D', amountPence: 40000n },
    ],
    cardLoads: new Map([['ALLPAY', [{ accountRef: 'C2', amountPence: 40000n, ref: 'HCC00000D' }, { accountRef: 'C1', amountPence: 30000n, ref: 'HCC00000C' }]]]),
    bankCreditRefs: ['HCC00000B', 'HCC00000A'],
    unexpectedLoadOn: '2026-11-09',
    openingPence: 1_000_000n,
  });

  it('writes a statement the camt parser accepts: the contra on the processing day and an ARET return', () => {
    const stmt = files.find((f) => f.name.startsWith('stmt_'))!;
    expect(stmt.inbox).toBe('bank');
    const parsed = parseStatementFile(Buffer.from(stmt.content), stmt.name);
    expect(parsed.format).toBe('camt.053');
    const [s] = parsed.statements;
    expect(s.closingBalanceMinor).toBe(1_000_000n - 100000n + 20000n);
    expect(s.entries.map((e) => [e.amountMinor, e.bookingDate, e.reference, e.reversal])).toEqual([
      [-100000n, '2026-11-20', 'BACS HCC-20261119-1', false],
      [20000n, '2026-11-23', 'HCC00000B', true],
    ]);
  });

  it('returns the first bank credit as deceased (ARUCS reason 2)', () => {
    const arucs = files.find((f) => f.name.startsWith('arucs_'))!;
    expect(parseArucsCsv(arucs.content).items).toEqual([expect.objectContaining({ reference: 'HCC00000A', amountMinor: 10000n, reasonCode: '2' })]);
  });

  it('posts every card load but the last, plus one LOAD nobody sent', () => {
    const card = files.find((f) => f.inbox === 'card')!;
    expect(card.name).toBe('cards_allpay_20261123.csv');
    const [c1, x] = parseStatementFile(Buffer.from(card.content), card.name).statements;
    expect([c1.account, c1.entries.map((e) => [e.amountMinor, e.reference])]).toEqual(['C1', [[30000n, 'HCC00000C']]]);
    expect([x.account, x.entries.map((e) => [e.amountMinor, e.bookingDate])]).toEqual(['CARD-NOT-OURS', [[2500n, '2026-11-09']]]);
  });
});
