import { BacsCalendar } from '@dpb/common';
import { councilSettingsSchema } from '../rules';
import { planRun, type LoadedDp, type LoadedPayee, type RunInput } from './plan';

const settings = councilSettingsSchema.parse({
  council: 'PL1',
  goLiveDate: '2026-11-02',
  holdFirstPayment: false,
  finance: { postingFormat: 'SAP_IDOC', sapCompanyCode: 'PL01' },
});

function loadedDp(id: string, payeeId: string, weekly: bigint, over: Partial<LoadedDp['calc']> = {}): LoadedDp {
  const calc = {
    dpId: id,
    frequency: 'WEEKLY' as const,
    basis: 'NET' as const,
    fundingStream: 'LA' as const,
    start: '2026-04-06',
    end: null,
    dateOfDeath: null,
    rates: [{ from: '2026-04-06', weeklyGrossPence: weekly }],
    contributions: [],
    splits: [],
    suspensions: [],
    oneOffs: [],
    ...over,
  };
  return { calc, personId: `P-${id}`, payeeId, costCentre: 'CC1', glAccount: 'GL1', missingFromFull: false, causeExtract: '1', basisHash: `basis-${id}`, checkedBasisHash: null, checkedCalcStored: false, horizon: null };
}

function payee(id: string, over: Partial<LoadedPayee> = {}): LoadedPayee {
  return {
    payeeId: id, accountType: 'BANK', vendorNo: 'V1', modulusValid: true, bacsReturnBlocked: false, bankHash: 'new',
    sortCode: '089999', accountNumber: '66374958', accountName: 'A PAYEE', cardProvider: null, cardAccountRef: null,
    lastCreditBankHash: null, ...over,
  };
}

function input(over: Partial<RunInput>): RunInput {
  return {
    council: 'PL1', runId: 'PL1-20261105-1', runDate: '2026-11-05', settings, calendar: BacsCalendar.bundled(),
    dps: [], payees: new Map(), taken: new Map(), previousRegular: new Map(), released: [], officerReleased: [],
    carry: new Map(), previousRegularTotals: new Map(), nextRefSeq: 1n, ...over,
  };
}

describe('planRun', () => {
  // Run date Thu 5 Nov 2026: the week of Mon 9 Nov is released on the 3rd Bacs day before
  // (Wed 4 Nov); the week of 2 Nov (go-live) was released on 28 Oct. So two weeks are due.
  it('pays each due week once and one credit per payee, references in payee order', () => {
    const plan = planRun(
      input({
        dps: [loadedDp('DPA', 'PYA', 7000n), loadedDp('DPB', 'PYA', 1400n), loadedDp('DPC', 'PYC', 700n)],
        payees: new Map([['PYA', payee('PYA')], ['PYC', payee('PYC')]]),
      }),
    );
    expect(plan.lines.map((l) => `${l.dpId} ${l.periodStart} ${l.payablePence}`)).toEqual([
      'DPA 2026-11-02 7000', 'DPA 2026-11-09 7000', 'DPB 2026-11-02 1400', 'DPB 2026-11-09 1400', 'DPC 2026-11-02 700', 'DPC 2026-11-09 700',
    ]);
    expect(plan.credits.map((c) => [c.payeeId, c.paymentRef, c.endToEndId, c.amountPence])).toEqual([
      ['PYA', 'PL1000001', 'PL1-20261105-1-1', 16800n],
      ['PYC', 'PL1000002', 'PL1-20261105-1-2', 1400n],
    ]);
    expect(plan.nextRefSeq).toBe(3n);
    expect(plan.runHold.held).toBe(false);
  });

  it('nets an offset carried from an earlier run against the same DP only, and carries the rest', () => {
    const plan = planRun(
      input({
        dps: [loadedDp('DPA', 'PYA', 7000n), loadedDp('DPB', 'PYA', 1400n)],
        payees: new Map([['PYA', payee('PYA')]]),
        // DPB owes 50.00 from an earlier overpayment; its two weeks pay 28.00, so 22.00 carries on.
        carry: new Map([['PYA', new Map([['DPB', -5000n]])]]),
      }),
    );
    expect(plan.credits).toHaveLength(1);
    expect(plan.credits[0].amountPence).toBe(14000n); // DPA 2 x 70.00; DPB 28.00 - 50.00 -> 0
    expect(plan.carry.get('PYA')).toEqual(new Map([['DPB', -2200n]]));
    const offset = plan.credits[0].fileLines.filter((l) => l.payablePence < 0n);
    expect(offset).toEqual([expect.objectContaining({ dpId: 'DPB', kind: 'ADJUSTMENT', payablePence: -2800n })]);
    expect(plan.credits[0].fileLines.reduce((t, l) => t + l.payablePence, 0n)).toBe(14000n);
  });

  it('holds a changed bank account, but not once an officer has released a line for that payee', () => {
    const changed = payee('PYA', { lastCreditBankHash: 'old', bankHash: 'new' });
    const dps = [loadedDp('DPA', 'PYA', 7000n)];
    const held = planRun(input({ dps, payees: new Map([['PYA', changed]]) }));
    expect(held.lines.every((l) => l.holdReasons.includes('BANK_CHANGED'))).toBe(true);
    expect(held.credits).toEqual([]);

    const accepted = planRun(
      input({
        dps,
        payees: new Map([['PYA', changed]]),
        taken: new Map([['DPA', { regularPeriodStarts: new Set(['2026-11-02']), oneOffIds: new Set() }]]),
        officerReleased: [{ id: '9', dpId: 'DPA', kind: 'REGULAR', periodStart: '2026-11-02', periodEnd: '2026-11-08', oneOffId: null, payablePence: 7000n }],
      }),
    );
    expect(accepted.lines.map((l) => [l.periodStart, l.holdReasons])).toEqual([['2026-11-09', []]]);
    expect(accepted.credits.map((c) => c.amountPence)).toEqual([14000n]);
    expect(accepted.officerLines).toEqual([expect.objectContaining({ id: '9', payablePence: 7000n, creditIndex: 1 })]);
  });

  it('holds the whole run when a frequency total moves by more than holdRunPct', () => {
    const plan = planRun(
      input({
        dps: [loadedDp('DPA', 'PYA', 7000n)],
        payees: new Map([['PYA', payee('PYA')]]),
        previousRegularTotals: new Map([['WEEKLY', 10000n]]), // now 140.00 against 100.00: +40% > 20%
      }),
    );
    expect(plan.runHold.held).toBe(true);
    expect(plan.regularTotals.get('WEEKLY')).toBe(14000n);
  });
});
