/**
 * The one harness of the integration specs: a council of its own on the shared test database and
 * Redis of the test stack. Parallel test files never collide as long as each uses its own council
 * code (`uniqueCode`), and every file it writes carries that code.
 *
 * - `createHarness(code)`: a council as the apps see it, for a whole test file: a config folder
 *   with its settings file, file:// inboxes and outboxes in a temp folder, a BullMQ prefix of its
 *   own, the environment (also as strings, for child processes) and a data source.
 * - `useStageBench()`: for specs that call one stage directly: one data source for the file,
 *   fresh file:// bank and card inboxes for each test, and `newCouncil(prefix)` building a new
 *   council's config in memory.
 * Both build the council's settings from `councilYaml` (one set of test defaults) through the
 * real settings schema.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import pino, { type Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { councilSettingsSchema } from '@dpb/payments';
import { loadEnv, type Env } from '@dpb/platform';
import { openDataSource } from '@dpb/persistence';
import { loadCouncils, type CouncilConfig } from '@dpb/pipeline';
import type { StageContext } from '@dpb/pipeline/stage';
import type { OfficerCliDeps } from '../../apps/cli/src/officer-commands';

/** Whether the test stack is up (the global set-up exported its DATABASE_URL). */
export const stackConfigured = (process.env.DATABASE_URL ?? '') !== '';
/** `describe` when the test stack is up, else `describe.skip`. */
export const describeWithStack = stackConfigured ? describe : describe.skip;

/** A data source on the test database (the stack's DATABASE_URL unless told), `max` connections. */
export async function openTestDataSource(opts: { url?: string; max?: number } = {}): Promise<DataSource> {
  const url = opts.url ?? (process.env.DATABASE_URL as string);
  return openDataSource(url, { extra: { max: opts.max ?? 4, application_name: 'dpbridge-test' } } as never);
}

/** The environment of the test stack, intake without the stability wait. */
export function testEnv(over: Record<string, string> = {}): Env {
  return loadEnv({ ...process.env, DPB_STABILITY_MS: '0', ...over });
}

export const silentLog = (): Logger => pino({ level: 'silent' });

export const uniqueCode = (prefix: string) => `${prefix}${randomBytes(3).toString('hex').toUpperCase()}`.slice(0, 12);

/** Writes a file and its `.done` marker (so it is complete at once). */
export function drop(dir: string, name: string, content: string | Buffer): void {
  fs.writeFileSync(path.join(dir, name), content);
  fs.writeFileSync(path.join(dir, `${name}.done`), '');
}

export interface Harness {
  code: string;
  root: string;
  dirs: { care: string; bank: string; card: string; finance: string; cardout: string; config: string };
  env: Env;
  /** The same environment as strings, for child processes. */
  rawEnv: Record<string, string>;
  council: CouncilConfig;
  /** The council alone, as the apps' services take their councils. */
  councils: ReadonlyMap<string, CouncilConfig>;
  ds: DataSource;
  log: Logger;
  /** The context a stage gets for the council's night of `nightDate`. */
  context(nightDate: string): StageContext;
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

/** Writes `<configDir>/councils/<code>.yaml`: the test defaults with `settings` over them. */
export function writeCouncilFile(configDir: string, code: string, settings: Record<string, unknown> = {}): void {
  fs.mkdirSync(path.join(configDir, 'councils'), { recursive: true });
  fs.writeFileSync(path.join(configDir, 'councils', `${code}.yaml`), toYaml(councilYaml(code, settings)));
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
  writeCouncilFile(dirs.config, code, opts.settings);
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
  const ds = await openTestDataSource({ url: env.DATABASE_URL, max: 10 });
  const log = silentLog();
  return {
    code,
    root,
    dirs,
    env,
    rawEnv,
    council,
    councils: new Map([[code, council]]),
    ds,
    log,
    context: (nightDate) => ({ council, nightDate, ds, env, log }),
    async close() {
      await ds.destroy();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export function readableOf(buf: Buffer): Readable {
  return Readable.from([buf]);
}

/** The officer CLI for a spec: what the commands print lands in `out`. */
export interface SpecCli {
  out: string[];
  /** Parses `dpbridge <args>` with a new program (commands added by `register`); a refusal rejects. */
  run(...args: string[]): Promise<void>;
}

/** Commands wired to the harness's council and data source (left open), as `dpbridge` would open them. */
export function specCli(h: Harness, register: (program: Command, deps: OfficerCliDeps) => void, out: string[] = []): SpecCli {
  const deps: OfficerCliDeps = { open: async () => ({ ds: h.ds, env: h.env, councils: h.councils, close: async () => undefined }), print: (l) => out.push(l) };
  return {
    out,
    async run(...args) {
      const program = new Command('dpbridge').exitOverride();
      register(program, deps);
      await program.parseAsync(['node', 'dpbridge', ...args]);
    },
  };
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

/** A council's config built in memory from the test defaults (no settings file), for stage specs. */
export function makeCouncil(code: string, endpoints: { bankInbox: string; cardInbox: string }, settings: Record<string, unknown> = {}): CouncilConfig {
  const parsed = councilSettingsSchema.parse({ council: code, ...councilYaml(code, settings) });
  return {
    code,
    name: parsed.name ?? code,
    endpoints: { careInbox: endpoints.bankInbox, financeOutbox: endpoints.bankInbox, cardOutbox: endpoints.cardInbox, ...endpoints },
    settings: parsed,
  };
}

export function stageContext(ds: DataSource, council: CouncilConfig, nightDate = '2026-11-20', env: Env = testEnv()): StageContext {
  return { council, nightDate, ds, env, log: silentLog() };
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

/** What `useStageBench` gives a spec; its fields are set by the hooks it registers. */
export interface StageBench {
  ds: DataSource;
  boxes: Inboxes;
  /** The council of the current test (the last `newCouncil`). */
  council: CouncilConfig;
  /** A new council (code `prefix` + random) reading the current test's file:// inboxes. */
  newCouncil(prefix: string, settings?: Record<string, unknown>): CouncilConfig;
  /** The current council's stage context. */
  context(nightDate?: string, env?: Env): StageContext;
  q<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Registers the hooks of a stage spec (inside its `describe`): one data source for the file,
 * fresh file:// bank and card inboxes for each test.
 */
export function useStageBench(): StageBench {
  const bench = {
    newCouncil(prefix: string, settings: Record<string, unknown> = {}) {
      bench.council = makeCouncil(uniqueCode(prefix), { bankInbox: `file://${bench.boxes.bank}`, cardInbox: `file://${bench.boxes.card}` }, settings);
      return bench.council;
    },
    context: (nightDate?: string, env?: Env) => stageContext(bench.ds, bench.council, nightDate, env),
    q: <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => bench.ds.query(sql, params),
  } as StageBench;
  beforeAll(async () => {
    bench.ds = await openTestDataSource();
  });
  afterAll(async () => {
    await bench.ds?.destroy();
  });
  beforeEach(() => {
    bench.boxes = makeInboxes();
  });
  afterEach(() => bench.boxes.cleanup());
  return bench;
}
