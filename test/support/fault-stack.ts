/**
 * A private stack for fault trials (.stack/faults): its own PostgreSQL, Redis (AOF) and sshd, so
 * restarting them never disturbs the other test files. The SFTP server is reached through a TCP
 * proxy of this process that can refuse connections and drop every open one mid-transfer.
 * Councils have their own SFTP folders; a night is run by worker processes and the real CLI
 * (`dpbridge nightly --wait`), and its outcome is fingerprinted: the bytes of every file
 * delivered, and the content of the tables that must never lose or double a row.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';
import { connectRedis } from '@dpb/platform';
import { runMigrations } from '@dpb/persistence';
import { writeCouncilFile } from './council-harness';
import { recreateDatabase } from './test-database';
import type { StackEnv, StartResult } from './stack-lib';
import { REPO_ROOT } from './stack-paths';

/** The ops app's basic-auth password in fault trials (a test value). */
export const OPS_TEST_PASSWORD = 'a-long-test-password';
export const FAULT_STACK_DIR = path.join(REPO_ROOT, '.stack', 'faults');
const DB = 'dpbridge';
const FOLDERS = ['care', 'bank', 'card', 'finance', 'cardout'] as const;
const CLI = path.join(REPO_ROOT, 'test', 'support', 'fault-stack-cli.mjs');

async function stackCli(...args: string[]): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 20 });
  if (stderr) process.stderr.write(stderr);
  return stdout;
}

/** Deterministic pseudo-random numbers in [0, 1) from a seed (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A TCP proxy in front of sshd: `outage(ms)` drops every open connection and refuses new ones. */
export class SftpProxy {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: number) {}

  async listen(port = 0): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect({ host: '127.0.0.1', port: this.target });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen({ host: '127.0.0.1', port }, () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** The server goes away (open transfers cut, connections refused) and comes back after `ms`. */
  async outage(ms: number): Promise<number> {
    const dropped = this.sockets.size;
    await this.close();
    await new Promise((r) => setTimeout(r, ms));
    await this.listen(this.port);
    return dropped;
  }
}

export interface NightFiles {
  extract: Buffer;
  bank: { name: string; bytes: string };
  card: { name: string; bytes: string };
}

export interface Outcome {
  /** sha256 of every delivered file, by council/folder/name. */
  files: Record<string, string>;
  /** count and content hash of every table that must not lose or double a row. */
  tables: Record<string, { rows: number; md5: string }>;
  nights: { council: string; state: string; report: Record<string, unknown> | null }[];
}

const FINGERPRINT_SQL: Record<string, string> = {
  payment_line: `SELECT council, run_id, dp_id, kind, period_start, payable_pence, state, credit_id IS NULL AS unpaid FROM payment_line`,
  credit: `SELECT council, run_id, payee_id, payment_ref, end_to_end_id, amount_pence FROM credit`,
  payment_run: `SELECT run_id, state, md5(manifest_bytes) FROM payment_run`,
  card_txn: `SELECT council, provider, txn_id, status, amount_minor FROM card_txn`,
  card_txn_event: `SELECT council, provider, txn_id, row_no, status, amount_minor FROM card_txn_event`,
  care_version: `SELECT council, kind, record_id, version FROM care_version`,
  bank_entry: `SELECT council, line_no, amount_minor, end_to_end_id FROM bank_entry`,
  inbound_file: `SELECT source, council, name, sha256, state FROM inbound_file`,
};

export class FaultStack {
  env!: StackEnv;
  private grants: string[] = [];
  proxy!: SftpProxy;
  pgPort = 0;
  configDir = path.join(FAULT_STACK_DIR, 'config');
  workers: { child: ChildProcess; out: () => string; exited: Promise<unknown> }[] = [];

  constructor(readonly councils: string[], readonly log: (line: string) => void = () => undefined) {}

  get sftpRoot(): string {
    return this.env.DPB_SFTP_ROOT;
  }

  async start(): Promise<void> {
    const res = JSON.parse(await stackCli('start', FAULT_STACK_DIR)) as Pick<StartResult, 'env' | 'state'> & { grants: string[] };
    this.env = res.env;
    this.grants = res.grants;
    this.pgPort = res.state.postgres!.port;
    this.proxy = new SftpProxy(res.state.sshd!.port);
    await this.proxy.listen();
    fs.rmSync(this.configDir, { recursive: true, force: true });
    for (const code of this.councils) {
      const endpoints = Object.fromEntries(
        (['careInbox', 'bankInbox', 'cardInbox', 'financeOutbox', 'cardOutbox'] as const).map((k, i) => [k, this.sftpUrl(code, FOLDERS[i])]),
      );
      writeCouncilFile(this.configDir, code, { endpoints });
    }
  }

  async stop(): Promise<void> {
    await this.stopWorkers();
    await this.proxy?.close();
    await stackCli('stop', FAULT_STACK_DIR);
  }

  private sftpUrl(code: string, folder: string): string {
    const user = encodeURIComponent(this.env.DPB_SFTP_USER);
    return `sftp://${user}@127.0.0.1:${this.proxy.port}${path.posix.join(this.sftpRoot, code, folder)}`;
  }

  /** Environment of the fleet's processes: this stack, SFTP through the proxy, quick recovery. */
  processEnv(extra: Record<string, string> = {}): Record<string, string> {
    const fingerprint = this.env.DPB_SFTP_KNOWN_HOSTS.split(/\s+/)[1];
    return {
      ...(process.env as Record<string, string>),
      ...this.env,
      NODE_ENV: 'test',
      DPB_CONFIG_DIR: this.configDir,
      DPB_SFTP_KNOWN_HOSTS: `127.0.0.1:${this.proxy.port} ${fingerprint}`,
      DPB_QUEUE_PREFIX: 'faults',
      DPB_STABILITY_MS: '200',
      DPB_STALLED_INTERVAL_MS: '5000',
      DPB_RECOVERY_INTERVAL_MS: '2000',
      DPB_RECOVERY_GRACE_MS: '5000',
      DPB_WORKER_CONCURRENCY: '2',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      ...extra,
    };
  }

  /** A fresh database (migrated), an empty Redis and empty SFTP folders holding the night's inputs. */
  async reset(inputs: Map<string, NightFiles>): Promise<void> {
    await this.stopWorkers();
    await recreateDatabase({
      adminUrl: `postgres://postgres@127.0.0.1:${this.pgPort}/postgres`,
      ownerUrl: this.env.DATABASE_MIGRATION_URL,
      appUrl: this.env.DATABASE_URL,
      dbName: DB,
      grantSql: () => this.grants,
    });
    await runMigrations(this.env.DATABASE_MIGRATION_URL);
    const redis = connectRedis(this.env.REDIS_URL);
    try {
      await redis.flushall();
    } finally {
      redis.disconnect();
    }
    for (const code of this.councils) {
      for (const f of FOLDERS) {
        const dir = path.join(this.sftpRoot, code, f);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
      }
      const files = inputs.get(code)!;
      fs.writeFileSync(path.join(this.sftpRoot, code, 'care', `${code}-extract.xml`), files.extract);
      fs.writeFileSync(path.join(this.sftpRoot, code, 'bank', files.bank.name), files.bank.bytes);
      fs.writeFileSync(path.join(this.sftpRoot, code, 'card', files.card.name), files.card.bytes);
    }
  }

  startWorker(extra: Record<string, string> = {}, entry = 'worker-process.ts'): { child: ChildProcess; out: () => string; exited: Promise<unknown> } {
    let out = '';
    const child = spawn(process.execPath, ['-r', path.join(REPO_ROOT, 'scripts', 'ts-register.js'), path.join(REPO_ROOT, 'test', 'support', entry)], {
      cwd: REPO_ROOT,
      env: this.processEnv(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      fs.appendFileSync(path.join(FAULT_STACK_DIR, 'workers.log'), `--- worker ${child.pid} exit ${code ?? signal}\n${out}`);
      resolve(code);
    }));
    const w = { child, out: () => out, exited };
    this.workers.push(w);
    return w;
  }

  /**
   * The ops app (health, status API, Bull Board) as its own process on a free port, with basic
   * auth `ops` / OPS_TEST_PASSWORD; stopped with the workers.
   */
  async startOps(): Promise<{ child: ChildProcess; out: () => string; exited: Promise<unknown>; base: string }> {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
      probe.on('error', reject);
    });
    const w = this.startWorker({ DPB_OPS_PORT: String(port), DPB_OPS_USER: 'ops', DPB_OPS_PASSWORD: OPS_TEST_PASSWORD }, 'ops-process.ts');
    return { ...w, base: `http://127.0.0.1:${port}` };
  }

  async killWorker(w: { child: ChildProcess; exited: Promise<unknown> }): Promise<void> {
    w.child.kill('SIGKILL');
    await w.exited;
    this.workers = this.workers.filter((x) => x !== w);
  }

  async stopWorkers(): Promise<void> {
    await Promise.all(this.workers.map(async (w) => {
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      await w.exited;
    }));
    this.workers = [];
  }

  /** `dpbridge nightly --date D --wait` (every council), as IT support would run it. */
  nightly(nightDate: string, timeoutS = 600): { done: Promise<{ code: number | null; out: string; at: number }> } {
    let out = '';
    const child = spawn(process.execPath, ['-r', path.join(REPO_ROOT, 'scripts', 'ts-register.js'), path.join(REPO_ROOT, 'apps', 'cli', 'src', 'main.ts'),
      'nightly', '--date', nightDate, '--wait', '--timeout', String(timeoutS)], {
      cwd: REPO_ROOT,
      env: this.processEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    return { done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, at: Date.now() }))) };
  }

  async restart(service: 'postgres' | 'redis', downMs: number): Promise<void> {
    await stackCli('restart', FAULT_STACK_DIR, service, String(downMs));
  }

  /** What the night left behind: file bytes, table contents, night states and reports. */
  async outcome(nightDate: string): Promise<Outcome> {
    const files: Record<string, string> = {};
    for (const code of this.councils) {
      for (const f of ['finance', 'cardout']) {
        const dir = path.join(this.sftpRoot, code, f);
        for (const name of fs.readdirSync(dir).sort()) {
          files[`${code}/${f}/${name}`] = createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex');
        }
      }
    }
    const db = new Client({ connectionString: this.env.DATABASE_URL });
    await db.connect();
    try {
      const tables: Outcome['tables'] = {};
      for (const [t, sql] of Object.entries(FINGERPRINT_SQL)) {
        const { rows } = await db.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS h FROM (${sql}) x`);
        tables[t] = { rows: rows[0].n, md5: rows[0].h };
      }
      const { rows } = await db.query(
        `SELECT n.council, n.state, s.summary FROM night n LEFT JOIN night_stage s ON s.council = n.council AND s.night_date = n.night_date AND s.stage = 'report'
          WHERE n.night_date = $1 ORDER BY n.council`,
        [nightDate],
      );
      return { files, tables, nights: rows.map((r) => ({ council: r.council, state: r.state, report: r.summary?.counts ?? null })) };
    } finally {
      await db.end();
    }
  }

  /** The night's state in the database (null while the database is unreachable). */
  async nightStates(nightDate: string): Promise<string[] | null> {
    const db = new Client({ connectionString: this.env.DATABASE_URL, connectionTimeoutMillis: 2000 });
    try {
      await db.connect();
      const { rows } = await db.query(`SELECT state FROM night WHERE night_date = $1`, [nightDate]);
      return rows.map((r) => r.state as string);
    } catch {
      return null;
    } finally {
      await db.end().catch(() => undefined);
    }
  }

  /** Stage rows RUNNING now (to aim a fault at a stage in progress). */
  async runningStages(nightDate: string): Promise<string[]> {
    const db = new Client({ connectionString: this.env.DATABASE_URL, connectionTimeoutMillis: 2000 });
    try {
      await db.connect();
      const { rows } = await db.query(`SELECT council || '/' || stage AS s FROM night_stage WHERE night_date = $1 AND state = 'RUNNING'`, [nightDate]);
      return rows.map((r) => r.s as string);
    } catch {
      return [];
    } finally {
      await db.end().catch(() => undefined);
    }
  }
}
