/**
 * Worked example: a surplus at or below the council's floor is reported as 0.
 *   Floor £1,000.00 (surplusFloorPence 100000). DP100 contingency 8 x 26000 = 208000.
 *   Bank account, statement closing balance £2,900.00: 290000 - 208000 = 82000 <= 100000 -> 0.
 *   Closing £3,080.00: 308000 - 208000 = 100000, equal to the floor -> still 0.
 *   Closing £3,080.01: 100001 > floor -> surplus 100001 (all of it, not just the part above the floor).
 */
import { auditAccount } from '../audit';
import { DEFAULTS, input } from './fixtures';

const settings = { ...DEFAULTS, surplusFloorPence: 100000n };

describe('audit example: surplus below the floor', () => {
  it.each([
    [290000n, 0n],
    [308000n, 0n],
    [308001n, 100001n],
  ])('closing balance %p gives surplus %p', (closing, surplus) => {
    const a = auditAccount(input({ statementBalancePence: closing, settings, lines: [] }));
    expect(a.balancePence).toBe(closing);
    expect(a.contingencyPence).toBe(208000n);
    expect(a.surplusPence).toBe(surplus);
    expect(a.councilExcessPence).toBe(surplus);
  });
});
