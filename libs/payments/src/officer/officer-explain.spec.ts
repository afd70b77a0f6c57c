import { toCanonical } from '@dpb/common';
import { HOLD_CODES, type DirectPaymentForCalc } from '../rules';
import { calcFromJson, calcToJson } from '../run/calc-basis';
import { explainPeriodAmount, perDayQuotient, stretchesOf } from './explain-amount';
import { describeHolds, holdReasonText } from './hold-text';
import { normaliseOfficer, OfficerRefusal, sameOfficer, assertLineId, assertRunId } from './errors';
import { jsonReady, renderExplanation } from './render';
import type { LineExplanation } from './explain';

const dp = (over: Partial<DirectPaymentForCalc>): DirectPaymentForCalc => ({
  dpId: 'DP1',
  frequency: 'MONTHLY',
  basis: 'NET',
  fundingStream: 'LA',
  start: '2026-04-01',
  end: null,
  dateOfDeath: null,
  rates: [{ from: '2026-04-01', weeklyGrossPence: 15000n }],
  contributions: [{ from: '2026-04-01', weeklyPence: 2000n }],
  splits: [],
  suspensions: [],
  oneOffs: [],
  ...over,
});

describe("explain: Hampshire's worked example (docs/payment-rules.md) in a 31-day month", () => {
  // Hand-derived: 31 x 150.00 = 4650.00; 4650.00 / 7 = 664.2857... -> 664.29.
  // 31 x 20.00 = 620.00; 620.00 / 7 = 88.5714... -> 88.57. 664.29 - 88.57 = 575.72 (not 575.71).
  const e = explainPeriodAmount(dp({}), { start: '2026-12-01', end: '2026-12-31' });

  it('shows the sums, the rounding of each component and the subtraction', () => {
    expect(e.arithmetic).toMatchObject({
      periodDays: 31,
      payableDays: 31,
      grossSumPence: 465000n,
      grossPence: 66429n,
      contributionSumPence: 62000n,
      contributionPence: 8857n,
      netPence: 57572n,
      payablePence: 57572n,
    });
    expect(e.arithmetic.steps).toEqual([
      '31 of 31 days payable (2026-12-01 to 2026-12-31)',
      'gross = round_half_up(4650.00 / 7) = round_half_up(664.2857...) = 664.29',
      'contribution = round_half_up(620.00 / 7) = round_half_up(88.5714...) = 88.57',
      'net = 664.29 - 88.57 = 575.72; payable = max(net, 0) = 575.72',
    ]);
  });

  it('lists every day with the weekly gross and contribution in force', () => {
    expect(e.days).toHaveLength(31);
    expect(e.days.every((d) => d.payable && d.weeklyGrossPence === 15000n && d.weeklyContributionPence === 2000n)).toBe(true);
    expect(e.stretches).toEqual([
      { from: '2026-12-01', to: '2026-12-31', days: 31, payable: true, reasons: [], weeklyGrossPence: 15000n, weeklyContributionPence: 2000n },
    ]);
    expect(e.rules.join('\n')).toMatch(/rounded half up.*then subtracted/);
  });
});

describe('explain: rate change and suspension inside a weekly period', () => {
  // 16-18 Nov at 100.00 (3 days = 300.00), 19-20 Nov at 107.00 (214.00), 21-22 Nov suspended.
  // gross = 514.00 / 7 = 73.4285... -> 73.43; contribution 5 x 10.00 = 50.00 / 7 = 7.1428... -> 7.14;
  // payable 73.43 - 7.14 = 66.29.
  const calc = dp({
    frequency: 'WEEKLY',
    start: '2026-01-05',
    rates: [
      { from: '2026-01-05', weeklyGrossPence: 10000n },
      { from: '2026-11-19', weeklyGrossPence: 10700n },
    ],
    contributions: [{ from: '2026-01-05', weeklyPence: 1000n }],
    suspensions: [{ from: '2026-11-21', to: '2026-11-22', reason: 'HOSPITAL' }],
  });
  const e = explainPeriodAmount(calc, { start: '2026-11-16', end: '2026-11-22' });

  it('groups the days and gives the reason a day is not paid', () => {
    expect(e.stretches.map((s) => [s.from, s.to, s.payable, s.reasons, s.weeklyGrossPence])).toEqual([
      ['2026-11-16', '2026-11-18', true, [], 10000n],
      ['2026-11-19', '2026-11-20', true, [], 10700n],
      ['2026-11-21', '2026-11-22', false, ['SUSPENDED'], 10700n],
    ]);
  });

  it('computes 66.29', () => {
    expect(e.arithmetic).toMatchObject({ payableDays: 5, grossSumPence: 51400n, grossPence: 7343n, contributionSumPence: 5000n, contributionPence: 714n, payablePence: 6629n });
  });
});

describe('explain: S117 on GROSS basis', () => {
  it('ignores the contribution and pays gross', () => {
    // 7 x 70.00 = 490.00 / 7 = 70.00 exactly.
    const e = explainPeriodAmount(dp({ frequency: 'WEEKLY', basis: 'GROSS', fundingStream: 'S117', start: '2026-01-05', rates: [{ from: '2026-01-05', weeklyGrossPence: 7000n }], contributions: [{ from: '2026-01-05', weeklyPence: 3000n }] }), {
      start: '2026-11-16',
      end: '2026-11-22',
    });
    expect(e.arithmetic).toMatchObject({ grossPence: 7000n, contributionSumPence: 0n, contributionPence: 0n, payablePence: 7000n });
    expect(e.arithmetic.steps[1]).toBe('gross = round_half_up(490.00 / 7) = round_half_up(70.0000) = 70.00');
    expect(e.arithmetic.steps[2]).toMatch(/S117/);
    expect(e.rules).toContain('S117: contribution is 0');
  });
});

describe('explain helpers', () => {
  it('perDayQuotient truncates to 4 places and marks inexact results', () => {
    expect(perDayQuotient(465000n)).toBe('664.2857...');
    expect(perDayQuotient(364000n)).toBe('520.0000'); // 3640.00 / 7 = 520 (a whole 28-day period)
    expect(perDayQuotient(-700n)).toBe('-1.0000');
  });

  it('calcFromJson reads both calc_basis documents: the first stored (canonical JSON of the input) and the current one', () => {
    const calc = dp({
      suspensions: [{ from: '2026-08-10', to: null, reason: 'OTHER' }],
      oneOffs: [{ id: 'OO1', payDate: '2026-11-30', amountPence: 25000n, reason: 'EQUIPMENT' }],
      splits: [{ partner: 'ICB-QRL', from: '2026-04-06', healthBasisPoints: 5000n }],
    });
    expect(calcFromJson(JSON.parse(JSON.stringify(toCanonical(calc))))).toEqual(calc);
    // calcToJson (what a payment run stores now) carries the care record's terms document.
    expect(calcToJson(calc).terms.splits).toEqual([{ partner: 'ICB-QRL', from: '2026-04-06', healthPctBp: '5000' }]);
    expect(calcFromJson(JSON.parse(JSON.stringify(calcToJson(calc))))).toEqual(calc);
  });

  it('stretchesOf of no days is empty', () => {
    expect(stretchesOf([])).toEqual([]);
  });
});

describe('hold reasons in plain English', () => {
  it('has a sentence of its own for every line hold code', () => {
    const texts = HOLD_CODES.map((c) => holdReasonText(c));
    expect(texts.every((t) => t.length > 20 && !t.startsWith('Held for reason'))).toBe(true);
    expect(new Set(texts).size).toBe(HOLD_CODES.length);
    expect(holdReasonText('BANK_CHANGED')).toMatch(/bank details changed/);
  });

  it('explains a run hold per frequency and falls back for unknown codes', () => {
    expect(holdReasonText('RUN_CHANGE_PCT:FOUR_WEEKLY')).toMatch(/four-weekly regular total/);
    expect(describeHolds(['XYZ'])).toEqual([{ code: 'XYZ', text: 'Held for reason XYZ.' }]);
  });
});

describe('officer names and ids', () => {
  it('normalises names and refuses empty or odd ones without echoing them', () => {
    expect(normaliseOfficer('  Jo   Bloggs ')).toBe('Jo Bloggs');
    for (const bad of ['', '   ', 'a\u0007b', 'x'.repeat(101)]) {
      try {
        normaliseOfficer(bad);
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(OfficerRefusal);
        expect((e as OfficerRefusal).code).toBe('BAD_INPUT');
      }
    }
    expect(() => normaliseOfficer('Zoë O\'Neil-Smith')).not.toThrow();
  });

  it('compares officers case- and space-insensitively (four eyes)', () => {
    expect(sameOfficer('Jo Bloggs', ' jo  bloggs')).toBe(true);
    expect(sameOfficer('Jo Bloggs', 'Jo Blogs')).toBe(false);
    expect(sameOfficer(null, 'Jo')).toBe(false);
  });

  it('checks line and run ids', () => {
    expect(assertLineId(' 42 ')).toBe('42');
    expect(() => assertLineId('0')).toThrow(OfficerRefusal);
    expect(() => assertLineId('1; drop')).toThrow(OfficerRefusal);
    expect(assertRunId('HCC-20261209-1')).toBe('HCC-20261209-1');
    expect(() => assertRunId('hcc')).toThrow(OfficerRefusal);
  });
});

describe('render', () => {
  it('jsonReady turns pence into JSON numbers', () => {
    expect(jsonReady({ a: 57572n, b: [1n, 'x'], c: null })).toEqual({ a: 57572, b: [1, 'x'], c: null });
  });

  it('prints the explanation with the arithmetic and the holds', () => {
    const amount = explainPeriodAmount(dp({}), { start: '2026-12-01', end: '2026-12-31' });
    const e: LineExplanation = {
      line: {
        id: '7', council: 'HCC', dpId: 'DP1', personId: 'P1', payeeId: 'PY1', kind: 'REGULAR', frequency: 'MONTHLY', periodStart: '2026-12-01', periodEnd: '2026-12-31',
        oneOffId: null, grossPence: 66429n, contributionPence: 8857n, payablePence: 57572n, state: 'HELD', decidedBy: null, decidedAt: null, facts: {},
      },
      basis: { hash: 'a'.repeat(64), calc: dp({}) },
      amount,
      derivation: [],
      reproduces: true,
      notes: [],
      holds: describeHolds(['FIRST_PAYMENT']),
      credit: null,
      run: { runId: 'HCC-20261126-1', runDate: '2026-11-26', state: 'DELIVERED' },
      paidInRun: null,
      officerActions: [],
    };
    const text = renderExplanation(e).join('\n');
    expect(text).toContain('2026-12-01..2026-12-31 (31 days) payable at gross 150.00/wk, contribution 20.00/wk');
    expect(text).toContain('payable = max(net, 0) = 575.72');
    expect(text).toContain('FIRST_PAYMENT: ');
    expect(text).toContain('recomputation reproduces the stored amounts');
  });
});
