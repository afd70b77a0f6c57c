/**
 * Start-up refuses a Redis that may evict BullMQ's keys: a real redis-server with
 * `maxmemory-policy allkeys-lru`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { bootstrap } from '@dpb/pipeline/nest/roles';
import { checkEvictionPolicy, connectRedis } from '@dpb/platform';
import { createHarness, type Harness } from '../support/council-harness';

let h: Harness;
let redis: ChildProcess;
let port: number;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
  const client = connectRedis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 20, retryStrategy: () => 50 });
  await client.ping();
  client.disconnect();
  h = await createHarness('PR1', { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
});
afterAll(async () => {
  redis?.kill();
  await h?.close();
});

it('reads the eviction policy and refuses to start on one that may evict', async () => {
  const client = connectRedis(`redis://127.0.0.1:${port}`);
  try {
    expect(await checkEvictionPolicy(client)).toEqual({ ok: false, policy: 'allkeys-lru' });
  } finally {
    client.disconnect();
  }
  await expect(bootstrap(['worker'], h.env)).rejects.toThrow(/maxmemory-policy is allkeys-lru; BullMQ needs noeviction/);
});
