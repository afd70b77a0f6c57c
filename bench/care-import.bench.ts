/**
 * Care-record import benchmark: for each size, a deterministic sample XML extract (generated in a
 * child process, so this process's peak RSS is the import's own) is imported through the real
 * Mosaic applier (read + validate + COPY + merge + commit) into a fresh database created for the
 * size and dropped afterwards. A second extract with the same records (new extract id) is then
 * imported to time the "nothing changed" path.
 *
 * Target (issue 3): 200,000 DPs in under 60 s with peak RSS under 512 MB on the 2-core machine.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { Client } from 'pg';
import { openDataSource, runMigrations } from '@dpb/persistence';
import { createMosaicApplier } from '@dpb/care-records/import/applier';

export interface CareImportBenchOptions {
  /** Run-time role URL (any database on the server: the bench makes its own). */
  databaseUrl: string;
  /** Owner role URL (needs CREATEDB). */
  migrationUrl: string;
  /** Where generated extracts are kept (reused by later runs). */
  workDir: string;
  sizes: number[];
}

const COUNCIL = 'HCC'; // the sample generator's default council
const DATE = '2026-11-23';

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const userOf = (url: string): string => decodeURIComponent(new URL(url).username);
function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
const rssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

async function sql(url: string, statements: string[]): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

/**
 * DROP ... WITH (FORCE) cannot end another role's session (say an autovacuum worker that just
 * started on the database after a big import): retry for up to a minute.
 */
async function dropDatabase(adminUrl: string, db: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sql(adminUrl, [`DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`]);
      return;
    } catch (e) {
      if (attempt >= 60) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** The generator runs in a child process: from dist (compiled JS) or from source (ts hook). */
function generate(workDir: string, dps: number): string {
  const out = path.join(workDir, `care-import-${dps}.xml`);
  if (fs.existsSync(out)) return out;
  const fromSource = __filename.endsWith('.ts');
  const root = path.resolve(__dirname, '..');
  const script = fromSource ? path.join(root, 'scripts', 'generate-sample.ts') : path.join(root, 'scripts', 'generate-sample.js');
  const hook = fromSource ? ['-r', path.join(root, 'scripts', 'ts-register.js')] : [];
  const tmp = `${out}.part`;
  execFileSync(process.execPath, [...hook, script, '--dps', String(dps), '--seed', 'bench', '--format', 'xml', '--out', tmp, '--date', DATE], {
    stdio: 'inherit',
  });
  fs.renameSync(tmp, out);
  return out;
}

/** The same bytes with another extract id and a later generatedAt: the "unchanged" re-import. */
function relabelled(file: string): Readable {
  let done = false;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (done) return cb(null, chunk);
      done = true;
      const s = chunk.toString('latin1').replace(/extractId="([^"]+)"/, 'extractId="$1-R"').replace(/generatedAt="[^"]+"/, `generatedAt="${DATE}T02:00:00Z"`);
      cb(null, Buffer.from(s, 'latin1'));
    },
  });
  return fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(t);
}

async function importOnce(
  appUrl: string,
  file: string,
  name: string,
  open: () => Readable,
): Promise<{ seconds: number; counts: unknown; phasesMs: Record<string, number> }> {
  let phasesMs: Record<string, number> = {};
  const ds = await openDataSource(appUrl, { extra: { max: 2 } });
  try {
    const t0 = process.hrtime.bigint();
    const result = await ds.transaction(async (m) => {
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO inbound_file (source, council, name, size, sha256, state) VALUES ('care', $1, $2, $3, $4, 'APPLIED') RETURNING id`,
        [COUNCIL, name, fs.statSync(file).size, createHash('sha256').update(name).digest('hex')],
      );
      return createMosaicApplier(undefined, { onTimings: (t) => (phasesMs = t) }).apply(m, { name, sha256: '', size: 0, ledgerId: id, council: COUNCIL, open: async () => open() });
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { seconds, counts: result.counts, phasesMs };
  } finally {
    await ds.destroy();
  }
}

export async function benchCareImport(opts: CareImportBenchOptions): Promise<Record<string, unknown>> {
  fs.mkdirSync(opts.workDir, { recursive: true });
  const files = new Map(opts.sizes.map((n) => [n, generate(opts.workDir, n)]));
  const owner = userOf(opts.migrationUrl);
  const app = userOf(opts.databaseUrl);
  const runs: Record<string, unknown>[] = [];
  for (const dps of opts.sizes) {
    const db = `dpb_bench_care_import_${dps}`;
    const adminUrl = withDatabase(opts.migrationUrl, 'postgres');
    await dropDatabase(adminUrl, db);
    await sql(adminUrl, [`CREATE DATABASE ${quoteIdent(db)}`]);
    try {
      const ownerUrl = withDatabase(opts.migrationUrl, db);
      if (owner !== app) {
        await sql(ownerUrl, [
          `REVOKE CREATE, TEMPORARY ON DATABASE ${quoteIdent(db)} FROM PUBLIC`,
          `GRANT CONNECT, TEMPORARY ON DATABASE ${quoteIdent(db)} TO ${quoteIdent(app)}`,
          `GRANT USAGE ON SCHEMA public TO ${quoteIdent(app)}`,
          `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(owner)} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${quoteIdent(app)}`,
          `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(owner)} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${quoteIdent(app)}`,
        ]);
      }
      await runMigrations(ownerUrl);
      const appUrl = withDatabase(opts.databaseUrl, db);
      const file = files.get(dps)!;
      const first = await importOnce(appUrl, file, path.basename(file), () => fs.createReadStream(file, { highWaterMark: 1 << 20 }));
      const again = await importOnce(appUrl, file, `${path.basename(file)}-relabelled`, () => relabelled(file));
      runs.push({
        dps,
        fileMb: Math.round(fs.statSync(file).size / 1e5) / 10,
        importSeconds: Math.round(first.seconds * 100) / 100,
        dpsPerSecond: Math.round(dps / first.seconds),
        unchangedReimportSeconds: Math.round(again.seconds * 100) / 100,
        unchangedDpsPerSecond: Math.round(dps / again.seconds),
        phasesMs: first.phasesMs,
        unchangedPhasesMs: again.phasesMs,
        counts: first.counts,
        reimportCounts: again.counts,
        peakRssMbSoFar: rssMb(),
      });
    } finally {
      await dropDatabase(adminUrl, db).catch((e: unknown) => process.stderr.write(`care-import bench: could not drop ${db}: ${String(e)}\n`));
    }
  }
  const big = runs[runs.length - 1] as { dps: number; importSeconds: number } | undefined;
  return {
    runs,
    peakRssMb: rssMb(),
    target: '200,000 DPs < 60 s, peak RSS < 512 MB',
    meetsTarget: big ? big.dps < 200000 || (big.importSeconds < 60 && rssMb() < 512) : null,
  };
}

if (require.main === module) {
  // Development: node -r ./scripts/ts-register.js bench/care-import.bench.ts '{"databaseUrl":...}'
  benchCareImport(JSON.parse(process.argv[2] ?? '{}') as CareImportBenchOptions).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
