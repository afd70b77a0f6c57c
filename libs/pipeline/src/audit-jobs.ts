/**
 * The DP account audit inside the night: the DPs whose ledger, lines, terms or liabilities
 * changed since their last audit are split into chunks (`audit.chunkSize`, default 2,000), each a
 * BullMQ job on the `<prefix>-audit-chunk` queue, so every worker process shares a large council.
 * The reconcile stage adds the chunk jobs and waits for them. A chunk job carries the council,
 * the night and DP ids only; it stores its audits and opens or updates cases in one transaction,
 * and is safe to run twice (an audited DP's window is empty the second time).
 */
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { sha256Hex } from '@dpb/common';
import { bullOptions, DEFAULT_JOB_OPTIONS, QUEUE_PREFIX, type Env } from '@dpb/platform';
import { auditChunk, openAuditCases, planAuditChunks, type ChunkResult } from '@dpb/audit';
import type { CouncilConfig } from './councils';
import type { StageContext } from './stage';

export const AUDIT_CHUNK_QUEUE = `${QUEUE_PREFIX}-audit-chunk`;

export interface AuditChunkJobData {
  council: string;
  nightDate: string;
  /** Chunk number within the night (0-based), for ids and logs. */
  chunk: number;
  dpIds: string[];
}

/** What a chunk job returns (JSON-safe: pence as strings). */
export interface AuditChunkJobResult {
  considered: number;
  audited: number;
  stored: number;
  emptyWindow: number;
  noLedger: number;
  councilExcessPence: string;
  contributionRefundPence: string;
  missedContributionsPence: string;
  flags: number;
  safeguarding: number;
  reviewsOverdue: number;
}

export function chunkJobResult(r: ChunkResult): AuditChunkJobResult {
  return {
    considered: r.considered,
    audited: r.audited,
    stored: r.stored,
    emptyWindow: r.skipped.EMPTY_WINDOW,
    noLedger: r.skipped.NO_LEDGER,
    councilExcessPence: r.totals.councilExcessPence.toString(),
    contributionRefundPence: r.totals.contributionRefundPence.toString(),
    missedContributionsPence: r.totals.missedContributionsPence.toString(),
    flags: r.flags.MCC + r.flags.CASH,
    safeguarding: r.flags.SAFEGUARDING,
    reviewsOverdue: r.reviewsOverdue,
  };
}

/** The worker side: audits one chunk. */
export async function processAuditChunk(data: AuditChunkJobData, deps: { ds: DataSource; councils: ReadonlyMap<string, CouncilConfig> }): Promise<AuditChunkJobResult> {
  const council = deps.councils.get(data.council);
  if (!council) throw new Error(`council ${data.council} is not configured`);
  const r = await auditChunk(deps.ds, { council: council.code, settings: council.settings, asOf: data.nightDate, dpIds: data.dpIds, findings: openAuditCases });
  return chunkJobResult(r);
}

/** A Worker for the chunk queue (the worker role starts one beside the stage workers). */
export function startAuditChunkWorker(env: Env, deps: { ds: DataSource; councils: ReadonlyMap<string, CouncilConfig>; log: Logger }): Worker<AuditChunkJobData> {
  const w = new Worker<AuditChunkJobData>(AUDIT_CHUNK_QUEUE, (job: Job<AuditChunkJobData>) => processAuditChunk(job.data, deps), {
    ...bullOptions(env),
    concurrency: env.DPB_WORKER_CONCURRENCY,
  });
  w.on('error', (e) => deps.log.error({ queue: AUDIT_CHUNK_QUEUE, err: e }, 'worker error'));
  return w;
}

function chunkJobId(d: AuditChunkJobData): string {
  return `${d.council}.${d.nightDate}.audit.${d.chunk}.${sha256Hex(d.dpIds.join('\n')).slice(0, 12)}`;
}

/**
 * Adds one job per chunk and waits for all of them. A chunk job of the same content that failed
 * before (e.g. the stage is retried) is retried rather than added again.
 */
export async function runAuditChunkJobs(env: Env, council: string, nightDate: string, chunks: string[][], timeoutMs = 3_600_000): Promise<AuditChunkJobResult[]> {
  if (chunks.length === 0) return [];
  const bull = bullOptions(env);
  const queue = new Queue<AuditChunkJobData>(AUDIT_CHUNK_QUEUE, bull);
  const events = new QueueEvents(AUDIT_CHUNK_QUEUE, bull);
  try {
    await events.waitUntilReady();
    const jobs: Job<AuditChunkJobData>[] = [];
    for (const [i, dpIds] of chunks.entries()) {
      const data: AuditChunkJobData = { council, nightDate, chunk: i, dpIds };
      const jobId = chunkJobId(data);
      const known = await queue.getJob(jobId);
      if (known && (await known.isFailed())) await known.retry();
      jobs.push(known ?? (await queue.add('audit-chunk', data, { ...DEFAULT_JOB_OPTIONS, jobId })));
    }
    return await Promise.all(jobs.map(async (j) => (await j.waitUntilFinished(events, timeoutMs)) as AuditChunkJobResult));
  } finally {
    await events.close();
    await queue.close();
  }
}

/**
 * The audit step of the night's reconcile stage: plans the chunks and runs them as worker jobs
 * (in this process when there is one chunk, or with `inProcess`). Counts and totals only.
 */
export async function auditStep(ctx: StageContext, opts: { inProcess?: boolean } = {}): Promise<{ did: boolean; counts: Record<string, number | string>; warnings: string[] }> {
  const { council, nightDate, ds, env, log } = ctx;
  const chunks = await planAuditChunks(ds, council.code, council.settings, nightDate);
  let results: AuditChunkJobResult[] = [];
  // One chunk (a small council) is audited here; more are shared out as worker jobs.
  if (opts.inProcess ?? chunks.length <= 1) {
    for (const dpIds of chunks) {
      results.push(chunkJobResult(await auditChunk(ds, { council: council.code, settings: council.settings, asOf: nightDate, dpIds, findings: openAuditCases })));
    }
  } else {
    results = await runAuditChunkJobs(env, council.code, nightDate, chunks);
  }
  const sum = (k: keyof AuditChunkJobResult) => results.reduce((t, r) => t + BigInt(r[k]), 0n);
  const counts = {
    'audit.chunks': chunks.length,
    'audit.considered': Number(sum('considered')),
    'audit.audited': Number(sum('audited')),
    'audit.stored': Number(sum('stored')),
    'audit.noLedger': Number(sum('noLedger')),
    'audit.flags': Number(sum('flags')),
    'audit.safeguarding': Number(sum('safeguarding')),
    'audit.reviewsOverdue': Number(sum('reviewsOverdue')),
    'audit.councilExcessPence': sum('councilExcessPence').toString(),
    'audit.contributionRefundPence': sum('contributionRefundPence').toString(),
    'audit.missedContributionsPence': sum('missedContributionsPence').toString(),
  };
  log.info({ counts }, 'audit finished');
  const warnings = counts['audit.safeguarding'] > 0 ? [`${counts['audit.safeguarding']} safeguarding item(s) flagged by the account audit (dpbridge cases list --kind SAFEGUARDING)`] : [];
  return { did: counts['audit.stored'] > 0, counts, warnings };
}
