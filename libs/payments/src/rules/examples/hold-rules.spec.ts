import { HoldSettings, LineFacts, changeExceedsPct, isFirstAfterRateChange, lineHoldReasons } from '../holds';

// Defaults: holdFirstPayment on, holdBankChange on, holdChangePct 25, optional holds off.
// CHANGE_PCT against a previous REGULAR payable of 52000: 25% of 52000 = 13000, so
//   65000 (+13000, exactly 25%) and 39000 (-13000) are not held; 65001 and 38999 are.
const s: HoldSettings = {
  goLiveDate: '2026-11-02',
  holdFirstPayment: true,
  holdBankChange: true,
  holdChangePct: 25,
  holdEveryOneOff: false,
  holdEndingInPeriod: false,
  holdFirstAfterRateChange: false,
};
const okPayee = {
  accountType: 'BANK' as const,
  vendorNo: '4000123',
  modulusFailed: false,
  bacsReturnBlocked: false,
  bankChangedSinceLastReleasedCredit: false,
};
const full = (payablePence: bigint) => ({ payablePence, payableDays: 28, periodDays: 28 });
const line = (over: Partial<LineFacts> = {}): LineFacts => ({
  kind: 'REGULAR',
  periodStart: '2026-12-14',
  periodEnd: '2027-01-10',
  payee: okPayee,
  dp: { start: '2026-04-06', end: null, missingFromLatestFull: false },
  regular: { current: full(52000n), previous: full(52000n) },
  ...over,
});

describe('worked example: hold rules', () => {
  it('releases an ordinary line', () => {
    expect(lineHoldReasons(line(), s)).toEqual([]);
  });

  it('holds on bank details: modulus, Bacs return, change since last credit, no vendor', () => {
    expect(lineHoldReasons(line({ payee: { ...okPayee, modulusFailed: true } }), s)).toEqual([
      'MODULUS_FAILED',
    ]);
    expect(lineHoldReasons(line({ payee: { ...okPayee, bacsReturnBlocked: true } }), s)).toEqual([
      'BACS_RETURN_BLOCK',
    ]);
    expect(
      lineHoldReasons(line({ payee: { ...okPayee, bankChangedSinceLastReleasedCredit: true } }), s),
    ).toEqual(['BANK_CHANGED']);
    expect(
      lineHoldReasons(line({ payee: { ...okPayee, bankChangedSinceLastReleasedCredit: true } }), {
        ...s,
        holdBankChange: false,
      }),
    ).toEqual([]);
    expect(lineHoldReasons(line({ payee: { ...okPayee, vendorNo: null } }), s)).toEqual(['NO_VENDOR']);
    expect(lineHoldReasons(line({ payee: { ...okPayee, accountType: 'CARD', vendorNo: null } }), s)).toEqual(
      [],
    ); // paid via the provider
    expect(
      lineHoldReasons(
        line({ kind: 'ADJUSTMENT', regular: undefined, payee: { ...okPayee, modulusFailed: true } }),
        s,
      ),
    ).toEqual(['MODULUS_FAILED']);
  });

  it('holds a change of more than 25% from the previous REGULAR payable', () => {
    expect(changeExceedsPct(full(65000n), full(52000n), 25)).toBe(false);
    expect(changeExceedsPct(full(65001n), full(52000n), 25)).toBe(true);
    expect(changeExceedsPct(full(39000n), full(52000n), 25)).toBe(false);
    expect(changeExceedsPct(full(38999n), full(52000n), 25)).toBe(true);
    expect(lineHoldReasons(line({ regular: { current: full(65001n), previous: full(52000n) } }), s)).toEqual([
      'CHANGE_PCT',
    ]);
  });

  it('exempts part periods (either side) and a previous of 0 from CHANGE_PCT', () => {
    const part = { payablePence: 35285n, payableDays: 19, periodDays: 28 };
    expect(changeExceedsPct(part, full(52000n), 25)).toBe(false);
    expect(changeExceedsPct(full(52000n), part, 25)).toBe(false);
    expect(changeExceedsPct(full(52000n), full(0n), 25)).toBe(false);
    expect(changeExceedsPct(full(52000n), null, 25)).toBe(false);
  });

  it('holds a DP missing from the latest FULL extract, whatever the line', () => {
    expect(
      lineHoldReasons(line({ dp: { start: '2026-04-06', end: null, missingFromLatestFull: true } }), s),
    ).toEqual(['MISSING_FROM_FULL']);
  });

  it('lists several reasons in a fixed order', () => {
    const f = line({
      payee: { ...okPayee, modulusFailed: true, vendorNo: '' },
      dp: { start: '2026-12-16', end: null, missingFromLatestFull: true },
      regular: { current: full(52000n), previous: null },
    });
    expect(lineHoldReasons(f, s)).toEqual([
      'MODULUS_FAILED',
      'NO_VENDOR',
      'FIRST_PAYMENT',
      'MISSING_FROM_FULL',
    ]);
  });

  it('applies the optional holds only when switched on', () => {
    const ending = line({ dp: { start: '2026-04-06', end: '2026-12-31', missingFromLatestFull: false } });
    expect(lineHoldReasons(ending, s)).toEqual([]);
    expect(lineHoldReasons(ending, { ...s, holdEndingInPeriod: true })).toEqual(['ENDING_IN_PERIOD']);
    // rate from 1 Dec 2026 took effect after the previous period (16 Nov..13 Dec)? No: 1 Dec <= 13 Dec.
    // From 20 Dec: after 13 Dec and within this period (to 10 Jan): first payment after the change.
    expect(isFirstAfterRateChange([{ from: '2026-12-01' }], '2026-12-13', '2027-01-10')).toBe(false);
    expect(isFirstAfterRateChange([{ from: '2026-12-20' }], '2026-12-13', '2027-01-10')).toBe(true);
    expect(isFirstAfterRateChange([{ from: '2026-12-20' }], null, '2027-01-10')).toBe(false);
    const changed = line({ firstAfterRateChange: true });
    expect(lineHoldReasons(changed, s)).toEqual([]);
    expect(lineHoldReasons(changed, { ...s, holdFirstAfterRateChange: true })).toEqual(['RATE_CHANGE']);
  });
});

// A DEATH officer case (e.g. a Bacs return "beneficiary deceased") names the DP: every line of it
// is held, whatever its kind, until an officer closes the case; reasons keep their fixed order.
describe('worked example: a DEATH case holds the DP', () => {
  const dead = (kind: LineFacts['kind'], deathCase: boolean, bacsReturnBlocked = false) =>
    line({
      kind,
      periodEnd: '2026-12-20',
      payee: { ...okPayee, bacsReturnBlocked },
      dp: { start: '2026-04-06', end: null, missingFromLatestFull: false, deathCase },
      regular: kind === 'REGULAR' ? { current: full(52000n), previous: full(52000n) } : undefined,
      oneOff: kind === 'ONE_OFF' ? { dpEnded: false, personDied: false } : undefined,
    });

  it('holds REGULAR, ADJUSTMENT and ONE_OFF lines while the case is open', () => {
    for (const kind of ['REGULAR', 'ADJUSTMENT', 'ONE_OFF'] as const) expect(lineHoldReasons(dead(kind, true), s)).toEqual(['DEATH_CASE']);
  });

  it('lists the Bacs return block first, then the death case; nothing once the case is closed', () => {
    expect(lineHoldReasons(dead('REGULAR', true, true), s)).toEqual(['BACS_RETURN_BLOCK', 'DEATH_CASE']);
    expect(lineHoldReasons(dead('REGULAR', false, true), s)).toEqual(['BACS_RETURN_BLOCK']);
    expect(lineHoldReasons(dead('REGULAR', false), s)).toEqual([]);
  });
});
