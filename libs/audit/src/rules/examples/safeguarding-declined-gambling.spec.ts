/**
 * Worked example: a declined gambling attempt is a safeguarding item.
 *   In the window: declined -£50.00 at 7995 (betting) -> SAFEGUARDING;
 *   settled -£10.00 at 7995 -> MCC; declined -£20.00 at 5411 (grocery) -> nothing;
 *   declined ATM -£30.00 (6011) -> nothing (a declined item is never CASH);
 *   pending -£15.00 at 7801 -> nothing (pending items are not flagged);
 *   declined -£40.00 at 7995 on 2026-10-30, before the window -> nothing.
 *   SAFEGUARDING case amount = 5000; SPEND_FLAG case amount = 1000.
 */
import { auditAccount } from '../audit';
import { flaggedTotal } from '../flags';
import { input, item } from './fixtures';

describe('audit example: a declined gambling attempt (safeguarding)', () => {
  it('flags the declined bet as SAFEGUARDING and the settled one as MCC', () => {
    const items = [
      item({ id: 'BET-DECLINED', status: 'DECLINED', mcc: '7995', amountPence: -5000n, merchant: 'Bookmaker' }),
      item({ id: 'BET-SETTLED', mcc: '7995', amountPence: -1000n }),
      item({ id: 'FOOD-DECLINED', status: 'DECLINED', mcc: '5411', amountPence: -2000n }),
      item({ id: 'ATM-DECLINED', status: 'DECLINED', type: 'ATM', mcc: '6011', amountPence: -3000n }),
      item({ id: 'LOTTO-PENDING', status: 'PENDING', mcc: '7801', amountPence: -1500n }),
      item({ id: 'BET-OLD', status: 'DECLINED', mcc: '7995', amountPence: -4000n, date: '2026-10-30' }),
    ];
    const a = auditAccount(input({ items }));
    expect(a.flags.map((f) => [f.txnId, f.kind, f.mcc])).toEqual([
      ['BET-DECLINED', 'SAFEGUARDING', '7995'],
      ['BET-SETTLED', 'MCC', '7995'],
    ]);
    expect(flaggedTotal(a.flags.filter((f) => f.kind === 'SAFEGUARDING'))).toBe(5000n);
    expect(flaggedTotal(a.flags.filter((f) => f.kind !== 'SAFEGUARDING'))).toBe(1000n);
    // Declined and pending items never move the balance.
    expect(a.balancePence).toBe(-1000n);
  });
});
