import { basisPointsText, healthShareForMonth } from './health-share';
import { SETTINGS, reclaimDp, split } from './examples/fixtures';

// JOINT DP, £150.00/week, January 2027 (31 days), one partner:
//   cost  = 15000 x 31 / 7 = 66428.57 -> 66429
//   50.00%: 15000 x 31 x 5000 / 70000 = 2,325,000,000 / 70000 = 33214.29 -> 33214
//   33.33%: 15000 x 31 x 3333 / 70000 = 1,549,845,000 / 70000 = 22140.64 -> 22141
//   50% to 15 Jan, 40% from 16 Jan (same partner): two lines, each rounded:
//     15000 x 15 x 5000 / 70000 = 16071.43 -> 16071 ; 15000 x 16 x 4000 / 70000 = 13714.29 -> 13714
describe('health share for one month', () => {
  it('computes the amount exactly from the days, never from the rounded cost', () => {
    const r = healthShareForMonth(reclaimDp({ splits: [split('ICB-QRL', '2026-04-06', '50.00')] }), '2027-01-20', SETTINGS);
    expect(r.held).toEqual([]);
    expect(r.lines).toEqual([
      { dpId: 'DP5001', partner: 'ICB-QRL', month: '2027-01', from: '2027-01-01', to: '2027-01-31', days: 31, healthBasisPoints: 5000n, costPence: 66429n, amountPence: 33214n },
    ]);
    expect(healthShareForMonth(reclaimDp({ splits: [split('ICB-QRL', '2026-04-06', '33.33')] }), '2027-01-01', SETTINGS).lines[0].amountPence).toBe(22141n);
  });

  it('cuts a line where the percentage changes, not where the rate changes', () => {
    const r = healthShareForMonth(
      reclaimDp({
        rates: [{ from: '2026-04-06', weeklyGrossPence: 15000n }, { from: '2027-01-10', weeklyGrossPence: 15000n }],
        splits: [split('ICB-QRL', '2026-04-06', '50.00'), split('ICB-QRL', '2027-01-16', '40.00')],
      }),
      '2027-01-31',
      SETTINGS,
    );
    expect(r.lines.map((l) => [l.from, l.to, l.amountPence])).toEqual([
      ['2027-01-01', '2027-01-15', 16071n],
      ['2027-01-16', '2027-01-31', 13714n],
    ]);
  });

  it('holds a JOINT DP without a split unless the council sets a default percentage and partner; LA gives nothing', () => {
    expect(healthShareForMonth(reclaimDp(), '2027-01-01', SETTINGS)).toEqual({
      lines: [],
      held: [{ dpId: 'DP5001', month: '2027-01', reason: 'NO_SPLIT', days: 31 }],
    });
    expect(healthShareForMonth(reclaimDp(), '2027-01-01', { ...SETTINGS, defaultHealthBasisPoints: 5000n }).held[0].reason).toBe('NO_SPLIT');
    const withDefault = healthShareForMonth(reclaimDp(), '2027-01-01', { ...SETTINGS, defaultHealthBasisPoints: 5000n, defaultHealthPartner: 'ICB-QRL' });
    expect(withDefault.lines.map((l) => [l.partner, l.amountPence])).toEqual([['ICB-QRL', 33214n]]);
    expect(healthShareForMonth(reclaimDp({ fundingStream: 'LA' }), '2027-01-01', SETTINGS)).toEqual({ lines: [], held: [] });
  });

  it('reclaims no day before go-live', () => {
    const r = healthShareForMonth(reclaimDp({ start: '2026-03-01', splits: [split('ICB-QRL', '2026-03-01', '100')] }), '2026-04-15', SETTINGS);
    // 6 Apr to 30 Apr: 25 days x 15000 / 7 = 53571.43 -> 53571
    expect(r.lines.map((l) => [l.from, l.days, l.amountPence])).toEqual([['2026-04-06', 25, 53571n]]);
  });

  it('writes percentages with two decimals', () => {
    expect([5000n, 3333n, 10000n, 0n, 5n].map(basisPointsText)).toEqual(['50.00', '33.33', '100.00', '0.00', '0.05']);
  });
});
