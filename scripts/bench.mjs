#!/usr/bin/env node
// `npm run bench`: speed and memory figures on this machine, printed and written to
// bench/results.json. Each benchmark runs in its own process against a fresh database on the
// local stack (.stack/bench). Targets (issues): 200k DPs imported < 60 s with peak RSS < 512 MB;
// a payment run for 200k DPs < 30 s; 1,000,000 card transactions imported < 60 s; an audit of
// 10,000 card accounts with 1,000,000 transactions < 60 s; the reconcile stage's payment
// confirmation answering a 200k-DP run < 60 s.
// Options: --quick (small sizes only, for a smoke run), --only NAME[,NAME], --no-build.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const want = (n) => !only || only.includes(n);
const say = (s) => process.stdout.write(`${s}\n`);

if (!existsSync(join(ROOT, 'node_modules', '.package-lock.json'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
}
if (!args.includes('--no-build')) {
  say('bench: building');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

const { startStack, stopStack, grantSql, withDatabase } = await import('./stack-lib.mjs');
const DIR = join(ROOT, '.stack', 'bench');
const stack = await startStack({ dir: DIR, log: (s) => say(`bench: ${s}`) });
const pg = (await import('pg')).default;
const owner = stack.env.DATABASE_MIGRATION_URL ?? stack.env.DATABASE_URL;
const work = join(DIR, 'work');
mkdirSync(work, { recursive: true });

async function freshDatabase(name) {
  const admin = new pg.Client({ connectionString: withDatabase(owner, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const c = new pg.Client({ connectionString: withDatabase(owner, name) });
  await c.connect();
  for (const sql of grantSql(name)) await c.query(sql);
  await c.end();
  execFileSync(process.execPath, [join(ROOT, 'bin', 'dpbridge.js'), 'migrate'], {
    cwd: ROOT,
    env: { ...process.env, ...stack.env, DATABASE_URL: withDatabase(owner, name), DATABASE_MIGRATION_URL: withDatabase(owner, name), DPB_CONFIG_DIR: join(ROOT, 'config') },
    stdio: 'ignore',
  });
  return { app: withDatabase(stack.env.DATABASE_URL, name), owner: withDatabase(owner, name) };
}

// Node flags as the production image runs the worker (docker/Dockerfile NODE_OPTIONS), plus a
// heap limit so that a regression shows as a failure rather than swapping.
function runBench(name, opts) {
  const t = Date.now();
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${join(DIR, 'prof')}`] : [];
  const r = spawnSync(process.execPath, [...prof, '--max-old-space-size=2048', '--max-semi-space-size=32', join(ROOT, 'dist', 'bench', 'run.js'), name, JSON.stringify(opts)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    say(`bench: ${name} FAILED:\n${r.stderr}`);
    return { bench: name, failed: true, error: r.stderr.split('\n')[0] };
  }
  const line = r.stdout.trim().split('\n').pop();
  return { ...JSON.parse(line), wallSeconds: (Date.now() - t) / 1000 };
}

function generate(council, dps) {
  const out = join(work, `${council}-${dps}.xml`);
  if (!existsSync(out)) {
    say(`bench: generating a ${dps}-DP extract`);
    const tmp = `${out}.part`;
    execFileSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'generate-sample.js'), '--dps', String(dps), '--seed', 'bench', '--format', 'xml', '--out', tmp, '--date', '2026-11-23'], { stdio: 'inherit' });
    renameSync(tmp, out);
  }
  return out;
}

const results = {
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version },
  quick,
  benchmarks: [],
};
try {
  if (want('care-import')) {
    const db = await freshDatabase('dpb_bench_care');
    results.benchmarks.push(runBench('care-import', { databaseUrl: db.app, migrationUrl: db.owner, workDir: work, sizes: quick ? [2000] : [10000, 200000] }));
  }
  if (want('payments')) {
    const dps = quick ? 5000 : 200000;
    const file = generate('HCC', dps);
    const db = await freshDatabase('dpb_bench_pay');
    results.benchmarks.push(runBench('payments', { databaseUrl: db.app, migrationUrl: db.owner, council: 'HCC', extractFile: file, runDate: '2026-11-23' }));
  }
  if (want('parsers')) {
    results.benchmarks.push(runBench('parsers', { megabytes: quick ? 5 : 50 }));
  }
  if (want('finance-files')) {
    results.benchmarks.push(runBench('finance-files', { credits: quick ? 20000 : 200000 }));
  }
  if (want('statements')) {
    const db = await freshDatabase('dpb_bench_stmt');
    results.benchmarks.push(runBench('statements', { databaseUrl: db.app, dir: work, quick }));
  }
  if (want('audit')) {
    const db = await freshDatabase('dpb_bench_audit');
    results.benchmarks.push(runBench('audit', { databaseUrl: db.app, accounts: quick ? 1000 : 10000, txns: quick ? 100000 : 1000000 }));
  }
  if (want('reconcile')) {
    const db = await freshDatabase('dpb_bench_rec');
    results.benchmarks.push(runBench('reconcile', { databaseUrl: db.app, dps: quick ? 20000 : 200000 }));
  }
} finally {
  await stopStack({ dir: DIR, log: () => undefined });
}
mkdirSync(join(ROOT, 'bench'), { recursive: true });
const resultsFile = join(ROOT, 'bench', 'results.json');
if (only && existsSync(resultsFile)) {
  // --only: keep the other benchmarks' latest figures.
  const previous = JSON.parse(readFileSync(resultsFile, 'utf8'));
  results.benchmarks = [...(previous.benchmarks ?? []).filter((b) => !only.includes(b.bench)), ...results.benchmarks];
}
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
say('');
say(JSON.stringify(results, null, 2));
say('bench: written to bench/results.json');
