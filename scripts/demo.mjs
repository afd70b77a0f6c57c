#!/usr/bin/env node
// `npm run demo`: one night of dpbridge on bundled sample data, on an embedded local stack.
//   1. installs what it needs (npm ci when node_modules is missing, a build when dist is stale,
//      Debian's redis-server / openssh-server when missing and running as root);
//   2. starts PostgreSQL, Redis and OpenSSH's SFTP server on free loopback ports (.stack/demo);
//   3. recreates the demo database, migrates it, and drops a generated care-record extract for the
//      sample council HCC (300 DPs, seed "demo") into the SFTP care inbox;
//   4. starts a worker, runs `dpbridge nightly --date 2026-11-23 --wait`, prints the night's
//      summary;
//   5. writes what the bank and the card provider send back for that night's run (a camt.053
//      statement with the run's debit and a return, an ARUCS return "beneficiary deceased", card
//      files with every load but one, and a load nobody sent) into the bank and card inboxes, runs
//      the next night (2026-11-24) whose reconcile stage confirms the payments and opens officer
//      cases, prints the cases and where the files went, then stops the worker and the stack.
// Options: --keep (leave the stack and a worker running), --dps N.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(ROOT, '.stack', 'demo');
const NIGHT = '2026-11-23';
const NEXT_NIGHT = '2026-11-24';
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const dps = args.includes('--dps') ? args[args.indexOf('--dps') + 1] : '300';

const say = (s) => process.stdout.write(`${s}\n`);
const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { cwd: ROOT, stdio: 'inherit', ...opts });

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

// 1. Install and build.
if (!existsSync(join(ROOT, 'node_modules', '.package-lock.json'))) {
  say('demo: installing dependencies (npm ci)');
  // npm 11.19 may refuse its own lock in `npm ci` (other platforms' optional packages): fall back.
  try {
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } catch {
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
}
const built = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const sources = Math.max(newestMtime(join(ROOT, 'apps')), newestMtime(join(ROOT, 'libs')), newestMtime(join(ROOT, 'scripts')));
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  say('demo: building (npm run build)');
  run('npm', ['run', 'build', '--silent']);
}

// 2. The local stack.
const { startStack, stopStack, grantSql, withDatabase } = await import('./stack-lib.mjs');
const stack = await startStack({ dir: DIR, log: (s) => say(`demo: ${s}`) });
const pg = (await import('pg')).default;

// 3. A fresh demo database (only when the stack owns PostgreSQL: never drops a database you gave
//    it through DATABASE_URL) and empty inboxes.
const ownerUrl = stack.env.DATABASE_MIGRATION_URL ?? stack.env.DATABASE_URL;
if (!stack.external.includes('postgres')) {
  const DB = new URL(ownerUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: withDatabase(ownerUrl, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const grants = new pg.Client({ connectionString: ownerUrl });
  await grants.connect();
  for (const sql of grantSql(DB)) await grants.query(sql);
  await grants.end();
}

const sftpRoot = stack.env.DPB_SFTP_ROOT;
for (const f of ['care', 'bank', 'card', 'finance', 'cardout']) {
  rmSync(join(sftpRoot, f), { recursive: true, force: true });
  mkdirSync(join(sftpRoot, f), { recursive: true });
}
const env = {
  ...process.env,
  ...stack.env,
  DPB_CONFIG_DIR: join(ROOT, 'config'),
  DPB_STABILITY_MS: '500',
  DPB_OPS_PASSWORD: process.env.DPB_OPS_PASSWORD ?? 'demo-only-password',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  LOG_FORMAT: 'json',
};
const cli = (argv, opts = {}) => run(process.execPath, [join(ROOT, 'bin', 'dpbridge.js'), ...argv], { env, ...opts });
cli(['migrate']);

// Clear the queues of an earlier demo (only on the stack's own Redis).
const { Queue } = await import('bullmq');
for (const stage of stack.external.includes('redis') ? [] : ['care-in', 'payment-run', 'bank-in', 'reconcile', 'reclaim', 'report', 'scheduler']) {
  const q = new Queue(`dpb-${stage}`, { connection: { url: env.REDIS_URL, maxRetriesPerRequest: null }, prefix: 'dpb' });
  await q.obliterate({ force: true });
  await q.close();
}

say(`demo: generating the sample council's care-record extract (${dps} DPs, seed "demo")`);
const extract = join(sftpRoot, 'care', `.HCC-20261123-0100.xml.part`);
run(process.execPath, [join(ROOT, 'dist', 'scripts', 'generate-sample.js'), '--dps', dps, '--seed', 'demo', '--format', 'xml', '--out', extract, '--date', NIGHT]);
renameSync(extract, join(sftpRoot, 'care', 'HCC-20261123-0100.xml'));

// 4. One night.
const worker = spawn(process.execPath, [join(ROOT, 'bin', 'dpbridge.js'), 'start', '--roles', 'worker'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
let code = 1;
try {
  say(`demo: running the night of ${NIGHT} for HCC`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'dpbridge.js'), 'nightly', '--date', NIGHT, '--council', 'HCC', '--wait', '--timeout', '300'], { cwd: ROOT, env, stdio: 'inherit' });
  code = r.status ?? 1;
  if (code === 0) {
    say('');
    say(`demo: the bank and the card provider answer for run HCC-${NIGHT.replace(/-/g, '')}-1:`);
    run(process.execPath, [
      join(ROOT, 'dist', 'scripts', 'generate-bank-sample.js'), '--run', `HCC-${NIGHT.replace(/-/g, '')}-1`,
      '--finance', join(sftpRoot, 'finance'), '--cardout', join(sftpRoot, 'cardout'),
      '--bank-inbox', join(sftpRoot, 'bank'), '--card-inbox', join(sftpRoot, 'card'),
    ]);
    // The care system sends the same extract again (no change): a duplicate, applied once.
    copyFileSync(join(sftpRoot, 'care', 'archive', '2026', '11', '23', 'HCC-20261123-0100.xml'), join(sftpRoot, 'care', '.HCC-20261124-0100.xml.part'));
    renameSync(join(sftpRoot, 'care', '.HCC-20261124-0100.xml.part'), join(sftpRoot, 'care', 'HCC-20261124-0100.xml'));
    say(`demo: running the next night, ${NEXT_NIGHT}, for HCC`);
    code = spawnSync(process.execPath, [join(ROOT, 'bin', 'dpbridge.js'), 'nightly', '--date', NEXT_NIGHT, '--council', 'HCC', '--wait', '--timeout', '300'], { cwd: ROOT, env, stdio: 'inherit' }).status ?? 1;
  }
  say('');
  cli(['status']);
  say('');
  say('Officer cases (dpbridge cases list --council HCC):');
  cli(['cases', 'list', '--council', 'HCC']);
  say('');
  say('Where the files went:');
  for (const f of ['care', 'bank', 'card', 'finance', 'cardout']) {
    const base = join(sftpRoot, f);
    const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    for (const file of walk(base)) say(`  ${relative(ROOT, file)}  (${statSync(file).size} bytes)`);
  }
  say('');
  say(`The manifest: ${relative(ROOT, join(sftpRoot, 'finance', 'HCC-20261123-1.manifest.json'))}`);
  say('Held lines for officers: node bin/dpbridge.js holds list --council HCC (with the demo environment: . .stack/demo/env.sh)');
  say('A case with its evidence and history: node bin/dpbridge.js cases show ID; then propose and approve it under two different --officer names');
} finally {
  if (keep) {
    say(`demo: --keep: the stack and a worker are still running (stop: kill ${worker.pid}; node scripts/stack.mjs stop --dir .stack/demo)`);
  } else {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await stopStack({ dir: DIR, log: () => undefined });
    say('demo: stack stopped (files stay under .stack/demo)');
  }
}
process.exit(code);
