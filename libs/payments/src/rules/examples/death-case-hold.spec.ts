import { HoldSettings, LineFacts, lineHoldReasons } from '../holds';

// A DEATH officer case (e.g. a Bacs return "beneficiary deceased") names the DP: every line of
// it is held, whatever its kind, until an officer closes the case; reasons keep their fixed order.
const s: HoldSettings = {
  goLiveDate: '2026-11-02',
  holdFirstPayment: true,
  holdBankChange: true,
  holdChangePct: 25,
  holdEveryOneOff: false,
  holdEndingInPeriod: false,
  holdFirstAfterRateChange: false,
};
const payee = { accountType: 'BANK' as const, vendorNo: '4000123', modulusFailed: false, bacsReturnBlocked: false, bankChangedSinceLastReleasedCredit: false };
const line = (kind: LineFacts['kind'], deathCase: boolean, bacsReturnBlocked = false): LineFacts => ({
  kind,
  periodStart: '2026-12-14',
  periodEnd: '2026-12-20',
  payee: { ...payee, bacsReturnBlocked },
  dp: { start: '2026-04-06', end: null, missingFromLatestFull: false, deathCase },
  ...(kind === 'ONE_OFF' ? { oneOff: { dpEnded: false, personDied: false } } : {}),
});

describe('worked example: a DEATH case holds the DP', () => {
  it('holds REGULAR, ADJUSTMENT and ONE_OFF lines while the case is open', () => {
    for (const kind of ['REGULAR', 'ADJUSTMENT', 'ONE_OFF'] as const) expect(lineHoldReasons(line(kind, true), s)).toEqual(['DEATH_CASE']);
  });

  it('lists the Bacs return block first, then the death case; nothing once the case is closed', () => {
    expect(lineHoldReasons(line('REGULAR', true, true), s)).toEqual(['BACS_RETURN_BLOCK', 'DEATH_CASE']);
    expect(lineHoldReasons(line('REGULAR', false, true), s)).toEqual(['BACS_RETURN_BLOCK']);
    expect(lineHoldReasons(line('REGULAR', false), s)).toEqual([]);
  });
});
