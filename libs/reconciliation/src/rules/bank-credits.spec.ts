import { BacsCalendar } from '@dpb/common';
import { candidateNames, namesOf, unexpectedBankCredits, type AdvisedReturn, type BankCreditEntry, type NamedCredit } from './bank-credits';
import { bankCreditGraceTo } from './windows';

const entry = (entryId: string, amountPence: bigint, over: Partial<BankCreditEntry> = {}): BankCreditEntry => ({
  entryId, amountPence, bookingDate: '2026-12-10', reference: null, endToEndId: null, ...over,
});
const credit = (creditId: string, n: number): NamedCredit => ({
  creditId, runId: 'HCC-20261209-1', paymentRef: `HCC00000${n}`, endToEndId: `HCC-20261209-1-${n}`,
});
const ours = [credit('11', 1), credit('12', 2), credit('13', 3)];
const runs = ['HCC-20261209-1'];
const cal = BacsCalendar.bundled();
const grace = (d: string) => bankCreditGraceTo(cal, d, { loadMatchDays: 5, bacsMatchDays: 2 });

describe('unexpected credits on the payment account', () => {
  it('looks up payment references, run ids and EndToEndIds in the entry, and decides by whole words', () => {
    expect(candidateNames({ reference: 'ret hcc-20261209-1-2 ac01', endToEndId: null })).toEqual(
      ['20261209', '20261209-1-2', '1', '2', 'AC01', 'HCC', 'HCC-20261209-1', 'HCC-20261209-1-2', 'RET'].sort(),
    );
    expect(namesOf(entry('1', 5n, { reference: 'RETURN HCC-20261209-1-2' }), ours, runs)).toEqual({ creditIds: ['12'], runIds: ['HCC-20261209-1'] });
    expect(namesOf(entry('1', 5n, { reference: 'REF HCC000001 / HCC000003' }), ours, runs)).toEqual({ creditIds: ['11', '13'], runIds: [] });
    expect(namesOf(entry('1', 5n, { endToEndId: 'HCC-20261209-1-3' }), ours, runs)).toEqual({ creditIds: ['13'], runIds: [] });
    // Not as part of a longer word.
    expect(namesOf(entry('1', 5n, { reference: 'XHCC000001 HCC-20261209-12' }), ours, runs)).toEqual({ creditIds: [], runIds: [] });
  });

  it('never flags council income: a credit naming none of our payments', () => {
    const income = [entry('1', 10_000_000n, { reference: 'TRANSFER FROM GENERAL FUND' }), entry('2', 120n, { reference: 'INTEREST' }), entry('3', 500n)];
    expect(unexpectedBankCredits(income, ours, runs, [], grace, '2027-01-31')).toEqual([]);
  });

  it('flags a credit naming our payment once the grace (bacsMatchDays Bacs days after booking) has passed', () => {
    const e = entry('7', 5000n, { bookingDate: '2026-12-10', reference: 'REFUND HCC000002' });
    expect(grace('2026-12-10')).toBe('2026-12-14');
    expect(unexpectedBankCredits([e], ours, runs, [], grace, '2026-12-14')).toEqual([]);
    expect(unexpectedBankCredits([e], ours, runs, [], grace, '2026-12-15')).toEqual([{ entry: e, creditIds: ['12'], runIds: [] }]);
  });

  it('flags the run debit coming back (a credit naming the run)', () => {
    const e = entry('8', 9_999_999n, { reference: 'REVERSAL BACS HCC-20261209-1' });
    expect(unexpectedBankCredits([e], ours, runs, [], grace, '2026-12-15')).toEqual([{ entry: e, creditIds: [], runIds: ['HCC-20261209-1'] }]);
  });

  it('an ARUCS return matched to the credit, of the same amount, explains one entry only', () => {
    const advised: AdvisedReturn[] = [{ returnId: '3', creditId: '12', amountPence: 5000n }];
    const a = entry('20', 5000n, { bookingDate: '2026-12-10', reference: 'HCC000002' });
    const b = entry('9', 5000n, { bookingDate: '2026-12-11', reference: 'HCC000002' });
    const other = entry('21', 4999n, { bookingDate: '2026-12-10', reference: 'HCC000002' });
    const out = unexpectedBankCredits([b, other, a], ours, runs, advised, grace, '2027-01-04');
    // a (earlier) takes the advice; b (the same money twice) and the other amount are flagged.
    expect(out.map((x) => x.entry.entryId)).toEqual(['21', '9']);
    // In any input order.
    expect(unexpectedBankCredits([a, other, b], ours, runs, advised, grace, '2027-01-04').map((x) => x.entry.entryId)).toEqual(['21', '9']);
  });
});
