import * as fs from 'fs';
import * as path from 'path';
import { cases, conformanceDescribe } from '../__fixtures__/conformance';
import { ParseError } from '../errors';
import { parseBai2 } from './bai2-parser';

const CONTROL_CODES = ['BAI2_CONTROL_TOTAL', 'BAI2_RECORD_COUNT', 'BAI2_ACCOUNT_COUNT', 'BAI2_GROUP_COUNT'];
const num = (s: string) => BigInt(s.replace(/^\+/, ''));

function allConsistent(d: any): boolean {
  const flags: unknown[] = [];
  const collect = (o: any) => {
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o)) {
      if (k.startsWith('matches')) flags.push(v);
      else collect(v);
    }
  };
  collect(d);
  return flags.every((f) => f === true || f === null);
}

conformanceDescribe('bai2')('BAI2 conformance corpus (expected.json)', () => {
  const all = cases('bai2');
  it('has samples', () => expect(all.length).toBeGreaterThan(0));

  for (const c of all) {
    const label = `${path.basename(c.dir)}/${c.file}`;
    const bytes = () => fs.readFileSync(path.join(c.dir, c.file));
    if (c.spec.expectOutcome === 'reject') {
      it(`${label}: rejected with a ParseError`, () => {
        expect(() => parseBai2(bytes())).toThrow(ParseError);
        expect(() => parseBai2(bytes(), { strict: false })).toThrow(ParseError);
      });
      continue;
    }

    it(`${label}: accounts, balances and details as derived`, () => {
      const d = c.spec.derived;
      const file = parseBai2(bytes(), { strict: false });
      const accounts = d.groups.flatMap((g: any) => g.accounts.map((a: any) => ({ g, a })));
      expect(file.statements).toHaveLength(accounts.length);
      accounts.forEach(({ g, a }: any, i: number) => {
        const s = file.statements[i];
        expect(s.account).toBe(a.accountNumber);
        expect(s.currency).toBe(a.currency || g.currency || 'USD');
        const sum = (t: string) => a.summaries.find((x: any) => x.typeCode === t);
        expect(s.openingBalanceMinor).toBe(sum('010')?.amount ? num(sum('010').amount) : null);
        expect(s.closingBalanceMinor).toBe(sum('015')?.amount ? num(sum('015').amount) : null);
        expect(s.entries).toHaveLength(a.details.length);
        a.details.forEach((x: any, j: number) => {
          const e = s.entries[j];
          const code = Number(x.typeCode);
          const sign = code >= 100 && code <= 399 ? 1n : -1n;
          expect(e.amountMinor).toBe(sign * num(x.amount));
          expect(e.extra?.typeCode).toBe(x.typeCode);
          expect(e.reference).toBe(x.customerReference.trim() || null);
          expect(e.extra?.bankReference).toBe(x.bankReference.trim() || undefined);
          expect(e.extra?.fundsType).toBe(x.fundsType || undefined);
        });
      });
    });

    const consistent = allConsistent(c.spec.derived);
    it(`${label}: control totals and counts ${consistent ? 'all agree' : 'disagree: rejected, flagged when not strict'}`, () => {
      const codes = (parseBai2(bytes(), { strict: false }).warnings ?? []).map((w) => w.code).filter((x) => CONTROL_CODES.includes(x));
      if (consistent) {
        expect(codes).toEqual([]);
        expect(() => parseBai2(bytes())).not.toThrow();
      } else {
        expect(codes.length).toBeGreaterThan(0);
        expect(() => parseBai2(bytes())).toThrow(expect.objectContaining({ code: expect.stringMatching(/^CONTROL_(TOTAL|COUNT)$/) }));
      }
    });
  }
});
