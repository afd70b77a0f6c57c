// Local stack for development and tests: PostgreSQL, Redis and an OpenSSH SFTP server on free
// loopback ports, no Docker, no systemd, Node built-ins only. Used by scripts/stack.mjs (CLI)
// and test/support/global-setup.ts (Jest).
//
// Layout of DIR (default .stack):
//   state.json          what this module started (ports, pids, paths)
//   env.json, env.sh    the connection settings (DATABASE_URL, REDIS_URL, DPB_SFTP_*, endpoints)
//   pg/data, pg/log     PostgreSQL cluster (owned by the `postgres` user when running as root)
//   redis/              redis.pid, redis.log
//   ssh/                host and client ed25519 keys, authorized_keys, sshd_config, sshd.pid/.log
//   sftp/               care/ bank/ card/ finance/ cardout/  (the inboxes and outboxes)

import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DB_NAME = 'dpbridge';
export const OWNER_ROLE = 'dpb_owner';
export const APP_ROLE = 'dpb_app';
export const SFTP_FOLDERS = Object.freeze({
  DPB_CARE_INBOX: 'care',
  DPB_BANK_INBOX: 'bank',
  DPB_CARD_INBOX: 'card',
  DPB_FINANCE_OUTBOX: 'finance',
  DPB_CARD_OUTBOX: 'cardout',
});
const APT_PACKAGES = ['redis-server', 'openssh-server', 'openssh-client'];
const SSHD = '/usr/sbin/sshd';

// ---------------------------------------------------------------------------------------------
// Pure helpers (unit-tested in test/support/stack-lib.spec.ts)

/** `SHA256:<base64 without padding>` of an OpenSSH public key line, as `ssh-keygen -lf` prints. */
export function sshFingerprint(publicKeyLine) {
  const parts = String(publicKeyLine).trim().split(/\s+/);
  if (parts.length < 2) throw new Error('sshFingerprint: not an OpenSSH public key line');
  const blob = Buffer.from(parts[1], 'base64');
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The fingerprint in one line of `ssh-keygen -lf` output (`256 SHA256:... comment (ED25519)`). */
export function parseKeygenFingerprint(output) {
  const m = /\b(SHA256:[A-Za-z0-9+/]+)/.exec(String(output));
  if (!m) throw new Error('ssh-keygen -lf printed no SHA256 fingerprint');
  return m[1];
}

/** `postgres://user@127.0.0.1:port/db` (trust auth on loopback: no password). */
export function pgUrl(user, port, db) {
  return `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(db)}`;
}

/** The same URL pointing at another database (keeps user, password, host, port, query). */
export function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(db);
  return u.toString();
}

/** `sftp://user@host:port/abs/path` with each path segment percent-encoded. */
export function sftpUrl(user, host, port, absPath) {
  const p = absPath.split('/').map((s) => encodeURIComponent(s)).join('/');
  return `sftp://${encodeURIComponent(user)}@${host}:${port}${p.startsWith('/') ? p : '/' + p}`;
}

/**
 * The environment the stack publishes. `pg`, `redis`, `sftp` carry what was started or what
 * the caller supplied (`external` URLs).
 */
export function buildEnv({ databaseUrl, migrationUrl, redisUrl, sftp }) {
  const env = {
    DATABASE_URL: databaseUrl,
    DATABASE_MIGRATION_URL: migrationUrl ?? databaseUrl,
    REDIS_URL: redisUrl,
    DPB_SFTP_HOST: sftp.host,
    DPB_SFTP_PORT: String(sftp.port),
    DPB_SFTP_USER: sftp.user,
    DPB_SFTP_PRIVATE_KEY_FILE: sftp.privateKeyFile,
    DPB_SFTP_KNOWN_HOSTS: `${sftp.host}:${sftp.port} ${sftp.fingerprint}`,
    DPB_SFTP_ROOT: sftp.root,
  };
  for (const [key, folder] of Object.entries(SFTP_FOLDERS)) {
    env[key] = sftpUrl(sftp.user, sftp.host, sftp.port, path.posix.join(sftp.root, folder));
  }
  return env;
}

/** POSIX shell text that exports every variable (single-quoted, safe for any value). */
export function envToShell(env) {
  const q = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${q(v)}`)
    .join('\n') + '\n';
}

const ident = (name) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe SQL identifier for role/database`);
  return name;
};

/**
 * SQL, run inside the application database by its owner (or a superuser), that gives the
 * run-time role data rights (no DDL) on what the owner creates now and later.
 */
export function grantSql(dbName, ownerRole = OWNER_ROLE, appRole = APP_ROLE) {
  const [db, owner, app] = [ident(dbName), ident(ownerRole), ident(appRole)];
  return [
    `REVOKE CREATE, TEMPORARY ON DATABASE ${db} FROM PUBLIC`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${app}`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA public TO ${app}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} GRANT USAGE ON SCHEMAS TO ${app}`,
  ];
}

/** SQL, run in the `postgres` database as superuser, creating the two roles if missing. */
export function rolesSql(ownerRole = OWNER_ROLE, appRole = APP_ROLE) {
  const [owner, app] = [ident(ownerRole), ident(appRole)];
  return [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${owner}') THEN
         CREATE ROLE ${owner} LOGIN CREATEDB; END IF;
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app}') THEN
         CREATE ROLE ${app} LOGIN; END IF;
     END $$`,
  ];
}

/** `start|stop|status [--dir D] [--json]` */
export function parseArgs(argv) {
  const out = { command: undefined, dir: '.stack', json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') out.json = true;
    else if (a === '--dir') {
      if (i + 1 >= argv.length) throw new Error('--dir needs a value');
      out.dir = argv[++i];
    } else if (a.startsWith('--dir=')) out.dir = a.slice('--dir='.length);
    else if (!a.startsWith('-') && out.command === undefined) out.command = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!['start', 'stop', 'status'].includes(out.command ?? '')) {
    throw new Error('usage: stack.mjs start|stop|status [--dir DIR] [--json]');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Process and file helpers

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const defaultLog = (line) => process.stderr.write(`stack: ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 * 1024 * 1024, ...opts }, (err, stdout, stderr) => {
      if (err) {
        err.message = `${path.basename(cmd)} failed (${err.code ?? err.signal}): ${String(stderr || stdout).trim().slice(-2000)}`;
        reject(err);
      } else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs a command as the `postgres` user when we are root (initdb/postgres refuse root). */
function runAsPg(cmd, args, opts) {
  if (!isRoot()) return run(cmd, args, opts);
  return run('/usr/sbin/runuser', ['-u', 'postgres', '--', cmd, ...args], opts);
}

function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function readPid(file) {
  try {
    const n = Number.parseInt(fs.readFileSync(file, 'utf8').split('\n')[0].trim(), 10);
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port, timeoutMs = 300) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A free loopback port; the previous one when it is still free (stable URLs across restarts). */
export async function freePort(preferred, taken = new Set()) {
  if (preferred && !taken.has(preferred) && (await portFree(preferred))) return preferred;
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen({ host: '127.0.0.1', port: 0 }, () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
    if (!taken.has(port)) return port;
  }
  throw new Error('no free loopback port');
}

async function waitFor(check, timeoutMs, stepMs = 50) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(stepMs);
  }
  return check();
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function failWithLog(service, err, logFile) {
  const e = new Error(`${service} did not start: ${err.message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
  e.cause = err;
  return e;
}

function which(bin) {
  for (const d of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin'])) {
    const p = path.join(d, bin);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** The newest Debian PostgreSQL bin directory (or $DPB_PG_BIN). */
export function findPgBin() {
  if (process.env.DPB_PG_BIN) return process.env.DPB_PG_BIN;
  const base = '/usr/lib/postgresql';
  let versions = [];
  try {
    versions = fs
      .readdirSync(base)
      .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    /* none */
  }
  return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeFileAtomic(file, text, mode = 0o644) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}

// ---------------------------------------------------------------------------------------------
// Packages

/** Names of the apt packages this machine lacks for the stack. */
export function missingPackages({ needPg = true, needRedis = true } = {}) {
  const missing = [];
  if (needRedis && !which('redis-server')) missing.push('redis-server');
  if (!fs.existsSync(SSHD)) missing.push('openssh-server');
  if (!which('ssh-keygen')) missing.push('openssh-client');
  if (needPg && !findPgBin()) missing.push('postgresql');
  return missing;
}

/**
 * Installs missing packages with apt when root (`apt-get update` once). A temporary
 * policy-rc.d stops Debian's maintainer scripts from starting system-wide daemons.
 */
export async function ensurePackages({ log = defaultLog, needPg = true, needRedis = true } = {}) {
  const missing = missingPackages({ needPg, needRedis });
  if (!missing.length) return [];
  if (!isRoot() || !which('apt-get')) {
    throw new Error(`missing packages: ${missing.join(', ')} (install them, or run as root on Debian)`);
  }
  const pkgs = [...APT_PACKAGES, ...(missing.includes('postgresql') ? ['postgresql'] : [])];
  log(`installing ${pkgs.join(' ')} with apt-get`);
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !fs.existsSync(policy);
  if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env });
  } finally {
    if (ownPolicy) fs.rmSync(policy, { force: true });
  }
  const still = missingPackages({ needPg, needRedis });
  if (still.length) throw new Error(`still missing after apt-get: ${still.join(', ')}`);
  return pkgs;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** Where the cluster lives: DIR/pg, or /var/tmp when the postgres user cannot reach DIR. */
async function pgRootFor(dir) {
  const preferred = path.join(dir, 'pg');
  if (!isRoot()) return preferred;
  fs.mkdirSync(preferred, { recursive: true });
  fs.chownSync(preferred, pgUid(), pgGid());
  try {
    await run('/usr/sbin/runuser', ['-u', 'postgres', '--', 'test', '-w', preferred]);
    return preferred;
  } catch {
    const alt = path.join('/var/tmp', `dpbridge-stack-${createHash('sha1').update(dir).digest('hex').slice(0, 12)}`, 'pg');
    fs.mkdirSync(alt, { recursive: true });
    fs.chownSync(alt, pgUid(), pgGid());
    return alt;
  }
}

let pgIds;
function pgIdsGet() {
  if (!pgIds) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    pgIds = { uid, gid };
  }
  return pgIds;
}
const pgUid = () => pgIdsGet().uid;
const pgGid = () => pgIdsGet().gid;

async function pgRunning(st) {
  if (!st?.dataDir || !st.port) return false;
  const pid = readPid(path.join(st.dataDir, 'postmaster.pid'));
  return pidAlive(pid) && (await portOpen(st.port));
}

async function psql(bin, port, db, statements, tuplesOnly = false) {
  const args = ['-X', '-q', ...(tuplesOnly ? ['-At'] : []), '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db];
  for (const s of statements) args.push('-c', s);
  return run(path.join(bin, 'psql'), args, { env: { ...process.env, PGCONNECT_TIMEOUT: '5' } });
}

async function startPostgres(dir, prev, log, taken) {
  if (await pgRunning(prev)) {
    log(`postgres already running on 127.0.0.1:${prev.port}`);
    return { ...prev, reused: true };
  }
  const bin = findPgBin();
  if (!bin) throw new Error('no PostgreSQL binaries (/usr/lib/postgresql/*/bin)');
  const root = await pgRootFor(dir);
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'log');
  const t0 = Date.now();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await runAsPg(path.join(bin, 'initdb'), [
      '-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-instructions',
    ]).catch((e) => {
      throw failWithLog('postgres (initdb)', e, logFile);
    });
    const conf = [
      '',
      '# dpbridge local stack (tests: durability off)',
      "listen_addresses = '127.0.0.1'",
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 200',
      "timezone = 'UTC'",
      '',
    ].join('\n');
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), conf);
    log(`postgres initdb in ${dataDir} (${Date.now() - t0} ms)`);
  }
  const port = await freePort(prev?.port, taken);
  taken.add(port);
  // Unix socket beside the data (short paths only: the socket path limit is 107 bytes).
  const sockDir = root.length + 20 < 100 ? root : '';
  const opts = `-p ${port} -c unix_socket_directories='${sockDir}'`;
  // A stale postmaster.pid from a killed server would block start-up only if its pid is alive;
  // pg_ctl handles the dead case itself.
  await pgCtlStart({ bin, dataDir, logFile, opts });
  try {
    await psql(bin, port, 'postgres', rolesSql());
    const { stdout } = await psql(bin, port, 'postgres', [`SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'`], true);
    if (stdout.trim() !== '1') await psql(bin, port, 'postgres', [`CREATE DATABASE ${DB_NAME} OWNER ${OWNER_ROLE}`]);
    await psql(bin, port, DB_NAME, grantSql(DB_NAME));
  } catch (e) {
    throw failWithLog('postgres (bootstrap)', e, logFile);
  }
  log(`postgres started on 127.0.0.1:${port} (${Date.now() - t0} ms)`);
  return { bin, root, dataDir, logFile, port, opts, reused: false };
}

async function pgCtlStart({ bin, dataDir, logFile, opts }) {
  await runAsPg(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', opts, 'start'], {
    cwd: '/',
  }).catch((e) => {
    throw failWithLog('postgres', e, logFile);
  });
}

async function stopPostgres(st, log, mode = 'fast') {
  if (!st?.dataDir || !fs.existsSync(path.join(st.dataDir, 'postmaster.pid'))) return false;
  const ok = await runAsPg(path.join(st.bin ?? findPgBin(), 'pg_ctl'), ['-D', st.dataDir, '-m', mode, '-w', '-t', '30', 'stop'], {
    cwd: '/',
  }).then(
    () => true,
    (e) => {
      log(`postgres stop failed: ${e.message}`);
      return false;
    },
  );
  if (ok) log('postgres stopped');
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Redis

async function redisRunning(st) {
  return Boolean(st?.pidFile && st.port && pidAlive(readPid(st.pidFile)) && (await portOpen(st.port)));
}

async function startRedis(dir, prev, log, taken, aof = false) {
  if (await redisRunning(prev)) {
    log(`redis already running on 127.0.0.1:${prev.port}`);
    return { ...prev, reused: true };
  }
  const rdir = path.join(dir, 'redis');
  fs.mkdirSync(rdir, { recursive: true });
  const pidFile = path.join(rdir, 'redis.pid');
  const logFile = path.join(rdir, 'redis.log');
  fs.rmSync(pidFile, { force: true });
  const port = await freePort(prev?.port, taken);
  taken.add(port);
  const t0 = Date.now();
  await launchRedis({ rdir, pidFile, logFile, port, aof });
  log(`redis started on 127.0.0.1:${port}${aof ? ' (AOF)' : ''} (${Date.now() - t0} ms)`);
  return { pidFile, logFile, port, aof, reused: false };
}

/** Starts redis-server on `port` (AOF: every write logged, fsync every second, reloaded at start). */
async function launchRedis({ rdir, pidFile, logFile, port, aof }) {
  const bin = which('redis-server');
  await run(bin, [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', aof ? 'yes' : 'no',
    ...(aof ? ['--appendfsync', 'everysec'] : []),
    '--maxmemory-policy', 'noeviction', '--dir', rdir, '--daemonize', 'yes',
    '--pidfile', pidFile, '--logfile', logFile,
  ]).catch((e) => {
    throw failWithLog('redis', e, logFile);
  });
  const ok = await waitFor(async () => pidAlive(readPid(pidFile)) && (await portOpen(port)), 10_000);
  if (!ok) throw failWithLog('redis', new Error(`not listening on ${port}`), logFile);
}

async function killPidFile(pidFile, name, log) {
  const pid = readPid(pidFile);
  if (!pidAlive(pid)) return false;
  process.kill(pid, 'SIGTERM');
  const gone = await waitFor(() => !pidAlive(pid), 10_000);
  if (!gone) process.kill(pid, 'SIGKILL');
  fs.rmSync(pidFile, { force: true });
  log(`${name} stopped`);
  return true;
}

// ---------------------------------------------------------------------------------------------
// OpenSSH SFTP

async function keygen(file, comment) {
  if (fs.existsSync(file) && fs.existsSync(`${file}.pub`)) return;
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  await run(which('ssh-keygen') ?? 'ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

async function sshdRunning(st) {
  return Boolean(st?.pidFile && st.port && pidAlive(readPid(st.pidFile)) && (await portOpen(st.port)));
}

async function startSshd(dir, prev, log, taken) {
  const sshDir = path.join(dir, 'ssh');
  const sftpRoot = path.join(dir, 'sftp');
  fs.mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  for (const f of Object.values(SFTP_FOLDERS)) fs.mkdirSync(path.join(sftpRoot, f), { recursive: true });
  const hostKey = path.join(sshDir, 'host_ed25519');
  const clientKey = path.join(sshDir, 'client_ed25519');
  const user = os.userInfo().username;
  const common = { sshDir, sftpRoot, hostKey, clientKey, user };
  if (await sshdRunning(prev)) {
    log(`sshd already running on 127.0.0.1:${prev.port}`);
    return { ...prev, ...common, reused: true };
  }
  const t0 = Date.now();
  await Promise.all([keygen(hostKey, 'dpbridge-stack-host'), keygen(clientKey, 'dpbridge-stack-client')]);
  const authorized = path.join(sshDir, 'authorized_keys');
  fs.writeFileSync(authorized, fs.readFileSync(`${clientKey}.pub`, 'utf8'), { mode: 0o600 });
  const { stdout } = await run(which('ssh-keygen') ?? 'ssh-keygen', ['-lf', `${hostKey}.pub`]);
  const fingerprint = parseKeygenFingerprint(stdout);
  const port = await freePort(prev?.port, taken);
  taken.add(port);
  const pidFile = path.join(sshDir, 'sshd.pid');
  const logFile = path.join(sshDir, 'sshd.log');
  const config = path.join(sshDir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      `AllowUsers ${user}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      `PidFile ${pidFile}`,
      'MaxStartups 100:30:200',
      'MaxSessions 50',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      'PrintMotd no',
      'Subsystem sftp internal-sftp',
      'ForceCommand internal-sftp',
      '',
    ].join('\n'),
  );
  if (isRoot()) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  fs.rmSync(pidFile, { force: true });
  fs.writeFileSync(logFile, '');
  await launchSshd({ config, logFile, pidFile, port });
  log(`sshd started on 127.0.0.1:${port} (${Date.now() - t0} ms)`);
  return { ...common, pidFile, logFile, config, port, fingerprint, reused: false };
}

async function launchSshd({ config, logFile, pidFile, port }) {
  await run(SSHD, ['-f', config, '-E', logFile]).catch((e) => {
    throw failWithLog('sshd', e, logFile);
  });
  const ok = await waitFor(async () => pidAlive(readPid(pidFile)) && (await portOpen(port)), 10_000);
  if (!ok) throw failWithLog('sshd', new Error(`not listening on ${port}`), logFile);
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Starts (or reuses) the stack in `dir`. DATABASE_URL / REDIS_URL in `env` mean "use that
 * service, do not start one". Returns the published env and which services were started now.
 */
export async function startStack({ dir = '.stack', env = process.env, log = defaultLog, install = true, redisAof = false } = {}) {
  const abs = path.resolve(dir);
  fs.mkdirSync(abs, { recursive: true });
  const statePath = path.join(abs, 'state.json');
  const prev = readJson(statePath) ?? {};
  const externalDb = Boolean(env.DATABASE_URL);
  const externalRedis = Boolean(env.REDIS_URL);
  if (install) await ensurePackages({ log, needPg: !externalDb, needRedis: !externalRedis });
  const taken = new Set();
  const settled = await Promise.allSettled([
    externalDb ? undefined : startPostgres(abs, prev.postgres, log, taken),
    externalRedis ? undefined : startRedis(abs, prev.redis, log, taken, redisAof),
    startSshd(abs, prev.sshd, log, taken),
  ]);
  const [pg, redis, sshd] = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
  const strip = (s) => (s ? Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'reused')) : undefined);
  // Keep what was known before for a service that failed, so `stop` can still find it.
  const state = {
    dir: abs,
    postgres: externalDb ? undefined : strip(pg) ?? prev.postgres,
    redis: externalRedis ? undefined : strip(redis) ?? prev.redis,
    sshd: strip(sshd) ?? prev.sshd,
  };
  writeFileAtomic(statePath, JSON.stringify(state, null, 2) + '\n');
  const failed = settled.filter((r) => r.status === 'rejected');
  if (failed.length) {
    // Do not leave half a stack behind: stop what this call started, then report.
    const startedNow = [['postgres', pg], ['redis', redis], ['sshd', sshd]]
      .filter(([, s]) => s && !s.reused)
      .map(([n]) => n);
    if (startedNow.length) await stopStack({ dir: abs, log, only: startedNow });
    throw failed[0].reason;
  }
  const published = buildEnv({
    databaseUrl: externalDb ? env.DATABASE_URL : pgUrl(APP_ROLE, pg.port, DB_NAME),
    migrationUrl: externalDb ? env.DATABASE_MIGRATION_URL || env.DATABASE_URL : pgUrl(OWNER_ROLE, pg.port, DB_NAME),
    redisUrl: externalRedis ? env.REDIS_URL : `redis://127.0.0.1:${redis.port}`,
    sftp: {
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      privateKeyFile: sshd.clientKey,
      fingerprint: sshd.fingerprint,
      root: sshd.sftpRoot,
    },
  });
  writeEnvFiles(abs, published);
  const started = [];
  const reused = [];
  const external = [];
  for (const [name, s, ext] of [['postgres', pg, externalDb], ['redis', redis, externalRedis], ['sshd', sshd, false]]) {
    if (ext) external.push(name);
    else (s.reused ? reused : started).push(name);
  }
  return { dir: abs, env: published, started, reused, external, state };
}

/** Writes DIR/env.json and DIR/env.sh (mode 0600: they point at a private key). */
export function writeEnvFiles(dir, env) {
  writeFileAtomic(path.join(dir, 'env.json'), JSON.stringify(env, null, 2) + '\n', 0o600);
  writeFileAtomic(path.join(dir, 'env.sh'), envToShell(env), 0o600);
}

/** Stops what startStack started in `dir` (all services, or only those named in `only`). */
export async function stopStack({ dir = '.stack', log = defaultLog, only } = {}) {
  const abs = path.resolve(dir);
  const state = readJson(path.join(abs, 'state.json'));
  if (!state) return { stopped: [] };
  const want = (n) => !only || only.includes(n);
  const stopped = [];
  const tasks = [];
  if (want('postgres') && state.postgres) {
    tasks.push(stopPostgres(state.postgres, log).then((ok) => ok && stopped.push('postgres')));
  }
  if (want('redis') && state.redis) {
    tasks.push(killPidFile(state.redis.pidFile, 'redis', log).then((ok) => ok && stopped.push('redis')));
  }
  if (want('sshd') && state.sshd) {
    tasks.push(killPidFile(state.sshd.pidFile, 'sshd', log).then((ok) => ok && stopped.push('sshd')));
  }
  await Promise.all(tasks);
  return { stopped };
}

/** Which services of the stack in `dir` are running, and the published env. */
export async function stackStatus({ dir = '.stack' } = {}) {
  const abs = path.resolve(dir);
  const state = readJson(path.join(abs, 'state.json')) ?? {};
  const env = readJson(path.join(abs, 'env.json'));
  const [pg, redis, sshd] = await Promise.all([
    pgRunning(state.postgres),
    redisRunning(state.redis),
    sshdRunning(state.sshd),
  ]);
  const svc = (s, running) => (s ? { running, port: s.port } : { running: false, external: true });
  return {
    dir: abs,
    services: { postgres: svc(state.postgres, pg), redis: svc(state.redis, redis), sshd: svc(state.sshd, sshd) },
    env,
  };
}

/**
 * Fault trials: stops one service of the stack in `dir` and starts it again on the same port
 * after `downMs` (PostgreSQL `-m fast` or `immediate`; Redis by SIGTERM, so an AOF Redis writes
 * its log and reloads it; sshd's listener only: sessions already open carry on). Resolves once
 * the service accepts connections again.
 */
export async function restartService({ dir = '.stack', service, downMs = 1000, mode = 'fast', log = defaultLog } = {}) {
  const abs = path.resolve(dir);
  const state = readJson(path.join(abs, 'state.json'));
  const st = state?.[service];
  if (!st) throw new Error(`restartService: no ${service} in ${abs}/state.json`);
  const t0 = Date.now();
  if (service === 'postgres') {
    await stopPostgres(st, log, mode);
    await sleep(downMs);
    await pgCtlStart({ bin: st.bin, dataDir: st.dataDir, logFile: st.logFile, opts: st.opts ?? `-p ${st.port} -c unix_socket_directories=''` });
  } else if (service === 'redis') {
    await killPidFile(st.pidFile, 'redis', log);
    await sleep(downMs);
    await launchRedis({ rdir: path.dirname(st.pidFile), pidFile: st.pidFile, logFile: st.logFile, port: st.port, aof: Boolean(st.aof) });
  } else if (service === 'sshd') {
    await killPidFile(st.pidFile, 'sshd', log);
    await sleep(downMs);
    await launchSshd({ config: st.config, logFile: st.logFile, pidFile: st.pidFile, port: st.port });
  } else {
    throw new Error(`restartService: unknown service ${service}`);
  }
  log(`${service} restarted on 127.0.0.1:${st.port} (${Date.now() - t0} ms)`);
  return { port: st.port, ms: Date.now() - t0 };
}
