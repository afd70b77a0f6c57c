/**
 * Worked example: an allow-listed payee is never flagged.
 *   allowPayees: ["HMRC", "Payroll Bureau"].
 *   A -£420.00 transfer to "HMRC PAYE" at 4829 (money transfer, a flagged MCC) -> not flagged.
 *   A -£60.00 transfer to "payroll-bureau ltd" at 4829 -> not flagged (case and punctuation ignored).
 *   A -£25.00 transfer to "HMRCX Traders" at 4829 -> MCC flag ("HMRC" is not a whole word there).
 */
import { auditAccount } from '../audit';
import { DEFAULTS, input, item } from './fixtures';

describe('audit example: an allow-listed payee is never flagged', () => {
  it('skips allowed payees and flags the look-alike', () => {
    const items = [
      item({ id: 'HMRC1', type: 'TRANSFER_OUT', mcc: '4829', amountPence: -42000n, merchant: 'HMRC PAYE' }),
      item({ id: 'PAY1', type: 'TRANSFER_OUT', mcc: '4829', amountPence: -6000n, merchant: 'payroll-bureau ltd' }),
      item({ id: 'X1', type: 'TRANSFER_OUT', mcc: '4829', amountPence: -2500n, merchant: 'HMRCX Traders' }),
    ];
    const a = auditAccount(input({ items, settings: { ...DEFAULTS, allowPayees: ['HMRC', 'Payroll Bureau'] } }));
    expect(a.flags).toEqual([{ txnId: 'X1', kind: 'MCC', mcc: '4829', amountPence: -2500n }]);
  });
});
