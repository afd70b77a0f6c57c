/**
 * Worked example (integration): the night's audit step as BullMQ chunk jobs.
 *   chunkSize 1: the two DPs (DPA1 card, DPB2 bank without a statement) are two chunk jobs,
 *   picked up by two workers (two worker processes in production). DPA1 is audited and stored
 *   (councilExcess 273000, see dry-run.int-spec.ts), DPB2 has no ledger. The payloads hold the
 *   council, the night and DP ids only. The same step again finds nothing changed: no chunk.
 */
import { Queue, type Worker } from 'bullmq';
import { bullOptions } from '@dpb/platform';
import { auditStep, startAuditChunkWorker, AUDIT_CHUNK_QUEUE } from '@dpb/pipeline/audit-jobs';
import type { Harness } from '../support/council-harness';
import { auditCouncilHarness } from './fixture';

describe('audit in the night: chunk jobs shared by workers', () => {
  let h: Harness;
  const workers: Worker[] = [];
  beforeAll(async () => {
    h = await auditCouncilHarness('AUDNT', { audit: { chunkSize: 1 } });
    const councils = new Map([[h.code, h.council]]);
    for (let i = 0; i < 2; i++) workers.push(startAuditChunkWorker(h.env, { ds: h.ds, councils, log: h.log }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await h?.close();
  });

  it('runs one job per chunk, stores the audits, and is a no-op the second time', async () => {
    const ctx = { council: h.council, nightDate: '2026-11-30', ds: h.ds, env: h.env, log: h.log };
    const s = await auditStep(ctx);
    expect(s.counts).toMatchObject({
      'audit.chunks': 2,
      'audit.considered': 2,
      'audit.audited': 1,
      'audit.stored': 1,
      'audit.noLedger': 1,
      'audit.flags': 2,
      'audit.safeguarding': 1,
      'audit.councilExcessPence': '273000',
      'audit.missedContributionsPence': '8000',
    });
    const queue = new Queue(AUDIT_CHUNK_QUEUE, bullOptions(h.env));
    try {
      const jobs = (await queue.getJobs(['completed'])).filter((j) => j.id?.startsWith(`${h.code}.2026-11-30.audit.`));
      expect(jobs).toHaveLength(2);
      for (const j of jobs) expect(Object.keys(j.data as object).sort()).toEqual(['chunk', 'council', 'dpIds', 'nightDate']);
    } finally {
      await queue.close();
    }
    const again = await auditStep(ctx);
    // DPB2 (no ledger, never audited) is planned again; DPA1 is not.
    expect(again.counts).toMatchObject({ 'audit.stored': 0, 'audit.audited': 0 });
    expect(again.counts['audit.considered']).toBe(1);
  });
});
