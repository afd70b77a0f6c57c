import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readMosaicCsvAll, readMosaicXmlAll } from '../readers/extract';
import { isValidNhsNumber } from '../validation/nhs';
import { sampleContent } from './content';
import { SCENARIOS, sampleCase, sampleCases, sampleTrailer } from './generator';
import { writeExtractCsv, writeExtractXml } from './writers';

const opts = { dps: 60, seed: 'spec-seed', date: '2026-11-23' };
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-sample-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function writeBoth(o = opts) {
  const xml = path.join(tmp, `s-${o.seed}-${o.dps}.xml`);
  const dir = path.join(tmp, `s-${o.seed}-${o.dps}-csv`);
  await writeExtractXml(sampleContent(o), fs.createWriteStream(xml));
  await writeExtractCsv(sampleContent(o), dir);
  return { xml, dir };
}

describe('sample generator', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    const a = await writeBoth();
    const again = path.join(tmp, 'again.xml');
    await writeExtractXml(sampleContent(opts), fs.createWriteStream(again));
    expect(fs.readFileSync(again, 'utf8')).toBe(fs.readFileSync(a.xml, 'utf8'));
    expect(sampleCase({ ...opts, seed: 'other' }, 30)).not.toEqual(sampleCase(opts, 30));
  });

  it('round-trips: XML and CSV give the generated canonical records, identically', async () => {
    const { xml, dir } = await writeBoth();
    const fromXml = await readMosaicXmlAll(fs.readFileSync(xml));
    const fromCsv = await readMosaicCsvAll(dir);
    expect(fromXml.errors).toEqual([]);
    expect(fromXml.ok).toBe(true);
    const cases = [...sampleCases(opts)];
    expect(fromXml.persons).toEqual(cases.map((c) => c.person));
    expect(fromXml.payees).toEqual(cases.map((c) => c.payee));
    expect(fromXml.directPayments).toEqual(cases.map((c) => c.directPayment));
    expect(fromCsv).toEqual(fromXml);
  });

  it('writes a trailer the validator recomputes exactly', async () => {
    const { xml } = await writeBoth();
    const r = await readMosaicXmlAll(fs.readFileSync(xml));
    expect(r.trailer).toEqual(sampleTrailer(opts));
    expect(r.computedTotalWeeklyGross).toBe(sampleTrailer(opts).totalWeeklyGrossPence);
  });

  it('covers every contract case in the forced scenarios', () => {
    const cs = SCENARIOS.map((_s, i) => sampleCase(opts, i));
    const dps = cs.map((c) => c.directPayment);
    expect(new Set(dps.map((d) => d.frequency))).toEqual(
      new Set(['WEEKLY', 'FORTNIGHTLY', 'FOUR_WEEKLY', 'MONTHLY']),
    );
    expect(new Set(dps.map((d) => d.fundingStream))).toEqual(new Set(['LA', 'S117', 'JOINT']));
    expect(new Set(cs.map((c) => c.payee.accountType))).toEqual(new Set(['BANK', 'CARD', 'MANAGED']));
    expect(new Set(dps.map((d) => d.recipientRole))).toEqual(new Set(['SELF', 'NOMINATED', 'AUTHORISED']));
    const all = [...sampleCases({ ...opts, dps: 300 })].map((c) => c.directPayment);
    expect(new Set(all.map((d) => d.basis))).toEqual(new Set(['NET', 'GROSS']));
    expect(dps.some((d) => d.splits.length >= 2 && d.fundingStream === 'JOINT')).toBe(true);
    expect(dps.some((d) => d.suspensions.some((s) => s.to === null))).toBe(true);
    expect(dps.some((d) => d.suspensions.some((s) => s.to !== null))).toBe(true);
    expect(dps.some((d) => d.oneOffs.length > 0)).toBe(true);
    expect(dps.some((d) => d.rates.length >= 3)).toBe(true);
    expect(dps.some((d) => d.end !== null && d.end < opts.date)).toBe(true);
    expect(dps.some((d) => d.start > opts.date)).toBe(true);
    expect(dps.some((d) => d.fundingStream === 'S117' && d.contributions.length > 0)).toBe(true);
    expect(cs.some((c) => c.person.dateOfDeath !== null && c.person.dateOfDeath < opts.date)).toBe(true);
    expect(cs.some((c) => c.person.restricted)).toBe(true);
    expect(cs.some((c) => c.payee.bank?.modulusValid === false)).toBe(true);
    expect(cs.some((c) => c.person.nhsNumberValid === false)).toBe(true);
    expect(cs.some((c) => c.person.personal.nhsNumber === null)).toBe(true);
    expect(dps.some((d) => d.cashAllowed)).toBe(true);
  });

  it('uses 999-range NHS numbers that pass modulus 11 unless meant to fail', () => {
    for (const c of sampleCases({ ...opts, dps: 300 })) {
      const n = c.person.personal.nhsNumber;
      if (n === null) continue;
      expect(n).toMatch(/^999\d{7}$/);
      expect(isValidNhsNumber(n)).toBe(c.person.nhsNumberValid);
    }
  });

  it('flags exactly the bad-modulus payees, invalid NHS numbers and S117 contributions', async () => {
    const { xml } = await writeBoth();
    const r = await readMosaicXmlAll(fs.readFileSync(xml));
    const cases = [...sampleCases(opts)];
    const expected = [
      ...cases
        .filter((c) => c.person.nhsNumberValid === false)
        .map((c) => `Person:${c.person.id}:nhs-number-invalid`),
      ...cases
        .filter((c) => c.payee.bank?.modulusValid === false)
        .map((c) => `Payee:${c.payee.id}:bank-modulus-failed`),
      ...cases
        .filter((c) => c.directPayment.fundingStream === 'S117' && c.directPayment.contributions.length > 0)
        .map((c) => `DirectPayment:${c.directPayment.id}:s117-contribution-ignored`),
    ];
    expect(r.flags.map((f) => `${f.recordType}:${f.recordId}:${f.flag}`).sort()).toEqual(expected.sort());
  });
});
