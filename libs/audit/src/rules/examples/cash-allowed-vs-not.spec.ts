/**
 * Worked example: cash items are review items unless cash is allowed.
 *   Items in the window: ATM withdrawal -£100.00 (type ATM, MCC 6011), quasi-cash -£20.00 (POS at 6051),
 *   a supermarket -£35.00 (5411, not flagged).
 *   Cash not allowed: two CASH flags (T of 10000 and 2000: total 12000).
 *   Council cashAllowed, or the DP's own cashAllowed (support plan): no flags.
 */
import { auditAccount } from '../audit';
import { flaggedTotal } from '../flags';
import { DEFAULTS, input, item, netDp } from './fixtures';

const items = () => [
  item({ id: 'ATM1', type: 'ATM', mcc: '6011', amountPence: -10000n }),
  item({ id: 'QC1', type: 'POS', mcc: '6051', amountPence: -2000n }),
  item({ id: 'SHOP', type: 'POS', mcc: '5411', amountPence: -3500n }),
];

describe('audit example: cash allowed vs not', () => {
  it('cash not allowed: both cash items are CASH flags', () => {
    const a = auditAccount(input({ items: items() }));
    expect(a.flags.map((f) => [f.txnId, f.kind])).toEqual([
      ['ATM1', 'CASH'],
      ['QC1', 'CASH'],
    ]);
    expect(flaggedTotal(a.flags)).toBe(12000n);
  });

  it('cash allowed by the council: no flags', () => {
    expect(auditAccount(input({ items: items(), settings: { ...DEFAULTS, cashAllowed: true } })).flags).toEqual([]);
  });

  it("cash allowed in the DP's support plan: no flags", () => {
    expect(auditAccount(input({ items: items(), dp: netDp({ cashAllowed: true }) })).flags).toEqual([]);
  });
});
