/**
 * Worked example (integration): the night's audit step as BullMQ chunk jobs.
 *   chunkSize 1: the two DPs are two chunk jobs, picked up by two workers (two worker processes in
 *   production): DPA1 (card: councilExcess 273000, missed 8000, see dry-run.int-spec.ts) and DPB2
 *   (GROSS, bank statement closing £2,000.00: contingency 8 x 20000 = 160000, surplus = excess
 *   40000, nothing expected or received). Totals: excess 313000, missed 8000. The payloads hold
 *   the council, the night and DP ids only. The same step again finds nothing changed: no chunk.
 */
import { Queue, type Worker } from 'bullmq';
import { runBankInStage } from '@dpb/pipeline/stages/bank-in';
import { camt053, closingOf, type CamtEntry } from '../support/bank-files';
import { bullOptions } from '@dpb/platform';
import { auditStep, startAuditChunkWorker, AUDIT_CHUNK_QUEUE } from '@dpb/pipeline/audit-jobs';
import { drop, type Harness } from '../support/council-harness';
import { auditCouncilHarness } from './fixtures';

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
    const ctx = h.context('2026-11-30');
    const entries: CamtEntry[] = [{ amount: -5000n, date: '2026-11-20', reference: 'PAYROLL' }];
    drop(h.dirs.bank, 'stmt.xml', camt053([{ account: '08999922223333', seq: '1', opening: 205000n, closing: closingOf(205000n, entries), entries }], `M-${h.code}`));
    expect((await runBankInStage(ctx)).counts['bank.applied']).toBe(1);
    const s = await auditStep(ctx);
    expect(s.counts).toMatchObject({
      'audit.chunks': 2,
      'audit.considered': 2,
      'audit.audited': 2,
      'audit.stored': 2,
      'audit.noLedger': 0,
      'audit.flags': 2,
      'audit.safeguarding': 1,
      'audit.councilExcessPence': '313000',
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
    expect(again.counts).toMatchObject({ 'audit.chunks': 0, 'audit.considered': 0, 'audit.stored': 0 });
  });
});
