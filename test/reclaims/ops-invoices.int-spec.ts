/**
 * GET /api/invoices on the ops app (real PostgreSQL): the same JSON as `dpbridge invoices list
 * --json`, basic auth required, 404 for an unknown invoice. One S117 DP from 10 Dec 2026 at
 * £150.00 a week, ICB-QRL 50%: December = round(15000 x 22 x 5000 / 70000) = 23571.
 */
import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { bootstrap } from '@dpb/pipeline/nest/roles';
import { runReclaimStage } from '@dpb/pipeline/stages/reclaim';
import { createHarness, describeWithStack, type Harness } from '../support/council-harness';
import { bankPayee, importContent, person, weeklyDp } from '../support/extracts';

const d = describeWithStack;

d('ops API: invoices', () => {
  let h: Harness;
  let app: INestApplication;
  let base: string;
  const auth = { authorization: `Basic ${Buffer.from('ops:a-long-test-password').toString('base64')}` };
  beforeAll(async () => {
    h = await createHarness(`OI${randomBytes(2).toString('hex').toUpperCase()}`, {
      settings: { goLiveDate: '2026-11-02' },
      env: { DPB_OPS_PORT: '0', DPB_OPS_USER: 'ops', DPB_OPS_PASSWORD: 'a-long-test-password' },
    });
    await importContent(h, '2026-12-31T01:00:00.000Z', [person('P1')], [bankPayee('Y1')], [
      weeklyDp('DP-S117', 'P1', 'Y1', '2026-12-10', 15000n, { fundingStream: 'S117', splits: [{ partner: 'ICB-QRL', from: '2026-12-10', healthBasisPoints: 5000n }] }),
    ]);
    await runReclaimStage(h.context('2027-01-04'));
    app = (await bootstrap(['ops'], h.env)) as INestApplication;
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('lists and shows invoices behind basic auth', async () => {
    expect((await fetch(`${base}/api/invoices?council=${h.code}`)).status).toBe(401);
    const list = (await (await fetch(`${base}/api/invoices?council=${h.code}&kind=HEALTH_RECLAIM`, { headers: auth })).json()) as any;
    expect(list.invoices).toHaveLength(1);
    expect(list.invoices[0]).toMatchObject({ id: `${h.code}-HR-ICBQRL-202612`, customer: 'ICB-QRL', totalPence: 23571, state: 'RAISED' });
    expect(list.heldFromReclaim).toEqual([]);
    const one = (await (await fetch(`${base}/api/invoices/${h.code}-HR-ICBQRL-202612`, { headers: auth })).json()) as any;
    expect(one.lines).toEqual([{ dpId: 'DP-S117', personId: 'P1', month: '2026-12', from: '2026-12-10', to: '2026-12-31', costPence: 47143, healthPct: '50.00', amountPence: 23571, adjustment: false }]);
    expect((await fetch(`${base}/api/invoices/NOPE`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${base}/api/invoices?kind=NOPE`, { headers: auth })).status).toBe(400);
    const aged = (await (await fetch(`${base}/api/invoices/aged?council=${h.code}&asOf=2027-01-10`, { headers: auth })).json()) as any;
    expect(aged.agedDebt[0]).toMatchObject({ council: h.code, totalPence: 23571 });
  });
});
