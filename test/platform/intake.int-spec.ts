/**
 * Exactly-once intake against real PostgreSQL and a real inbox folder (file:// endpoint), through
 * the real Mosaic importer: duplicates have no effect (also with a new name), a growing file is
 * left alone, a bad file is quarantined with its report and leaves nothing in the database.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMosaicApplier } from '@dpb/care-records/import/applier';
import { FileLedger } from '@dpb/persistence';
import { intakeInbox } from '@dpb/pipeline';
import { openEndpoint } from '@dpb/transport';
import { createHarness, type Harness } from '../support/council-harness';
import { sampleExtractXml } from '../support/extracts';

const CODE = 'PI1';
let h: Harness;
let extract: Buffer;

async function intake(stabilityMs = 200) {
  const endpoint = await openEndpoint(h.env.DPB_CARE_INBOX, { stabilityMs });
  try {
    return await intakeInbox({ ds: h.ds, endpoint, applier: createMosaicApplier(), council: CODE, nightDate: '2026-11-23', log: h.log });
  } finally {
    await endpoint.close();
  }
}

async function count(sql: string, params: unknown[] = [CODE]): Promise<number> {
  const [r]: { n: number }[] = await h.ds.query(sql, params);
  return r.n;
}

beforeAll(async () => {
  h = await createHarness(CODE);
  extract = await sampleExtractXml(CODE, { dps: 30 });
});
afterAll(() => h.close());

describe('intake of care-record files', () => {
  it('applies a file once; the same bytes again (even under another name, after the job is gone) have no effect', async () => {
    fs.writeFileSync(path.join(h.dirs.care, 'extract-1.xml'), extract);
    const first = await intake();
    expect(first).toMatchObject({ applied: 1, duplicates: 0, quarantined: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM direct_payment WHERE council = $1`)).toBe(30);
    const versions = await count(`SELECT count(*)::int AS n FROM care_version WHERE council = $1`);

    fs.writeFileSync(path.join(h.dirs.care, 'extract-1.xml'), extract);
    fs.writeFileSync(path.join(h.dirs.care, 'extract-1-copy.xml'), extract);
    const again = await intake();
    expect(again).toMatchObject({ applied: 0, duplicates: 2, quarantined: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM care_extract WHERE council = $1`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM care_version WHERE council = $1`)).toBe(versions);
    expect(await count(`SELECT count(*)::int AS n FROM inbound_file WHERE council = $1 AND source = 'care'`)).toBe(1);
    // Duplicates are archived, not left to be picked up again.
    expect(fs.readdirSync(h.dirs.care).filter((f) => f.endsWith('.xml'))).toEqual([]);
    expect(fs.readdirSync(path.join(h.dirs.care, 'archive', '2026', '11', '23')).sort()).toEqual(
      expect.arrayContaining(['extract-1.xml', 'extract-1-copy.xml']),
    );
  });

  it('does not take a file that is still growing', async () => {
    const file = path.join(h.dirs.care, 'growing.xml');
    fs.writeFileSync(file, extract.subarray(0, 1000));
    let offset = 1000;
    const writer = setInterval(() => {
      const next = Math.min(offset + 500, extract.length - 10);
      fs.appendFileSync(file, extract.subarray(offset, next));
      offset = next;
    }, 40);
    try {
      const s = await intake(400);
      expect(s).toMatchObject({ applied: 0, incomplete: 1, quarantined: 0 });
    } finally {
      clearInterval(writer);
    }
    expect(fs.existsSync(file)).toBe(true);
    fs.rmSync(file);
  });

  it('quarantines a bad file with a report naming record, field and rule, and writes nothing from it', async () => {
    const code = 'PI1';
    // Break one DP's frequency and one payee's sort code shape: two problems, both reported.
    const text = extract
      .toString('utf8')
      .replace('extractId="', 'extractId="BAD-')
      .replace(/frequency="[A-Z_]+"/, 'frequency="DAILY"')
      .replace(/sortCode="\d{6}"/, 'sortCode="12-34-5"');
    const before = {
      extracts: await count(`SELECT count(*)::int AS n FROM care_extract WHERE council = $1`),
      versions: await count(`SELECT count(*)::int AS n FROM care_version WHERE council = $1`),
    };
    fs.writeFileSync(path.join(h.dirs.care, 'pi1-bad.xml'), text);
    const s = await intake();
    expect(s).toMatchObject({ applied: 0, quarantined: 1 });
    expect(await count(`SELECT count(*)::int AS n FROM care_extract WHERE council = $1`)).toBe(before.extracts);
    expect(await count(`SELECT count(*)::int AS n FROM care_version WHERE council = $1`)).toBe(before.versions);

    const report = JSON.parse(fs.readFileSync(path.join(h.dirs.care, 'quarantine', 'pi1-bad.xml.error.json'), 'utf8'));
    const problems = report.error.problems as { recordType: string; field: string; rule: string }[];
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordType: 'DirectPayment', field: 'frequency' }),
        expect.objectContaining({ recordType: 'Payee', field: 'sortCode' }),
      ]),
    );
    expect(JSON.stringify(report)).not.toContain('12-34-5');
    expect(JSON.stringify(report)).not.toContain('DAILY');
    const ledger = await new FileLedger().findQuarantinedByName(h.ds.manager, 'pi1-bad.xml');
    expect(ledger).toHaveLength(1);
    expect(ledger[0].council).toBe(code);

    // The same bytes dropped again stay quarantined until `dpbridge retry`.
    fs.writeFileSync(path.join(h.dirs.care, 'pi1-bad-again.xml'), text);
    const again = await intake();
    expect(again).toMatchObject({ applied: 0, quarantined: 1 });
    const second = JSON.parse(fs.readFileSync(path.join(h.dirs.care, 'quarantine', 'pi1-bad-again.xml.error.json'), 'utf8'));
    expect(second.error.problems[0].rule).toBe('PREVIOUSLY_QUARANTINED');

    // retry: the ledger lets the bytes through once more (they are still bad, so back they go).
    expect(await new FileLedger().markRetry(h.ds.manager, 'care', ledger[0].sha256)).toBe(true);
    const endpoint = await openEndpoint(h.env.DPB_CARE_INBOX, {});
    await endpoint.release('pi1-bad-again.xml');
    await endpoint.close();
    const retried = await intake();
    expect(retried).toMatchObject({ applied: 0, quarantined: 1 });
    const third = JSON.parse(fs.readFileSync(path.join(h.dirs.care, 'quarantine', 'pi1-bad-again.xml.error.json'), 'utf8'));
    expect(third.error.problems.map((p: { rule: string }) => p.rule)).not.toContain('PREVIOUSLY_QUARANTINED');
  });
});
