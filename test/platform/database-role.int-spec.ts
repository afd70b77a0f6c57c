/**
 * The run-time database role (DATABASE_URL) has data rights only: it imports a care extract and
 * creates a payment run, but cannot drop, alter, truncate or create tables, and cannot delete
 * the payment record (runs, credits) or the officers' audit trail. A refusal is logged with its
 * class and SQLSTATE only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { createMosaicApplier } from '@dpb/care-records/import/applier';
import { createPaymentRun } from '@dpb/payments';
import { listHeldLines, releaseLine } from '@dpb/payments/officer';
import { intakeInbox } from '@dpb/pipeline';
import { loggerOptions } from '@dpb/platform';
import { openEndpoint } from '@dpb/transport';
import { createHarness, type Harness } from '../support/council-harness';
import { sampleExtractXml } from '../support/extracts';

const CODE = 'DR1';
let h: Harness;

/** The SQLSTATE a statement fails with, run as the run-time role (undefined when it succeeds). */
async function refusal(sql: string): Promise<string | undefined> {
  try {
    await h.ds.query(sql);
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? 'no code';
  }
}

async function count(table: string): Promise<number> {
  const [r]: { n: number }[] = await h.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE council = $1`, [CODE]);
  return r.n;
}

beforeAll(async () => {
  h = await createHarness(CODE);
});
afterAll(() => h.close());

describe('the run-time database role', () => {
  it('is the configured login, neither superuser nor able to create databases or roles', async () => {
    const [me]: { usr: string; rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean }[] = await h.ds.query(
      `SELECT current_user AS usr, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user`,
    );
    expect(me.usr).toBe(decodeURIComponent(new URL(h.env.DATABASE_URL).username));
    expect(me.usr).not.toBe(decodeURIComponent(new URL(h.env.DATABASE_MIGRATION_URL!).username));
    expect(me).toMatchObject({ rolsuper: false, rolcreatedb: false, rolcreaterole: false });
  });

  it('does the normal work: imports a care extract and creates a payment run', async () => {
    fs.writeFileSync(path.join(h.dirs.care, 'extract.xml'), await sampleExtractXml(CODE, { dps: 20 }));
    const endpoint = await openEndpoint(h.env.DPB_CARE_INBOX, { stabilityMs: 200 });
    try {
      const intake = await intakeInbox({ ds: h.ds, endpoint, applier: createMosaicApplier(), council: CODE, nightDate: '2026-11-23', log: h.log });
      expect(intake).toMatchObject({ applied: 1, quarantined: 0 });
    } finally {
      await endpoint.close();
    }
    const run = await createPaymentRun(h.ds, { council: CODE, runDate: '2026-11-23', settings: h.council.settings, filesOffThread: false });
    expect(run.created).toBe(true);
    expect(run.lines).toBeGreaterThan(20);
    expect(await count('payment_run')).toBe(1);
    expect(await count('credit')).toBeGreaterThan(0);
    const [held] = await listHeldLines(h.ds, CODE);
    expect(await releaseLine(h.ds, held.id, 'Officer One')).toMatchObject({ outcome: 'RELEASED' });
    expect(await count('officer_action')).toBe(1);
  });

  it.each([
    ['DROP TABLE payment_run', '42501'],
    ['DROP TABLE credit', '42501'],
    ['DROP TABLE payment_line', '42501'],
    ['ALTER TABLE payment_line ADD COLUMN note text', '42501'],
    ['ALTER TABLE payment_run DISABLE TRIGGER payment_run_permanent', '42501'],
    ['TRUNCATE payment_run', '42501'],
    ['TRUNCATE credit', '42501'],
    ['TRUNCATE payment_line', '42501'],
    ['CREATE TABLE public.dpb_probe (id int)', '42501'],
    ['CREATE TABLE dpb_probe (id int)', '42501'],
    ['CREATE SCHEMA dpb_probe', '42501'],
  ])('cannot %s (SQLSTATE %s: insufficient privilege)', async (sql, code) => {
    expect(await refusal(sql)).toBe(code);
  });

  it('cannot delete payment runs or credits, or change their keys (23001 restrict_violation), and they stay', async () => {
    const before = { runs: await count('payment_run'), credits: await count('credit') };
    expect(before.runs).toBe(1);
    expect(await refusal(`DELETE FROM payment_run WHERE council = '${CODE}'`)).toBe('23001');
    expect(await refusal(`DELETE FROM credit WHERE council = '${CODE}'`)).toBe('23001');
    expect(await refusal(`UPDATE payment_run SET run_id = run_id || 'x' WHERE council = '${CODE}'`)).toBe('23001');
    expect({ runs: await count('payment_run'), credits: await count('credit') }).toEqual(before);
  });

  it('cannot edit, delete or truncate the officers\' audit trail (23001), which keeps its row', async () => {
    expect(await refusal(`UPDATE officer_action SET officer = 'Someone Else' WHERE council = '${CODE}'`)).toBe('23001');
    expect(await refusal(`DELETE FROM officer_action WHERE council = '${CODE}'`)).toBe('23001');
    expect(await refusal(`TRUNCATE officer_action`)).toBe('42501');
    const [row]: { officer: string }[] = await h.ds.query(`SELECT officer FROM officer_action WHERE council = $1`, [CODE]);
    expect(row.officer).toBe('Officer One');
  });

  it('logs a refusal with its class and SQLSTATE, not the server message', async () => {
    const lines: string[] = [];
    const log = pino(loggerOptions({ pretty: false }), { write: (s: string) => void lines.push(s) });
    try {
      await h.ds.query(`DROP TABLE payment_run`);
    } catch (e) {
      log.error({ err: e }, 'statement refused');
    }
    expect((JSON.parse(lines[0]) as { err: unknown }).err).toEqual({ type: 'QueryFailedError', code: '42501' });
    expect(lines[0]).not.toContain('must be owner');
  });
});
