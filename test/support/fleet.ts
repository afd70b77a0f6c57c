/** An in-process worker fleet for night tests: a worker role logging to `logger`, a flow producer,
 * and their tear-down (flows, the Nest app, its queues obliterated). */
import type { INestApplicationContext } from '@nestjs/common';
import { FlowProducer, Queue } from 'bullmq';
import type { Logger } from 'pino';
import { ALL_QUEUES, bullOptions, setRootLogger, type Env } from '@dpb/platform';
import { bootstrap } from '@dpb/pipeline/nest/roles';

export async function startFleet(env: Env, logger: Logger): Promise<{ app: INestApplicationContext; flows: FlowProducer }> {
  setRootLogger(logger);
  const app = await bootstrap(['worker'], env);
  return { app, flows: new FlowProducer(bullOptions(env)) };
}

export async function closeFleet(env: Env, app?: INestApplicationContext, flows?: FlowProducer): Promise<void> {
  await flows?.close();
  await app?.close();
  await obliterateQueues(env);
}

/** Removes every stage queue of a test's BullMQ prefix (jobs, schedulers, keys). */
export async function obliterateQueues(env: Env): Promise<void> {
  const queues = ALL_QUEUES.map((n) => new Queue(n, bullOptions(env)));
  await Promise.all(queues.map(async (q) => {
    await q.obliterate({ force: true });
    await q.close();
  }));
}
