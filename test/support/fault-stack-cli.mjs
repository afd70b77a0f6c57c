// Child-process front of scripts/stack-lib.mjs for the fault trials (Jest test files cannot
// import ESM): `start DIR` (Redis with AOF) prints the stack's env, state and grants as JSON;
// `stop DIR`; `restart DIR postgres|redis|sshd DOWN_MS`.
import { grantSql, restartService, startStack, stopStack } from '../../scripts/stack-lib.mjs';

const [command, dir, service, downMs] = process.argv.slice(2);
const log = (line) => process.stderr.write(`faults: ${line}\n`);
if (command === 'start') {
  const res = await startStack({ dir, env: {}, log, redisAof: true });
  process.stdout.write(JSON.stringify({ env: res.env, state: res.state, grants: grantSql('dpbridge') }));
} else if (command === 'stop') {
  await stopStack({ dir, log });
} else if (command === 'restart') {
  await restartService({ dir, service, downMs: Number(downMs), log });
} else {
  throw new Error('usage: fault-stack-cli.mjs start|stop|restart DIR [SERVICE DOWN_MS]');
}
