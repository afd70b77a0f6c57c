import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectFlowProducer } from '@nestjs/bullmq';
import { Queue, Worker, type FlowProducer, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { ALL_QUEUES, rootLogger, STAGES, stageQueue, bullOptions, type Env, type StageJobData } from '@dpb/platform';
import type { CouncilConfig } from '../councils';
import { enqueueNight } from '../night';
import { sweepNights } from '../recovery';
import { runStage, type StageHandlers } from '../stage';
import { londonToday } from '../clock';
import { startAuditChunkWorker } from '../audit-jobs';
import { COUNCILS, ENV, NIGHT_FLOWS, SCHEDULER_QUEUE, STAGE_HANDLERS } from '../tokens';

/**
 * The worker role: one BullMQ Worker per stage queue (any number of worker processes may run),
 * plus the consumer of the scheduler's ticks. Workers are closed in beforeApplicationShutdown,
 * before @nestjs/bullmq closes the queues, so a job finishing during the drain can still enqueue;
 * the drain is bounded by DPB_SHUTDOWN_GRACE_MS.
 */
@Injectable()
export class StageWorkersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = rootLogger().child({ role: 'worker' });
  private workers: Worker[] = [];
  private queues = new Map<string, Queue>();
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<unknown>;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(COUNCILS) private readonly councils: Map<string, CouncilConfig>,
    @Inject(STAGE_HANDLERS) private readonly handlers: StageHandlers,
    @InjectFlowProducer(NIGHT_FLOWS) private readonly flows: FlowProducer,
    private readonly ds: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const bull = bullOptions(this.env);
    for (const stage of STAGES) {
      const worker = new Worker<StageJobData>(
        stageQueue(stage),
        (job) => this.process(job),
        {
          ...bull,
          concurrency: this.env.DPB_WORKER_CONCURRENCY,
          autorun: true,
          // A killed worker's job is moved back to waiting after about one stall interval; after
          // DPB_MAX_STALLED_COUNT stalls BullMQ fails it and the recovery sweep starts a new flow.
          stalledInterval: this.env.DPB_STALLED_INTERVAL_MS,
          lockDuration: this.env.DPB_STALLED_INTERVAL_MS,
          maxStalledCount: this.env.DPB_MAX_STALLED_COUNT,
        },
      );
      this.queues.set(stageQueue(stage), new Queue(stageQueue(stage), bull));
      worker.on('error', (e) => this.log.error({ queue: worker.name, err: e }, 'worker error'));
      this.workers.push(worker);
    }
    // The reconcile stage's audit runs as chunk jobs shared by every worker process.
    this.workers.push(startAuditChunkWorker(this.env, { ds: this.ds, councils: this.councils, log: this.log }));
    const ticks = new Worker(SCHEDULER_QUEUE, (job) => this.tick(job), { ...bull, concurrency: 1 });
    ticks.on('error', (e) => this.log.error({ queue: SCHEDULER_QUEUE, err: e }, 'worker error'));
    this.workers.push(ticks);
    this.log.info({ queues: ALL_QUEUES.length + 1, concurrency: this.env.DPB_WORKER_CONCURRENCY }, 'workers started');
    this.sweepTimer = setInterval(() => void this.sweep(), this.env.DPB_RECOVERY_INTERVAL_MS);
  }

  /** One recovery sweep at a time per process; a database or Redis outage just skips a round. */
  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = sweepNights(this.ds, this.flows, this.queues, {
      graceMs: this.env.DPB_RECOVERY_GRACE_MS,
      maxRecoveries: this.env.DPB_NIGHT_RECOVERIES,
      log: this.log,
      councils: [...this.councils.keys()],
    }).catch((e: unknown) => this.log.warn({ err: e }, 'recovery sweep skipped'));
    try {
      await this.sweeping;
    } finally {
      this.sweeping = undefined;
    }
  }

  private async process(job: Job<StageJobData>): Promise<unknown> {
    return runStage(this.handlers, job.data, { ds: this.ds, env: this.env, log: this.log, councils: this.councils });
  }

  /** A scheduler tick enqueues tonight for every council; the night table makes repeats no-ops. */
  private async tick(job: Job<{ nightDate?: string }>): Promise<unknown> {
    const nightDate = job.data?.nightDate ?? londonToday();
    const results = [];
    for (const code of [...this.councils.keys()].sort()) {
      results.push(await enqueueNight(this.ds, this.flows, code, nightDate));
    }
    return results.map((r) => ({ council: r.council, enqueued: r.enqueued }));
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.log.info({ signal, workers: this.workers.length }, 'draining workers');
    clearInterval(this.sweepTimer);
    await this.sweeping;
    const grace = this.env.DPB_SHUTDOWN_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), grace)));
    const drained = Promise.all(this.workers.map((w) => w.close())).then(() => 'drained' as const);
    const outcome = await Promise.race([drained, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.log.warn({ graceMs: grace }, 'workers did not drain in time; forcing close (jobs will be retried as stalled)');
      await Promise.all(this.workers.map((w) => w.close(true)));
    } else {
      this.log.info('workers drained');
    }
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
