#!/usr/bin/env node
// Local stack CLI: PostgreSQL, Redis and an OpenSSH SFTP server on free loopback ports.
//   node scripts/stack.mjs start  [--dir .stack] [--json]   start or reuse; writes DIR/env.json, DIR/env.sh
//   node scripts/stack.mjs stop   [--dir .stack]            stop what `start` started
//   node scripts/stack.mjs status [--dir .stack] [--json]
// DATABASE_URL / REDIS_URL, when set, are used instead of starting that service.
// Progress goes to stderr; with --json the result (env or status) is the only stdout.
import { parseArgs, stackStatus, startStack, stopStack } from './stack-lib.mjs';

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
  if (opts.command === 'start') {
    const t0 = Date.now();
    const res = await startStack({ dir: opts.dir });
    process.stderr.write(
      `stack: ready in ${Date.now() - t0} ms (started: ${res.started.join(', ') || 'none'}; ` +
        `reused: ${res.reused.join(', ') || 'none'}; external: ${res.external.join(', ') || 'none'})\n`,
    );
    if (opts.json) process.stdout.write(JSON.stringify(res.env, null, 2) + '\n');
    else process.stdout.write(`. ${res.dir}/env.sh   # or read ${res.dir}/env.json\n`);
    return 0;
  }
  if (opts.command === 'stop') {
    const res = await stopStack({ dir: opts.dir });
    if (opts.json) process.stdout.write(JSON.stringify(res) + '\n');
    else if (!res.stopped.length) process.stderr.write('stack: nothing to stop\n');
    return 0;
  }
  const st = await stackStatus({ dir: opts.dir });
  if (opts.json) {
    process.stdout.write(JSON.stringify(st, null, 2) + '\n');
  } else {
    for (const [name, s] of Object.entries(st.services)) {
      const what = s.external ? 'not managed here' : s.running ? `running on 127.0.0.1:${s.port}` : 'stopped';
      process.stdout.write(`${name.padEnd(9)} ${what}\n`);
    }
  }
  const all = Object.values(st.services).filter((s) => !s.external);
  return all.every((s) => s.running) ? 0 : 3;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`stack: ${e.message}\n`);
    process.exit(1);
  },
);
