/* Test helpers for the third-party conformance corpus (read in place, never copied). */
import * as fs from 'fs';
import * as path from 'path';

export const CONFORMANCE = path.resolve(__dirname, '..', '..', '..', '..', '..', '..', 'shared', 'conformance');

export function conformanceDescribe(sub: string): jest.Describe {
  const dir = path.join(CONFORMANCE, sub);
  if (fs.existsSync(dir)) return describe;
  console.warn(`conformance corpus not found at ${dir}: skipping`);
  return describe.skip as unknown as jest.Describe;
}

export interface ExpectedCase {
  file: string;
  dir: string;
  spec: Record<string, any>;
}

/** Every (origin folder, sample) pair of a format folder, with its expected.json entry. */
export function cases(sub: string): ExpectedCase[] {
  const base = path.join(CONFORMANCE, sub);
  if (!fs.existsSync(base)) return [];
  const out: ExpectedCase[] = [];
  for (const origin of fs.readdirSync(base)) {
    const dir = path.join(base, origin);
    const exp = path.join(dir, 'expected.json');
    if (!fs.existsSync(exp)) continue;
    const json = JSON.parse(fs.readFileSync(exp, 'utf8')) as Record<string, any>;
    for (const [file, spec] of Object.entries(json)) {
      if (file === '_about') continue;
      out.push({ file, dir, spec });
    }
  }
  return out;
}

/** Independent decimal-string -> minor units for the test side (no rounding: must be exact). */
export function minor(amount: string, exponent = 2): bigint {
  const t = amount.replace(',', '.').trim();
  const neg = t.startsWith('-');
  const [w, f = ''] = t.replace(/^[+-]/, '').split('.');
  const frac = f.replace(/0+$/, '');
  if (frac.length > exponent) throw new Error('test amount not exact');
  const v = BigInt(w || '0') * 10n ** BigInt(exponent) + BigInt((frac + '0'.repeat(exponent)).slice(0, exponent) || '0');
  return neg ? -v : v;
}

export const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'ISK']);
export const exp = (ccy?: string) => (ccy && ZERO_DECIMAL.has(ccy) ? 0 : 2);
