import { duePayments } from '../due';
import { HoldSettings, lineHoldReasons } from '../holds';
import { ANCHOR, calendar, dp, nothingTaken } from './fixtures';

// goLiveDate Mon 2 Nov 2026. Four-weekly periods: 19 Oct..15 Nov (starts before go-live:
// the previous system's, never paid by dpbridge) and 16 Nov..13 Dec (first paid).
//   Release of 16 Nov: Fri 13 (1), Thu 12 (2), Wed 11 Nov (3).
// Weekly: the week of Mon 26 Oct is the previous system's; the week of Mon 2 Nov (starting on
//   go-live itself) is paid, released Fri 30 Oct (1), Thu 29 (2), Wed 28 Oct (3).
const settings = { anchorDate: ANCHOR, leadBacsDays: 3, goLiveDate: '2026-11-02' };

describe('worked example: go-live boundary', () => {
  it('never pays a period starting before go-live, even when nothing was taken', () => {
    const person = dp(); // started 6 Apr 2026
    expect(duePayments(person, '2026-11-10', settings, calendar, nothingTaken).regular).toEqual([]);
    expect(
      duePayments(person, '2026-11-11', settings, calendar, nothingTaken).regular.map((r) => r.period),
    ).toEqual([{ start: '2026-11-16', end: '2026-12-13' }]);
  });

  it('pays a period that starts on go-live day', () => {
    const weekly = dp({ frequency: 'WEEKLY' });
    expect(duePayments(weekly, '2026-10-27', settings, calendar, nothingTaken).regular).toEqual([]);
    expect(
      duePayments(weekly, '2026-10-28', settings, calendar, nothingTaken).regular.map((r) => r.period.start),
    ).toEqual(['2026-11-02']);
  });

  it('treats only DPs starting on or after go-live as "first payment"', () => {
    const s: HoldSettings = {
      goLiveDate: '2026-11-02',
      holdFirstPayment: true,
      holdBankChange: true,
      holdChangePct: 25,
      holdEveryOneOff: false,
      holdEndingInPeriod: false,
      holdFirstAfterRateChange: false,
    };
    const payee = {
      accountType: 'CARD' as const,
      vendorNo: null,
      modulusFailed: false,
      bacsReturnBlocked: false,
      bankChangedSinceLastReleasedCredit: false,
    };
    const line = (start: string, periodStart: string, periodEnd: string) =>
      lineHoldReasons(
        {
          kind: 'REGULAR',
          periodStart,
          periodEnd,
          payee,
          dp: { start, end: null, missingFromLatestFull: false },
        },
        s,
      );
    // DP from 6 Apr 2026 (paid by the previous system before), first dpbridge period 16 Nov: not first
    expect(line('2026-04-06', '2026-11-16', '2026-12-13')).toEqual([]);
    // DP starting 18 Nov 2026: its first period (16 Nov..13 Dec) is held, the next is not
    expect(line('2026-11-18', '2026-11-16', '2026-12-13')).toEqual(['FIRST_PAYMENT']);
    expect(line('2026-11-18', '2026-12-14', '2027-01-10')).toEqual([]);
    expect(
      lineHoldReasons(
        {
          kind: 'REGULAR',
          periodStart: '2026-11-16',
          periodEnd: '2026-12-13',
          payee,
          dp: { start: '2026-11-18', end: null, missingFromLatestFull: false },
        },
        { ...s, holdFirstPayment: false },
      ),
    ).toEqual([]);
  });
});
