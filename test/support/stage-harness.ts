/**
 * Integration-test harness for the bank-in stage: a data source on the shared test database,
 * file:// inboxes in a temp folder, a council config built from the real settings schema, and
 * seeding of the credits a Bacs return matches. Each test file uses its own council codes.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { councilSettingsSchema } from '@dpb/payments';
import { loadEnv, type Env } from '@dpb/platform';
import { openDataSource } from '@dpb/persistence';
import type { CouncilConfig } from '@dpb/pipeline/councils';
import type { StageContext } from '@dpb/pipeline/stage';

export const stackConfigured = (process.env.DATABASE_URL ?? '') !== '';

export async function openTestDataSource(): Promise<DataSource> {
  return openDataSource(process.env.DATABASE_URL as string, { extra: { max: 4, application_name: 'dpbridge-test' } } as never);
}

export function testEnv(over: Record<string, string> = {}): Env {
  return loadEnv({ ...process.env, DPB_STABILITY_MS: '0', ...over });
}

export interface Inboxes {
  root: string;
  bank: string;
  card: string;
  cleanup(): void;
}

export function makeInboxes(): Inboxes {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dpb-bankin-'));
  const bank = path.join(root, 'bank');
  const card = path.join(root, 'card');
  fs.mkdirSync(bank);
  fs.mkdirSync(card);
  return { root, bank, card, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Writes a file and its `.done` marker (so it is complete at once). */
export function drop(dir: string, name: string, content: string | Buffer): void {
  fs.writeFileSync(path.join(dir, name), content);
  fs.writeFileSync(path.join(dir, `${name}.done`), '');
}

export function makeCouncil(code: string, endpoints: { bankInbox: string; cardInbox: string }, settings: Record<string, unknown> = {}): CouncilConfig {
  const parsed = councilSettingsSchema.parse({
    council: code,
    goLiveDate: '2026-04-06',
    finance: { postingFormat: 'SAP_CSV', sapCompanyCode: '1000' },
    ...settings,
  });
  return {
    code,
    name: code,
    endpoints: { careInbox: endpoints.bankInbox, financeOutbox: endpoints.bankInbox, cardOutbox: endpoints.cardInbox, ...endpoints },
    settings: parsed,
  };
}

export const silentLog = () => pino({ level: 'silent' });

export function stageContext(ds: DataSource, council: CouncilConfig, nightDate = '2026-11-20', env: Env = testEnv()): StageContext {
  return { council, nightDate, ds, env, log: silentLog() };
}

export const uniqueCode = (prefix: string) => `${prefix}${randomBytes(3).toString('hex').toUpperCase()}`.slice(0, 12);

/** Seeds one released credit (and the care rows it needs) for return matching. */
export async function seedCredit(
  ds: DataSource,
  a: { council: string; payeeId: string; paymentRef: string; endToEndId: string; amountPence: bigint },
): Promise<string> {
  const sha = randomBytes(32).toString('hex');
  const [file] = await ds.query(
    `INSERT INTO inbound_file (source, council, name, size, sha256, state, format) VALUES ('care', $1, 'seed.xml', 1, $2, 'APPLIED', 'mosaic-xml') RETURNING id`,
    [a.council, sha],
  );
  const [ext] = await ds.query(
    `INSERT INTO care_extract (council, extract_id, kind, generated_at, extract_date, inbound_file_id, persons, payees, direct_payments)
     VALUES ($1, $2, 'FULL', now(), '2026-11-01', $3, 0, 1, 0) RETURNING id`,
    [a.council, `X-${sha.slice(0, 8)}`, file.id],
  );
  await ds.query(
    `INSERT INTO payee (council, payee_id, account_type, sort_code, account_number, account_name, version, extract_ref)
     VALUES ($1, $2, 'BANK', '000000', '00000000', 'TEST PAYEE', 1, $3) ON CONFLICT DO NOTHING`,
    [a.council, a.payeeId, ext.id],
  );
  const runId = `${a.council}-${sha.slice(0, 6)}`;
  await ds.query(
    `INSERT INTO payment_run (run_id, council, run_date, sequence, state) VALUES ($1, $2, '2026-11-18', $3, 'DELIVERED')`,
    [runId, a.council, 1 + Number.parseInt(sha.slice(0, 6), 16)],
  );
  const [credit] = await ds.query(
    `INSERT INTO credit (council, run_id, payee_id, channel, vendor_no, sort_code, account_number, account_name, payment_ref, end_to_end_id, amount_pence)
     VALUES ($1, $2, $3, 'BANK', 'V1', '000000', '00000000', 'TEST PAYEE', $4, $5, $6) RETURNING id`,
    [a.council, runId, a.payeeId, a.paymentRef, a.endToEndId, a.amountPence.toString()],
  );
  return credit.id;
}
