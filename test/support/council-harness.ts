/**
 * A council of its own for one integration test file: file:// inboxes and outboxes in a temp
 * folder, a config folder with the council's settings, a BullMQ prefix of its own, and the
 * shared test database and Redis (from the test stack). Parallel test files never collide as
 * long as each uses its own council code.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { stringify as toYaml } from 'yaml';
import pino, { type Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { loadEnv, type Env } from '@dpb/platform';
import { openDataSource } from '@dpb/persistence';
import { loadCouncils, type CouncilConfig } from '@dpb/pipeline';
import { sampleContent, writeExtractXml } from '@dpb/care-records';

export interface Harness {
  code: string;
  root: string;
  dirs: { care: string; bank: string; card: string; finance: string; cardout: string; config: string };
  env: Env;
  /** The same environment as strings, for child processes. */
  rawEnv: Record<string, string>;
  council: CouncilConfig;
  ds: DataSource;
  log: Logger;
  close(): Promise<void>;
}

export function councilYaml(code: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `Test council ${code}`,
    goLiveDate: '2026-11-02',
    finance: {
      postingFormat: 'SAP_IDOC',
      paymentFormat: 'BACS_STD18',
      sapCompanyCode: 'TC01',
      bacsServiceUserNumber: '123456',
      originatorName: 'TEST COUNCIL',
      originatingSortCode: '089999',
      originatingAccountNumber: '66374958',
      originatingAccountName: 'TEST COUNCIL DP',
      cardProviders: {
        ALLPAY: { vendorNo: '4999001', sortCode: '089999', accountNumber: '66374958', accountName: 'ALLPAY FUNDING' },
        PFS: { vendorNo: '4999002', sortCode: '089999', accountNumber: '66374958', accountName: 'PFS FUNDING' },
      },
    },
    ...extra,
  };
}

export async function createHarness(code: string, opts: { settings?: Record<string, unknown>; env?: Record<string, string> } = {}): Promise<Harness> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `dpb-${code.toLowerCase()}-`));
  const dirs = {
    care: path.join(root, 'care'),
    bank: path.join(root, 'bank'),
    card: path.join(root, 'card'),
    finance: path.join(root, 'finance'),
    cardout: path.join(root, 'cardout'),
    config: path.join(root, 'config'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.config, 'councils'));
  fs.writeFileSync(path.join(dirs.config, 'councils', `${code}.yaml`), toYaml(councilYaml(code, opts.settings)));
  const rawEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'test',
    DPB_CONFIG_DIR: dirs.config,
    DPB_CARE_INBOX: `file://${dirs.care}`,
    DPB_BANK_INBOX: `file://${dirs.bank}`,
    DPB_CARD_INBOX: `file://${dirs.card}`,
    DPB_FINANCE_OUTBOX: `file://${dirs.finance}`,
    DPB_CARD_OUTBOX: `file://${dirs.cardout}`,
    DPB_QUEUE_PREFIX: `t-${code.toLowerCase()}-${process.pid}`,
    DPB_STABILITY_MS: '200',
    DPB_OPS_PASSWORD: 'test-password-123',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const env = loadEnv(rawEnv);
  const council = loadCouncils(env).get(code)!;
  const ds = await openDataSource(env.DATABASE_URL);
  return {
    code,
    root,
    dirs,
    env,
    rawEnv,
    council,
    ds,
    log: pino({ level: 'silent' }),
    async close() {
      await ds.destroy();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A deterministic sample extract for the council (the demo generator), as XML bytes. */
export async function sampleExtractXml(code: string, opts: { dps?: number; seed?: string; date?: string } = {}): Promise<Buffer> {
  const content = sampleContent({ council: code, dps: opts.dps ?? 40, seed: opts.seed ?? code, date: opts.date ?? '2026-11-23' });
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  await writeExtractXml(content, sink);
  return Buffer.concat(chunks);
}

export function readableOf(buf: Buffer): Readable {
  return Readable.from([buf]);
}

/** Everything a pino logger wrote, for scanning. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace' },
    { write: (s: string) => void lines.push(s) },
  );
  return { logger, lines };
}
