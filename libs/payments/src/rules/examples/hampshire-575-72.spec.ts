import { computePeriodAmount } from '../amounts';
import { periodContaining } from '../periods';
import { ANCHOR, dp } from './fixtures';

// Hampshire's published example: £150.00/week gross, £20.00/week contribution, a 31-day month.
//   gross        = 150.00 x 31 / 7 = 4650.00 / 7 = 664.2857... -> 664.29  (15000 x 31 = 465000; /7 = 66428.57 -> 66429)
//   contribution =  20.00 x 31 / 7 =  620.00 / 7 =  88.5714... ->  88.57  ( 2000 x 31 =  62000; /7 =  8857.14 ->  8857)
//   net          = 664.29 - 88.57 = 575.72
// Rounding the net directly would give 130.00 x 31 / 7 = 575.714... -> 575.71, which is wrong.
describe('worked example: Hampshire 575.72 (round each component, then subtract)', () => {
  const a = computePeriodAmount(
    dp({ frequency: 'MONTHLY' }),
    periodContaining('MONTHLY', '2027-01-15', ANCHOR),
  );

  it('uses the calendar month as the period', () => {
    expect([a.periodStart, a.periodEnd, a.periodDays, a.payableDays]).toEqual([
      '2027-01-01',
      '2027-01-31',
      31,
      31,
    ]);
  });

  it('pays 575.72, not 575.71', () => {
    expect(a.grossPence).toBe(66429n);
    expect(a.contributionPence).toBe(8857n);
    expect(a.payablePence).toBe(57572n);
    expect(a.payablePence).not.toBe(57571n);
  });
});
