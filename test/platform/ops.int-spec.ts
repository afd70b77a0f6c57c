/**
 * The ops app on real PostgreSQL and Redis: liveness, readiness (database, Redis with its
 * eviction policy, every endpoint), and Bull Board behind basic auth.
 */
import * as fs from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { bootstrap } from '@dpb/pipeline/nest/roles';
import { createHarness, type Harness } from '../support/council-harness';

let h: Harness;
let app: INestApplication;
let base: string;
const auth = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });

beforeAll(async () => {
  h = await createHarness('PO1', { env: { DPB_OPS_PORT: '0', DPB_OPS_USER: 'ops', DPB_OPS_PASSWORD: 'a-long-test-password' } });
  app = (await bootstrap(['ops'], h.env)) as INestApplication;
  const addr = app.getHttpServer().address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await h.close();
});

describe('ops', () => {
  it('is live', async () => {
    const r = await fetch(`${base}/health/live`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('is ready when Postgres, Redis and every endpoint answer, and says which one does not', async () => {
    const ok = await fetch(`${base}/health/ready`);
    const body = (await ok.json()) as any;
    expect(ok.status).toBe(200);
    expect(body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' }, endpoints: { status: 'up', checked: 5 } });

    fs.rmSync(h.dirs.bank, { recursive: true });
    try {
      const down = await fetch(`${base}/health/ready`);
      expect(down.status).toBe(503);
      const b = (await down.json()) as any;
      expect(b.error.endpoints).toEqual({ status: 'down', unreachable: [`file://${h.dirs.bank}`] });
      expect(b.info.postgres.status).toBe('up');
    } finally {
      fs.mkdirSync(h.dirs.bank);
    }
  });

  it('keeps the status API behind basic auth', async () => {
    expect((await fetch(`${base}/api/status`)).status).toBe(401);
    const r = await fetch(`${base}/api/status`, { headers: auth('ops', 'a-long-test-password') });
    expect(r.status).toBe(200);
    const body = (await r.json()) as any;
    expect(body.queues.map((q: { name: string }) => q.name)).toEqual(['dpb-care-in', 'dpb-payment-run', 'dpb-bank-in', 'dpb-reconcile', 'dpb-reclaim', 'dpb-report']);
  });

  it('keeps Bull Board behind basic auth', async () => {
    expect((await fetch(`${base}/queues`)).status).toBe(401);
    expect((await fetch(`${base}/queues`, { headers: auth('ops', 'wrong-password-123') })).status).toBe(401);
    const r = await fetch(`${base}/queues`, { headers: auth('ops', 'a-long-test-password') });
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/<html/i);
  });
});
