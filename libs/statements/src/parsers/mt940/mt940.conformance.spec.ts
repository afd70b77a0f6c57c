import * as fs from 'fs';
import * as path from 'path';
import { cases, conformanceDescribe, minor } from '../__fixtures__/conformance';
import { ParseError } from '../errors';
import { checkIntegrity } from '../integrity';
import { parseMt940 } from './mt940-parser';

const signedBalance = (b: any) => (b.mark === 'D' ? -1n : 1n) * minor(b.amount);
const refOf = (origin: string | null | undefined) => {
  if (origin === null || origin === undefined) return undefined;
  const v = origin.split('//')[0].split('\n')[0].trim();
  return v === '' || v === 'NONREF' ? null : v;
};

conformanceDescribe('mt940')('MT940 conformance corpus (expected.json)', () => {
  const all = cases('mt940');
  it('has samples', () => expect(all.length).toBeGreaterThan(0));

  for (const c of all) {
    const label = c.file;
    const bytes = () => fs.readFileSync(path.join(c.dir, c.file));
    const encoding = c.file.includes('raiffeisen-cmi') ? 'cp852' : undefined;
    if (c.spec.expectOutcome === 'reject') {
      it(`${label}: rejected`, () => expect(() => parseMt940(bytes())).toThrow(ParseError));
      continue;
    }

    it(`${label}: statements, balances and :61: amounts as derived`, () => {
      const d = c.spec.derived;
      const file = parseMt940(bytes(), { encoding });
      expect(file.format).toBe('mt940');
      expect(file.statements).toHaveLength(d.statementCount);
      const findings = checkIntegrity(file);
      d.statements.forEach((ds: any, i: number) => {
        const s = file.statements[i];
        expect(s.account).toBe(ds.accountIdentification);
        expect(s.sequence).toBe(ds.statementNumber);
        expect(s.currency).toBe(ds.openingBalance.currency);
        expect(s.openingBalanceMinor).toBe(signedBalance(ds.openingBalance));
        expect(s.closingBalanceMinor).toBe(signedBalance(ds.closingBalance));
        expect(s.entries.map((e) => e.amountMinor)).toEqual(ds.statementLineAmounts.map((a: string) => minor(a)));
        expect(s.entries.every((e) => e.status === 'BOOKED' && e.reversal === false)).toBe(true);
        const mismatch = findings.some((f) => f.statement === i && f.code === 'BALANCE_MISMATCH');
        expect(mismatch).toBe(!ds.openingPlusLinesEqualsClosing);
      });
    });

    const txs = c.spec.originAssertions?.transactions;
    if (txs?.length) {
      it(`${label}: every transaction as the origin (WoLpH/mt940) parsed it`, () => {
        const entries = parseMt940(bytes(), { encoding }).statements.flatMap((s) => s.entries);
        expect(entries).toHaveLength(c.spec.originAssertions.transactionCount);
        txs.forEach((t: any, i: number) => {
          const e = entries[i];
          expect(e.amountMinor).toBe(minor(t.amount));
          expect(e.valueDate).toBe(t.date);
          expect(e.bookingDate).toBe(t.entry_date ?? t.date);
          expect(e.extra?.typeCode).toBe(t.id.trim());
          expect(e.extra?.mark).toBe(t.status);
          expect(e.extra?.fundsCode).toBe(t.funds_code ?? undefined);
          const ref = refOf(t.customer_reference);
          if (ref !== undefined) expect(e.reference).toBe(ref);
          if (t.bank_reference) expect(e.extra?.bankReference).toBe(t.bank_reference);
          if (t.end_to_end_reference) expect(e.endToEndId).toBe(t.end_to_end_reference);
          if (t.applicant_name) expect(e.counterparty).toBe(t.applicant_name.trim());
          if (t.purpose) expect(e.extra?.purpose).toBe(t.purpose);
          if (t.transaction_code) expect(e.extra?.transactionCode).toBe(t.transaction_code);
        });
      });
    }
  }

  it('february_30: the impossible value date becomes 2016-02-29 and is reported', () => {
    const f = parseMt940(fs.readFileSync(path.join(all[0].dir, 'self-provided', 'february_30.sta')));
    expect(f.statements[0].entries[0].valueDate).toBe('2016-02-29');
    expect(f.warnings?.map((w) => w.code)).toContain('MT940_DATE_ADJUSTED');
  });

  it('raiffeisen-cmi: cp852 text is decoded when the code page is configured', () => {
    const dir = all[0].dir;
    const spec = all.find((x) => x.file.includes('raiffeisen'))!.spec;
    const f = parseMt940(fs.readFileSync(path.join(dir, 'self-provided', 'raiffeisen-cmi.sta')), { encoding: 'cp852' });
    expect(f.statements[0].entries[0].extra?.supplementary).toBe(spec.originAssertions.transactions[0].extra_details);
  });
});
