import { Redis, type RedisOptions } from 'ioredis';
import type { ConnectionOptions, DefaultJobOptions } from 'bullmq';

/**
 * Queue names, payloads and job options, shared by producers (cli, scheduler) and consumers
 * (worker). Payloads carry ids, dates and counts only: never personal data or file contents.
 */
export const STAGES = ['care-in', 'payment-run', 'bank-in', 'reconcile', 'reclaim', 'report'] as const;
export type Stage = (typeof STAGES)[number];

export const QUEUE_PREFIX = 'dpb';
export const stageQueue = (stage: Stage): string => `${QUEUE_PREFIX}-${stage}`;
export const ALL_QUEUES: string[] = STAGES.map(stageQueue);

export interface StageJobData {
  council: string;
  /** Civil date of the night, YYYY-MM-DD (Europe/London). */
  nightDate: string;
  stage: Stage;
  /** The night's flow this job belongs to (night.flow_seq; absent means 0, the first flow). */
  flow?: number;
}

/** BullMQ job ids may not contain ':' nor be all digits. */
export function stageJobId(d: Pick<StageJobData, 'council' | 'nightDate' | 'stage'>, attempt = 0): string {
  return `${d.council}.${d.nightDate}.${d.stage}${attempt ? `.r${attempt}` : ''}`;
}

/** Finished jobs are kept for IT support: failures much longer than successes. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000, jitter: 0.2 },
  removeOnComplete: { age: 14 * 24 * 3600, count: 5000 },
  removeOnFail: { age: 90 * 24 * 3600, count: 50000 },
};

/** BullMQ connection options for a `redis://` or `rediss://` URL (workers must not time out). */
export function bullConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null };
}

/** Connection and key prefix for every BullMQ Queue, Worker and FlowProducer of this fleet. */
export function bullOptions(env: { REDIS_URL: string; DPB_QUEUE_PREFIX: string }): { connection: ConnectionOptions; prefix: string } {
  return { connection: bullConnection(env.REDIS_URL), prefix: env.DPB_QUEUE_PREFIX };
}

/** A plain ioredis client, e.g. for the eviction check and health probes. */
export function connectRedis(url: string, extra: RedisOptions = { maxRetriesPerRequest: 3 }): Redis {
  return new Redis(url, extra);
}

export type EvictionCheck = { ok: true; policy: string } | { ok: false; policy: string } | { ok: 'unknown'; reason: string };

/**
 * BullMQ is only correct when Redis never evicts keys. A known policy other than `noeviction`
 * refuses start-up; a managed Redis that will not answer CONFIG GET gives a warning instead.
 */
export async function checkEvictionPolicy(redis: Redis): Promise<EvictionCheck> {
  try {
    const reply = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
    const policy = reply?.[1];
    if (!policy) return { ok: 'unknown', reason: 'CONFIG GET returned nothing' };
    return policy === 'noeviction' ? { ok: true, policy } : { ok: false, policy };
  } catch (e) {
    return { ok: 'unknown', reason: e instanceof Error ? e.message : String(e) };
  }
}
