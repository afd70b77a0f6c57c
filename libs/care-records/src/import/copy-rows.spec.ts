import { createHash } from 'node:crypto';
import type { DirectPayment, Payee, Person } from '../model';
import { textRule } from '../validation/fields';
import { copyField, dpLine, payeeLine, personLine, termsJson } from './copy-rows';

const person: Person = {
  id: 'P1',
  restricted: true,
  dateOfDeath: '2026-10-01',
  nhsNumberValid: null,
  personal: {
    nhsNumber: null,
    dateOfBirth: '1950-03-02',
    title: 'Mrs',
    firstName: 'Ann',
    lastName: "O'Brien\tJr",
    address: { line1: '1 High St\\Flat 2', town: 'Winchester', postcode: null },
  },
};

const dp: DirectPayment = {
  id: 'DP1',
  personId: 'P1',
  payeeId: 'PY1',
  recipientRole: 'SELF',
  frequency: 'FOUR_WEEKLY',
  basis: 'NET',
  fundingStream: 'JOINT',
  costCentre: 'ASC1234',
  glAccount: '540100',
  start: '2026-04-06',
  end: null,
  lastReviewDate: null,
  cashAllowed: false,
  rates: [{ from: '2026-04-06', weeklyGrossPence: 15000n }],
  contributions: [{ from: '2026-04-06', weeklyPence: 2000n }],
  suspensions: [{ from: '2026-08-10', to: null, reason: 'HOSPITAL' }],
  oneOffs: [{ id: 'OO1', payDate: '2026-11-30', amountPence: 25050n, reason: 'EQUIP "A"' }],
  splits: [{ partner: 'ICB-QRL', from: '2026-04-06', healthBasisPoints: 5000n }],
};

describe('COPY text lines for the staging tables', () => {
  it('escapes backslash, tab, newline and carriage return, and writes null as \\N', () => {
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('plain')).toBe('plain');
    expect(copyField(null)).toBe('\\N');
    expect(copyField('')).toBe('');
  });

  it('writes a person in column order; no NHS number is not a failed check', () => {
    expect(personLine(person)).toBe(
      ['P1', '\\N', 't', 't', '1950-03-02', '2026-10-01', 'Mrs', 'Ann', "O'Brien\\tJr", '1 High St\\\\Flat 2', 'Winchester', '\\N'].join('\t') + '\n',
    );
  });

  it('writes a payee with the SHA-256 of sortCode|accountNumber, and a card payee without bank columns', () => {
    const bank: Payee = { id: 'PY1', vendorNo: '4000123', accountType: 'BANK', bank: { sortCode: '089999', accountNumber: '66374958', accountName: 'A SMITH', modulusValid: true }, card: null };
    const hash = createHash('sha256').update('089999|66374958').digest('hex');
    expect(payeeLine(bank)).toBe(['PY1', '4000123', 'BANK', '089999', '66374958', 'A SMITH', 't', '\\N', '\\N', hash].join('\t') + '\n');
    const card: Payee = { id: 'PY2', vendorNo: null, accountType: 'CARD', bank: null, card: { provider: 'ALLPAY', accountRef: 'AP1' } };
    expect(payeeLine(card)).toBe(['PY2', '\\N', 'CARD', '\\N', '\\N', '\\N', '\\N', 'ALLPAY', 'AP1', '\\N'].join('\t') + '\n');
  });

  it('writes terms in the shape the payment run reads: pence and basis points as strings', () => {
    expect(JSON.parse(termsJson(dp))).toEqual({
      rates: [{ from: '2026-04-06', weeklyGross: '15000' }],
      contributions: [{ from: '2026-04-06', weekly: '2000' }],
      suspensions: [{ from: '2026-08-10', to: null, reason: 'HOSPITAL' }],
      oneOffs: [{ id: 'OO1', payDate: '2026-11-30', amount: '25050', reason: 'EQUIP "A"' }],
      splits: [{ partner: 'ICB-QRL', from: '2026-04-06', healthPctBp: '5000' }],
    });
  });

  it('writes a DP line whose terms column survives COPY unescaping', () => {
    const cols = dpLine(dp).slice(0, -1).split('\t');
    expect(cols.slice(0, 13)).toEqual(['DP1', 'P1', 'PY1', 'SELF', 'FOUR_WEEKLY', 'NET', 'JOINT', 'ASC1234', '540100', '2026-04-06', '\\N', '\\N', 'f']);
    const unescaped = cols[13].replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);
    expect(JSON.parse(unescaped).oneOffs[0].reason).toBe('EQUIP "A"');
    expect(cols).toHaveLength(14);
  });

  it('never meets a NUL character: the validator rejects text holding one (PostgreSQL cannot store it)', () => {
    expect(textRule('Ann\u0000', false)).toBe('control-character');
    expect(textRule('Ann', false)).toBeNull();
  });
});
