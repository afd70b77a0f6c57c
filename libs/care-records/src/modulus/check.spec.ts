import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkBankAccount } from './check';
import { bundledModulusTables, BUNDLED_MODULUS_VERSION, loadModulusTables } from './load';
import { buildModulusTables, parseValacdos, rowsForSortCode } from './tables';

const dir = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'conformance',
  'modulus',
  'cs278-bank-modulus',
);
const present = fs.existsSync(path.join(dir, 'testcases.json'));
if (!present) console.warn(`modulus conformance folder absent (${dir}): conformance tests skipped`);
const d = present ? describe : describe.skip;

interface Case {
  number?: number;
  description: string;
  sortCode: string;
  accountNumber: string;
  valid: boolean;
}

function cases() {
  const t = JSON.parse(fs.readFileSync(path.join(dir, 'testcases.json'), 'utf8'));
  return {
    official: t.officialTestCases as Case[],
    extra: (t.additionalCases['cs278-bank-modulus'].cases as Case[]).filter(
      (c) => c.accountNumber.length === 8,
    ),
    formats: t.additionalCases['ball-hayden-uk_account_validator'].cases as Case[],
    lookups: t.additionalCases['ball-hayden-uk_account_validator'].weightTableLookups as {
      sortCode: string;
      modulus: string | null;
    }[],
    rowParsing: t.additionalCases['ball-hayden-uk_account_validator'].weightRowParsing,
    unknown: t.additionalCases['cs278-bank-modulus-unknown-sort-code'].cases[0] as {
      sortCode: string;
      accountNumber: string;
    },
  };
}

d('modulus conformance (cs278 tables v7.70, read in place)', () => {
  const tables = present ? loadModulusTables(dir, 'v7.70') : (undefined as never);
  const c = present ? cases() : (undefined as never);

  it('has the 34 official VocaLink cases', () => {
    expect(c.official).toHaveLength(34);
  });
  it.each(present ? cases().official : [])('official case $number: $description', (tc) => {
    expect(checkBankAccount(tables, tc.sortCode, tc.accountNumber).valid).toBe(tc.valid);
  });
  it.each(present ? cases().extra : [])('additional: $description', (tc) => {
    expect(checkBankAccount(tables, tc.sortCode, tc.accountNumber).valid).toBe(tc.valid);
  });
  it.each(present ? cases().formats : [])('input format: $description', (tc) => {
    expect(checkBankAccount(tables, tc.sortCode, tc.accountNumber).valid).toBe(tc.valid);
  });
  it('treats a sort code with no table row as valid (cannot be checked)', () => {
    expect(checkBankAccount(tables, c.unknown.sortCode, c.unknown.accountNumber)).toEqual({
      valid: true,
      status: 'no-rule',
    });
  });
  it('looks up weight rows by range', () => {
    for (const l of c.lookups) {
      const rows = rowsForSortCode(tables, l.sortCode);
      expect(rows[0]?.method ?? null).toBe(l.modulus);
    }
  });
  it('parses a weight row as the origin asserts', () => {
    const [row] = parseValacdos(c.rowParsing.line);
    const w = c.rowParsing.expected.weights;
    expect(row).toEqual({
      start: Number(c.rowParsing.expected.sortCodeStart),
      end: Number(c.rowParsing.expected.sortCodeEnd),
      method: c.rowParsing.expected.modulus,
      weights: ['u', 'v', 'w', 'x', 'y', 'z', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k) => w[k]),
      exception: c.rowParsing.expected.exception,
    });
  });
});

d(`modulus official cases against the bundled tables (${BUNDLED_MODULUS_VERSION})`, () => {
  const tables = bundledModulusTables();
  const conf = present ? loadModulusTables(dir, 'v7.70') : (undefined as never);
  it.each(present ? cases().official : [])('official case $number', (tc) => {
    // Any difference here would be a table-version effect; none is expected for these sort codes.
    expect(checkBankAccount(tables, tc.sortCode, tc.accountNumber).valid).toBe(tc.valid);
    expect(rowsForSortCode(tables, tc.sortCode)).toEqual(rowsForSortCode(conf, tc.sortCode));
  });
});

describe('modulus checker basics (hand-derived)', () => {
  // One MOD11 row for 123456 with weights 0 0 0 0 0 0 8 7 6 5 4 3 2 1.
  const t = buildModulusTables(
    'test',
    '123400 123499 MOD11    0    0    0    0    0    0    8    7    6    5    4    3    2    1\n',
    '',
  );
  it('passes when the weighted sum is divisible by 11', () => {
    // 0000001 + check: digits a..h = 0,0,0,0,0,0,1,x: 2*1 + x*1 ≡ 0 (mod 11) -> x = 9.
    expect(checkBankAccount(t, '123456', '00000019')).toEqual({ valid: true, status: 'pass' });
    expect(checkBankAccount(t, '123456', '00000018')).toEqual({ valid: false, status: 'fail' });
  });
  it('rejects bad shapes and accepts hyphenated sort codes', () => {
    expect(checkBankAccount(t, '12345', '00000019').status).toBe('invalid-input');
    expect(checkBankAccount(t, '123456', '0000019').status).toBe('invalid-input');
    expect(checkBankAccount(t, '12-34-56', '00000019').valid).toBe(true);
  });
  it('returns no-rule outside every range', () => {
    expect(checkBankAccount(t, '999999', '00000018')).toEqual({ valid: true, status: 'no-rule' });
  });
});
