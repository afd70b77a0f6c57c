import { duePayments } from '../due';
import { HoldSettings, lineHoldReasons } from '../holds';
import { ANCHOR, calendar, dp, nothingTaken } from './fixtures';

// One-off £250.00 paid on Mon 30 Nov 2026: released on the 3rd Bacs day before,
//   Fri 27 (1), Thu 26 (2), Wed 25 Nov (3) -> first run on or after 2026-11-25.
// One-off on Tue 29 Dec 2026: Mon 28 (holiday), Sun, Sat, Fri 25 (holiday) skipped;
//   Thu 24 (1), Wed 23 (2), Tue 22 Dec (3).
// A one-off dated before goLiveDate (2 Nov 2026) is never paid.
const settings = { anchorDate: ANCHOR, leadBacsDays: 3, goLiveDate: '2026-11-02' };
const oneOffs = [
  { id: 'OO77', payDate: '2026-11-30', amountPence: 25000n, reason: 'EQUIPMENT' },
  { id: 'OO78', payDate: '2026-12-29', amountPence: 1000n, reason: 'OTHER' },
  { id: 'OO10', payDate: '2026-10-30', amountPence: 5000n, reason: 'OTHER' },
];
const taken = (ids: string[]) => ({ regularPeriodStarts: new Set<string>(), oneOffIds: new Set(ids) });
const holdSettings: HoldSettings = {
  goLiveDate: '2026-11-02',
  holdFirstPayment: true,
  holdBankChange: true,
  holdChangePct: 25,
  holdEveryOneOff: false,
  holdEndingInPeriod: false,
  holdFirstAfterRateChange: false,
};

describe('worked example: one-off due dates', () => {
  const person = dp({ oneOffs });
  const ids = (run: string, t = nothingTaken) =>
    duePayments(person, run, settings, calendar, t).oneOffs.map((o) => [o.oneOff.id, o.releaseDate]);

  it('pays each one-off once, from its release date, never before go-live', () => {
    expect(ids('2026-11-24')).toEqual([]);
    expect(ids('2026-11-25')).toEqual([['OO77', '2026-11-25']]);
    expect(ids('2026-11-26', taken(['OO77']))).toEqual([]);
    expect(ids('2026-12-21', taken(['OO77']))).toEqual([]);
    expect(ids('2026-12-22', taken(['OO77']))).toEqual([['OO78', '2026-12-22']]);
    // a run that missed both pays both (still never the pre-go-live one)
    expect(ids('2027-01-05')).toEqual([
      ['OO77', '2026-11-25'],
      ['OO78', '2026-12-22'],
    ]);
  });

  it('holds a one-off for a DP that has ended or a person who has died', () => {
    const payee = {
      accountType: 'BANK' as const,
      vendorNo: '4000123',
      modulusFailed: false,
      bacsReturnBlocked: false,
      bankChangedSinceLastReleasedCredit: false,
    };
    const facts = (p: ReturnType<typeof dp>) => {
      const o = duePayments(p, '2026-11-25', settings, calendar, nothingTaken).oneOffs[0];
      return lineHoldReasons(
        {
          kind: 'ONE_OFF',
          periodStart: o.oneOff.payDate,
          periodEnd: o.oneOff.payDate,
          payee,
          dp: { start: p.start, end: p.end, missingFromLatestFull: false },
          oneOff: o,
        },
        holdSettings,
      );
    };
    expect(facts(person)).toEqual([]);
    expect(facts(dp({ oneOffs, end: '2026-11-15' }))).toEqual(['ONE_OFF_ENDED']);
    // end 29 Nov is after the run date but before the pay date of 30 Nov: ended for that one-off
    expect(facts(dp({ oneOffs, end: '2026-11-29' }))).toEqual(['ONE_OFF_ENDED']);
    expect(facts(dp({ oneOffs, dateOfDeath: '2026-11-20' }))).toEqual(['ONE_OFF_DEATH']);
    expect(
      lineHoldReasons(
        {
          kind: 'ONE_OFF',
          periodStart: '2026-11-30',
          periodEnd: '2026-11-30',
          payee,
          dp: { start: '2026-04-06', end: null, missingFromLatestFull: false },
          oneOff: { dpEnded: false, personDied: false },
        },
        { ...holdSettings, holdEveryOneOff: true },
      ),
    ).toEqual(['ONE_OFF']);
  });
});
