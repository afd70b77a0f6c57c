#!/usr/bin/env node
// `npm start`: runs a command on the local stack (PostgreSQL, Redis, OpenSSH SFTP; see stack-lib.mjs).
//   node scripts/with-stack.mjs [--dir .stack/dev] [--no-migrate] COMMAND [ARGS...]
//   npm start   =  node scripts/with-stack.mjs node bin/dpbridge.js start   (worker, scheduler, ops)
// 1. starts the stack in DIR, or reuses it (DATABASE_URL / REDIS_URL, when set, are used instead of
//    starting that service; any DPB_* variable you set wins over the stack's);
// 2. builds when dist/ is missing, and applies the migrations as the owner role;
// 3. runs COMMAND with the stack's environment. Without DPB_OPS_PASSWORD(_FILE) a random ops
//    password is kept in DIR/ops-password (mode 0600) and passed as DPB_OPS_PASSWORD_FILE;
// 4. on Ctrl-C or SIGTERM the command drains and stops (SIGKILL after DPB_SHUTDOWN_GRACE_MS + 10 s),
//    then the services this call started are stopped. A stack that was already running is left so.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack, stopStack } from './stack-lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const say = (s) => process.stderr.write(`with-stack: ${s}\n`);

function parse(argv) {
  const out = { dir: join(ROOT, '.stack', 'dev'), migrate: true, command: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dir' && i + 1 < argv.length) out.dir = resolve(argv[++i]);
    else if (a.startsWith('--dir=')) out.dir = resolve(a.slice('--dir='.length));
    else if (a === '--no-migrate') out.migrate = false;
    else break;
  }
  out.command = argv.slice(i);
  return out;
}

/** The ops password file for the local stack: created once, random, readable by its owner only. */
function opsPasswordFile(dir) {
  const file = join(dir, 'ops-password');
  if (!existsSync(file) || readFileSync(file, 'utf8').trim().length < 12) {
    writeFileSync(file, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  }
  return file;
}

async function main() {
  const opts = parse(process.argv.slice(2));
  if (!opts.command.length) {
    say('usage: with-stack.mjs [--dir DIR] [--no-migrate] COMMAND [ARGS...]');
    return 2;
  }
  // `node` means this Node (the project's Node 24 under npm run), whatever PATH says.
  const [cmd, ...args] = opts.command[0] === 'node' ? [process.execPath, ...opts.command.slice(1)] : opts.command;

  let stopping = null;
  let child;
  const onSignal = (sig) => {
    if (stopping) return;
    stopping = sig;
    if (child && child.exitCode === null) {
      say(`${sig}: stopping the command`);
      child.kill('SIGTERM');
      const graceMs = Number(process.env.DPB_SHUTDOWN_GRACE_MS ?? 25_000) + 10_000;
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), graceMs).unref();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const stack = await startStack({ dir: opts.dir, log: (s) => say(s) });
  const stopOurs = async () => {
    if (stack.started.length) {
      await stopStack({ dir: stack.dir, only: stack.started, log: (s) => say(s) });
    }
  };
  if (stopping) {
    await stopOurs();
    return 130;
  }

  const env = { ...stack.env, DPB_CONFIG_DIR: join(ROOT, 'config'), ...process.env };
  if (!env.DPB_OPS_PASSWORD && !env.DPB_OPS_PASSWORD_FILE) {
    env.DPB_OPS_PASSWORD_FILE = opsPasswordFile(stack.dir);
    say(`ops basic auth: user ${env.DPB_OPS_USER ?? 'ops'}, password in ${relative(process.cwd(), env.DPB_OPS_PASSWORD_FILE)}`);
  }
  const cli = join(ROOT, 'bin', 'dpbridge.js');
  try {
    if (!existsSync(join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'))) {
      say('building (npm run build)');
      const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
      if (b.status !== 0) throw new Error('npm run build failed');
    }
    if (opts.migrate && !stopping) {
      const m = spawnSync(process.execPath, [cli, 'migrate'], { cwd: ROOT, env, stdio: 'inherit' });
      if (m.status !== 0) throw new Error(`dpbridge migrate failed (exit ${m.status ?? m.signal})`);
    }
    if (stopping) return 130;
    say(`running ${opts.command.join(' ')} (environment: ${relative(process.cwd(), join(stack.dir, 'env.sh'))})`);
    // Its own process group: Ctrl-C reaches only this script, which sends the command ONE SIGTERM
    // (a second signal during Nest's shutdown would kill it before the workers drain).
    child = spawn(cmd, args, { cwd: process.cwd(), env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const code = await new Promise((resolveExit) => {
      child.once('error', (e) => {
        say(`cannot run ${cmd}: ${e.code ?? e.message}`);
        resolveExit(127);
      });
      child.once('exit', (c, sig) => resolveExit(c ?? (sig ? 128 + (sig === 'SIGKILL' ? 9 : 15) : 1)));
    });
    // A command stopped by our Ctrl-C / SIGTERM that drained cleanly is a clean stop.
    return stopping && (code === 0 || code === 143 || code === 130) ? 0 : code;
  } finally {
    await stopOurs();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    say(e.message);
    process.exit(1);
  },
);
