// Removes every stage queue of a test's BullMQ prefix (jobs, schedulers, keys).
import { Queue } from 'bullmq';
import { ALL_QUEUES, bullOptions, type Env } from '@dpb/platform';

export async function obliterateQueues(env: Env): Promise<void> {
  const queues = ALL_QUEUES.map((n) => new Queue(n, bullOptions(env)));
  await Promise.all(queues.map(async (q) => {
    await q.obliterate({ force: true });
    await q.close();
  }));
}
