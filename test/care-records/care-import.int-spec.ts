/**
 * Care-record import against real PostgreSQL, through the real intake (file:// inbox, SHA-256
 * ledger, one transaction) and the streaming Mosaic applier: all or nothing, same bytes a no-op,
 * exact history for a changed extract, XML and CSV giving identical database state, FULL/DELTA
 * rules, extract order, death/restricted carried through, and no personal data in reports/logs.
 * Each test uses its own council code (CR1..CR9): the test database is shared by parallel files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMosaicApplier } from '@dpb/care-records/import/applier';
import { rootLogger, setRootLogger } from '@dpb/platform';
import { intakeInbox } from '@dpb/pipeline';
import { openEndpoint } from '@dpb/transport';
import type { Logger } from 'pino';
import { captureLogger, createHarness, type Harness } from '../support/council-harness';
import { cloneExtract, sampleExtract, toCsvZip, toXml, trailerFor, type Extract } from '../support/extracts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness('CR1');
});
afterAll(() => h.close());

async function intake(council: string, opts: { batchRows?: number; log?: Logger } = {}) {
  const endpoint = await openEndpoint(h.env.DPB_CARE_INBOX, { stabilityMs: 50 });
  try {
    const applier = createMosaicApplier(undefined, opts.batchRows ? { batchRows: opts.batchRows } : {});
    return await intakeInbox({ ds: h.ds, endpoint, applier, council, nightDate: '2026-11-23', log: opts.log ?? h.log });
  } finally {
    await endpoint.close();
  }
}

function drop(name: string, bytes: Buffer): void {
  fs.writeFileSync(path.join(h.dirs.care, name), bytes);
}

function report(name: string): { problems: { recordType?: string; recordId?: string; field?: string; rule: string }[] } & Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(h.dirs.care, 'quarantine', `${name}.error.json`), 'utf8')).error;
}

const q = <T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]> => h.ds.query(sql, params);

async function careRowCounts(council: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['care_extract', 'person', 'payee', 'direct_payment', 'care_version']) {
    const [r] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} WHERE council = $1`, [council]);
    out[t] = r.n;
  }
  return out;
}
const NOTHING = { care_extract: 0, person: 0, payee: 0, direct_payment: 0, care_version: 0 };

/** A later extract of the same records: new id, generatedAt and extract date. */
function later(x: Extract, date: string, kind: 'FULL' | 'DELTA' = 'FULL'): Extract {
  const y = cloneExtract(x);
  y.header = { ...y.header, kind, extractId: `${y.header.council}-${date.replace(/-/g, '')}-0100`, generatedAt: `${date}T01:00:00.000Z`, extractDate: date };
  return y;
}

async function versionsOf(council: string, kind: string, id: string) {
  return q<{ version: number; changed: string[]; content: Record<string, unknown>; extract_ref: string }>(
    `SELECT version, changed, content, extract_ref FROM care_version WHERE council = $1 AND kind = $2 AND record_id = $3 ORDER BY version`,
    [council, kind, id],
  );
}

describe('care-record import (intake + streaming applier + PostgreSQL)', () => {
  it('quarantines a file with bad fields whole: report names record/field/rule only; no personal data in report or logs', async () => {
    const council = 'CR1';
    const good = sampleExtract(council, 12);
    const trailer = await trailerFor(good);
    const bad = cloneExtract(good);
    (bad.dps[3] as { frequency: string }).frequency = 'DAILY';
    bad.payees[1].bank!.sortCode = '12-34-5';
    bad.persons[2].personal.nhsNumber = '94347659';
    const capture = captureLogger();
    const before = rootLogger();
    setRootLogger(capture.logger);
    let s;
    try {
      drop('cr1-bad.xml', await toXml(bad, trailer));
      s = await intake(council, { log: capture.logger });
    } finally {
      setRootLogger(before);
    }
    expect(s).toMatchObject({ applied: 0, quarantined: 1 });
    expect(await careRowCounts(council)).toEqual(NOTHING);
    const [ledger] = await q<{ state: string }>(`SELECT state FROM inbound_file WHERE council = $1 AND name = 'cr1-bad.xml'`, [council]);
    expect(ledger.state).toBe('QUARANTINED');

    const r = report('cr1-bad.xml');
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordType: 'DirectPayment', recordId: good.dps[3].id, field: 'frequency', rule: 'enum' }),
        expect.objectContaining({ recordType: 'Payee', recordId: good.payees[1].id, field: 'sortCode', rule: 'sort-code-format' }),
        expect.objectContaining({ recordType: 'Person', recordId: good.persons[2].id, field: 'nhsNumber', rule: 'nhs-number-format' }),
      ]),
    );
    expect(r.problems).toHaveLength(3);

    // Every personal value of the file (names, NHS numbers, DOBs, addresses, bank details) must be
    // absent from the report and from everything logged. Hashes are removed first: a 6-digit sort
    // code can occur inside a hex SHA-256 by chance.
    const personal: string[] = ['DAILY', '12-34-5', '94347659'];
    for (const p of bad.persons) {
      const d = p.personal;
      personal.push(...[d.nhsNumber, d.dateOfBirth, d.firstName, d.lastName, d.address.line1, d.address.postcode].filter((v): v is string => !!v && v.length >= 4));
    }
    for (const p of bad.payees) if (p.bank) personal.push(p.bank.sortCode, p.bank.accountNumber, p.bank.accountName);
    const scanned = [JSON.stringify(r), ...capture.lines].join('\n').replace(/[0-9a-f]{64}/g, '#');
    expect(capture.lines.length).toBeGreaterThan(0);
    for (const v of personal) expect({ value: v, found: scanned.includes(v) }).toEqual({ value: v, found: false });
  });

  it('rolls back rows already written in batches when the file fails at its trailer', async () => {
    const council = 'CR2';
    const x = sampleExtract(council, 30);
    const trailer = await trailerFor(x);
    drop('cr2-trailer.xml', await toXml(x, { ...trailer, persons: trailer.persons + 1 }));
    // Batches of 4 records: persons, payees and DPs are COPYed and merged long before the trailer.
    const s = await intake(council, { batchRows: 4 });
    expect(s).toMatchObject({ applied: 0, quarantined: 1 });
    expect(report('cr2-trailer.xml').problems).toEqual([expect.objectContaining({ recordType: 'Trailer', field: 'persons', rule: 'trailer-count' })]);
    expect(await careRowCounts(council)).toEqual(NOTHING);
    const [ledger] = await q<{ state: string }>(`SELECT state FROM inbound_file WHERE council = $1 AND name = 'cr2-trailer.xml'`, [council]);
    expect(ledger.state).toBe('QUARANTINED');
  });

  it('imports once; the same bytes again are a no-op; a changed extract leaves exact history and rewrites nothing else', async () => {
    const council = 'CR3';
    const v1 = sampleExtract(council, 12);
    const bytes = await toXml(v1);
    drop('cr3-v1.xml', bytes);
    expect(await intake(council, { batchRows: 5 })).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await careRowCounts(council)).toEqual({ care_extract: 1, person: 12, payee: 12, direct_payment: 12, care_version: 36 });
    const firsts = await q<{ n: number }>(`SELECT count(*)::int AS n FROM care_version WHERE council = $1 AND version = 1 AND changed = ARRAY['*']`, [council]);
    expect(firsts[0].n).toBe(36);
    const [{ id: ref1 }] = await q<{ id: string }>(`SELECT id FROM care_extract WHERE council = $1`, [council]);

    drop('cr3-v1-again.xml', bytes);
    expect(await intake(council)).toMatchObject({ applied: 0, duplicates: 1 });
    expect(await careRowCounts(council)).toEqual({ care_extract: 1, person: 12, payee: 12, direct_payment: 12, care_version: 36 });

    const v2 = later(v1, '2026-11-30');
    v2.dps[0].rates.push({ from: '2026-12-07', weeklyGrossPence: 20000n });
    expect(v2.dps[2].end).not.toBe('2027-01-31');
    v2.dps[2].end = '2027-01-31';
    expect(v2.persons[3].dateOfDeath).toBeNull();
    v2.persons[3].dateOfDeath = '2026-11-28';
    const oldBank = v1.payees[0].bank!;
    const newBank = { ...v1.payees[5].bank!, accountName: oldBank.accountName };
    v2.payees[0].bank = newBank;
    // A Bacs return blocked two payees' details; only the one whose details change is unblocked.
    await q(`UPDATE payee SET bacs_return_blocked = true WHERE council = $1 AND payee_id = ANY ($2)`, [council, [v1.payees[0].id, v1.payees[1].id]]);
    drop('cr3-v2.xml', await toXml(v2));
    const s2 = await intake(council, { batchRows: 5 });
    expect(s2).toMatchObject({ applied: 1, quarantined: 0 });
    const [{ id: ref2 }] = await q<{ id: string }>(`SELECT id FROM care_extract WHERE council = $1 AND extract_id = $2`, [council, v2.header.extractId]);

    // Exactly four new versions, each naming what changed.
    expect(await careRowCounts(council)).toEqual({ care_extract: 2, person: 12, payee: 12, direct_payment: 12, care_version: 40 });
    const dp0 = await versionsOf(council, 'DP', v1.dps[0].id);
    expect(dp0.map((v) => [v.version, v.changed, v.extract_ref])).toEqual([[1, ['*'], ref1], [2, ['terms.rates'], ref2]]);
    // Version 1 keeps the terms a past payment was computed from; version 2 has the new rate.
    const rates = (v: (typeof dp0)[number]) => (v.content.terms as { rates: { from: string; weeklyGross: string }[] }).rates;
    expect(rates(dp0[0])).toEqual(v1.dps[0].rates.map((r) => ({ from: r.from, weeklyGross: String(r.weeklyGrossPence) })));
    expect(rates(dp0[1]).at(-1)).toEqual({ from: '2026-12-07', weeklyGross: '20000' });
    expect((await versionsOf(council, 'DP', v1.dps[2].id)).map((v) => v.changed)).toEqual([['*'], ['end_date']]);
    expect((await versionsOf(council, 'PERSON', v1.persons[3].id)).map((v) => v.changed)).toEqual([['*'], ['date_of_death']]);
    const expectedBank = [
      ...(newBank.sortCode !== oldBank.sortCode ? ['sort_code'] : []),
      ...(newBank.accountNumber !== oldBank.accountNumber ? ['account_number'] : []),
      ...(newBank.modulusValid !== oldBank.modulusValid ? ['modulus_valid'] : []),
      'bank_hash',
    ];
    expect((await versionsOf(council, 'PAYEE', v1.payees[0].id)).map((v) => v.changed)).toEqual([['*'], expectedBank]);

    // Current rows: changed ones carry the new values and extract; the rest were not rewritten.
    const [dp2] = await q<{ end_date: string; version: number }>(`SELECT end_date, version FROM direct_payment WHERE council = $1 AND dp_id = $2`, [council, v1.dps[2].id]);
    expect(dp2).toEqual({ end_date: '2027-01-31', version: 2 });
    const [p3] = await q<{ date_of_death: string }>(`SELECT date_of_death FROM person WHERE council = $1 AND person_id = $2`, [council, v1.persons[3].id]);
    expect(p3.date_of_death).toBe('2026-11-28');
    const [py0] = await q<{ bank_changed_ref: string; account_number: string }>(`SELECT bank_changed_ref, account_number FROM payee WHERE council = $1 AND payee_id = $2`, [council, v1.payees[0].id]);
    expect(py0).toEqual({ bank_changed_ref: ref2, account_number: newBank.accountNumber });
    expect(await q(`SELECT payee_id, bacs_return_blocked FROM payee WHERE council = $1 AND payee_id = ANY ($2) ORDER BY payee_id`, [council, [v1.payees[0].id, v1.payees[1].id]]))
      .toEqual([{ payee_id: v1.payees[0].id, bacs_return_blocked: false }, { payee_id: v1.payees[1].id, bacs_return_blocked: true }].sort((a, b) => (a.payee_id < b.payee_id ? -1 : 1)));
    const untouched = await q<{ n: number }>(
      `SELECT (SELECT count(*) FROM person WHERE council = $1 AND version = 1 AND extract_ref = $2)
            + (SELECT count(*) FROM payee WHERE council = $1 AND version = 1 AND extract_ref = $2 AND bank_changed_ref IS NULL)
            + (SELECT count(*) FROM direct_payment WHERE council = $1 AND version = 1 AND extract_ref = $2) AS n`,
      [council, ref1],
    );
    expect(Number(untouched[0].n)).toBe(36 - 4);
  });

  it('gives identical database state for the same content as XML and as a zip of CSV files', async () => {
    const xml = sampleExtract('CR4', 25, { seed: 'CR45' });
    const csv = sampleExtract('CR5', 25, { seed: 'CR45' });
    drop('cr4.xml', await toXml(xml));
    expect(await intake('CR4', { batchRows: 7 })).toMatchObject({ applied: 1 });
    drop('cr5.zip', await toCsvZip(csv));
    const s = await intake('CR5', { batchRows: 7 });
    expect(s).toMatchObject({ applied: 1 });
    expect(s.files[0].format).toBe('mosaic-csv');

    const state = async (council: string) => ({
      person: await q(`SELECT to_jsonb(t) - 'council' - 'extract_ref' AS r FROM person t WHERE council = $1 ORDER BY person_id`, [council]),
      payee: await q(`SELECT to_jsonb(t) - 'council' - 'extract_ref' - 'bank_changed_ref' AS r FROM payee t WHERE council = $1 ORDER BY payee_id`, [council]),
      dp: await q(`SELECT to_jsonb(t) - 'council' - 'extract_ref' AS r FROM direct_payment t WHERE council = $1 ORDER BY dp_id`, [council]),
      versions: await q(`SELECT kind, record_id, version, changed, content FROM care_version WHERE council = $1 ORDER BY kind, record_id, version`, [council]),
    });
    const a = await state('CR4');
    const b = await state('CR5');
    expect(a.dp).toHaveLength(25);
    expect(a.versions).toHaveLength(75);
    expect(b).toEqual(a);
  });

  it('FULL: flags a DP missing from the file (not one past its end); DELTA: applies only its DPs', async () => {
    const council = 'CR6';
    const v1 = sampleExtract(council, 17); // case 15 is the sample's "ended" DP
    drop('cr6-v1.xml', await toXml(v1));
    expect(await intake(council)).toMatchObject({ applied: 1 });

    const v2 = later(v1, '2026-11-30');
    const gone = [v1.dps[0].id, v1.dps[15].id];
    expect(v1.dps[0].end).toBeNull();
    expect(v1.dps[15].end! < '2026-11-30').toBe(true);
    v2.dps = v2.dps.filter((d) => !gone.includes(d.id));
    drop('cr6-v2.xml', await toXml(v2));
    const s2 = await intake(council);
    expect(s2).toMatchObject({ applied: 1 });
    expect(s2.warnings.join('\n')).toContain('1 DP(s) missing from this FULL extract');
    const flagged = await q<{ dp_id: string }>(`SELECT dp_id FROM direct_payment WHERE council = $1 AND missing_from_full ORDER BY dp_id`, [council]);
    expect(flagged.map((r) => r.dp_id)).toEqual([v1.dps[0].id]);
    // Flagged, not ended: the DP row is as before.
    const [dp0] = await q<{ end_date: string | null; version: number }>(`SELECT end_date, version FROM direct_payment WHERE council = $1 AND dp_id = $2`, [council, v1.dps[0].id]);
    expect(dp0).toEqual({ end_date: null, version: 1 });

    // DELTA with two DPs: DP 0 is back (flag cleared), DP 1 has a new contribution. Nothing else
    // is touched or flagged, though the DELTA lacks them.
    const v3 = later(v1, '2026-12-01', 'DELTA');
    const keep = [0, 1];
    v3.dps = keep.map((i) => v3.dps[i]);
    v3.persons = keep.map((i) => v3.persons[i]);
    v3.payees = keep.map((i) => v3.payees[i]);
    v3.dps[1].contributions.push({ from: '2026-12-07', weeklyPence: 1500n });
    drop('cr6-v3.xml', await toXml(v3));
    expect(await intake(council)).toMatchObject({ applied: 1 });
    const dps = await q<{ dp_id: string; version: number; missing_from_full: boolean }>(
      `SELECT dp_id, version, missing_from_full FROM direct_payment WHERE council = $1 ORDER BY dp_id`,
      [council],
    );
    expect(dps.filter((d) => d.missing_from_full)).toEqual([]);
    expect(dps.filter((d) => d.version !== 1).map((d) => d.dp_id)).toEqual([v1.dps[1].id]);
    expect((await versionsOf(council, 'DP', v1.dps[1].id)).map((v) => v.changed)).toEqual([['*'], ['terms.contributions']]);
    const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM care_version WHERE council = $1`, [council]);
    expect(n).toBe(17 * 3 + 1);
  });

  it('quarantines an extract older than the last applied one', async () => {
    const council = 'CR7';
    const newer = later(sampleExtract(council, 5), '2026-11-30');
    drop('cr7-newer.xml', await toXml(newer));
    expect(await intake(council)).toMatchObject({ applied: 1 });
    const before = await careRowCounts(council);
    const older = sampleExtract(council, 6);
    drop('cr7-older.xml', await toXml(older));
    expect(await intake(council)).toMatchObject({ applied: 0, quarantined: 1 });
    expect(report('cr7-older.xml').problems).toEqual([expect.objectContaining({ field: 'generatedAt', rule: 'EXTRACT_OLDER_THAN_LAST_APPLIED' })]);
    expect(await careRowCounts(council)).toEqual(before);
  });

  it('carries date of death, the RESTRICTED flag and terms (integer pence strings) through', async () => {
    const council = 'CR8';
    const x = sampleExtract(council, 12); // cases 8/9: death before / on the date; 10: restricted
    drop('cr8.xml', await toXml(x));
    expect(await intake(council)).toMatchObject({ applied: 1 });
    const persons = await q<{ person_id: string; date_of_death: string | null; restricted: boolean }>(
      `SELECT person_id, date_of_death, restricted FROM person WHERE council = $1 ORDER BY person_id`,
      [council],
    );
    const byId = new Map(persons.map((p) => [p.person_id, p]));
    expect(x.persons[8].dateOfDeath).not.toBeNull();
    expect(x.persons[10].restricted).toBe(true);
    for (const p of x.persons) {
      expect(byId.get(p.id)).toEqual({ person_id: p.id, date_of_death: p.dateOfDeath, restricted: p.restricted });
    }
    const [dp] = await q<{ terms: { rates: unknown[]; contributions: unknown[] } }>(`SELECT terms FROM direct_payment WHERE council = $1 AND dp_id = $2`, [council, x.dps[1].id]);
    expect(dp.terms.rates).toEqual(x.dps[1].rates.map((r) => ({ from: r.from, weeklyGross: r.weeklyGrossPence.toString() })));
    expect(dp.terms.contributions).toEqual(x.dps[1].contributions.map((c) => ({ from: c.from, weekly: c.weeklyPence.toString() })));
  });

  it('imports a DP that comes before its person in the file (written after all persons)', async () => {
    const council = 'CR9';
    const x = sampleExtract(council, 6);
    let text = (await toXml(x)).toString('utf8');
    const first = /\s*<Person id="P100000"[\s\S]*?<\/Person>/.exec(text)![0];
    text = text.replace(first, '').replace(/(\s*<Trailer )/, `${first}$1`);
    expect(text.indexOf('<Person id="P100000"')).toBeGreaterThan(text.indexOf('<DirectPayment id="DP500000"'));
    drop('cr9.xml', Buffer.from(text, 'utf8'));
    expect(await intake(council, { batchRows: 2 })).toMatchObject({ applied: 1, quarantined: 0 });
    expect(await careRowCounts(council)).toEqual({ care_extract: 1, person: 6, payee: 6, direct_payment: 6, care_version: 18 });
  });

  it('lets the run-time role refresh the care tables’ statistics (as a large import does at its end)', async () => {
    // Inside a transaction, as the import calls it: the statistics count that transaction's own rows.
    const tuples = await h.ds.transaction(async (m) => {
      await m.query(`INSERT INTO person (council, person_id, nhs_valid, restricted, version, extract_ref)
                     SELECT 'CRA', 'P' || g, true, false, 1, 1 FROM generate_series(1, 50) g`);
      const [before]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM person`);
      await m.query(`SELECT analyze_care_records()`);
      const [r]: { analysed: number; after: number }[] = await m.query(
        `SELECT (SELECT reltuples FROM pg_class WHERE oid = 'person'::regclass)::int AS analysed, (SELECT count(*) FROM person)::int AS after`,
      );
      throw Object.assign(new Error('roll back'), { r: { ...r, before: before.n } });
    }).catch((e: { r?: { analysed: number; before: number; after: number } }) => e.r);
    // Other test files may commit persons meanwhile: the figure lies between the two counts.
    expect(tuples!.analysed).toBeGreaterThanOrEqual(tuples!.before);
    expect(tuples!.analysed).toBeLessThanOrEqual(tuples!.after);
    const [fn] = await q<{ prosecdef: boolean }>(`SELECT prosecdef FROM pg_proc WHERE proname = 'analyze_care_records'`, []);
    expect(fn.prosecdef).toBe(true);
  });
});
