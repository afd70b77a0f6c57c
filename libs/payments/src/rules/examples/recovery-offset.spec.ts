import { deductRecoveries } from '../recovery-offset';
import { netPayeeCredit } from '../adjustments';

// An APPROVED SURPLUS case of £800.00 (80000) on DP5001, recovered by offset. DP5001 is paid
// FOUR_WEEKLY £150.00 gross less £20.00 contribution a week: (15000 - 2000) x 4 = 52000 a period.
//   run 1: DP5001 REGULAR 52000; the case takes min(52000, 80000) = 52000 -> paid 0, 28000 left.
//          The payee's other DP5002 (10000) is untouched: credit 10000.
//   run 2: DP5001 REGULAR 52000 with a -4000 overpayment offset (netted first: 48000); the case
//          takes min(48000, 28000) = 28000 -> paid 20000, fully recovered.
//   run 3: nothing outstanding: 52000 paid.
const open = (outstandingPence: bigint) => new Map([['DP5001', [{ caseId: '7', dpId: 'DP5001', reason: 'SURPLUS', outstandingPence }]]]);

describe('worked example: a SURPLUS recovery by offset over two runs', () => {
  it('run 1 takes what the DP is due, never below 0, and leaves the rest outstanding', () => {
    const { credit, deductions } = deductRecoveries(
      netPayeeCredit([{ dpId: 'DP5001', payablePence: 52000n }, { dpId: 'DP5002', payablePence: 10000n }]),
      open(80000n),
    );
    expect(deductions).toEqual([{ caseId: '7', dpId: 'DP5001', reason: 'SURPLUS', amountPence: 52000n, outstandingPence: 28000n }]);
    expect(credit.creditPence).toBe(10000n);
    expect(credit.perDp.map((d) => [d.dpId, d.paidPence, d.carriedForwardPence])).toEqual([['DP5001', 0n, 0n], ['DP5002', 10000n, 0n]]);
  });

  it('run 2 takes the rest after the overpayment offset and the case is fully recovered', () => {
    const { credit, deductions } = deductRecoveries(
      netPayeeCredit([{ dpId: 'DP5001', payablePence: 52000n }, { dpId: 'DP5001', payablePence: -4000n }]),
      open(28000n),
    );
    expect(deductions).toEqual([{ caseId: '7', dpId: 'DP5001', reason: 'SURPLUS', amountPence: 28000n, outstandingPence: 0n }]);
    expect(credit.creditPence).toBe(20000n);
  });

  it('run 3 has nothing to take', () => {
    const netted = netPayeeCredit([{ dpId: 'DP5001', payablePence: 52000n }]);
    expect(deductRecoveries(netted, new Map())).toEqual({ credit: netted, deductions: [] });
  });

  it("takes a DP's cases oldest first and leaves an offset carried from earlier runs to carry", () => {
    const netted = netPayeeCredit([{ dpId: 'DP5001', payablePence: 52000n }], new Map([['DP5001', -60000n]]));
    const cases = new Map([['DP5001', [
      { caseId: '12', dpId: 'DP5001', reason: 'MISUSE', outstandingPence: 5000n },
      { caseId: '9', dpId: 'DP5001', reason: 'SURPLUS', outstandingPence: 5000n },
    ]]]);
    // The carried -60000 swallows the 52000: nothing paid, nothing taken, -8000 still carried.
    expect(deductRecoveries(netted, cases).deductions).toEqual([]);
    const next = deductRecoveries(netPayeeCredit([{ dpId: 'DP5001', payablePence: 7000n }]), cases);
    expect(next.deductions.map((x) => [x.caseId, x.amountPence, x.outstandingPence])).toEqual([['9', 5000n, 0n], ['12', 2000n, 3000n]]);
    expect(next.credit.creditPence).toBe(0n);
  });
});
