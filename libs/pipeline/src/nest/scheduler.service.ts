import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Cron } from '@nestjs/schedule';
import type { Queue } from 'bullmq';
import { BacsCalendar } from '@dpb/common';
import { rootLogger, type Env } from '@dpb/platform';
import { londonToday } from '../clock';
import { ENV, SCHEDULER_QUEUE } from '../tokens';

/**
 * The scheduler role only enqueues. The nightly trigger is a BullMQ Job Scheduler (one job per
 * tick for the whole fleet, in Europe/London time), so any number of scheduler replicas is safe:
 * each upserts the same scheduler id. @nestjs/schedule is used only for per-process housekeeping.
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap {
  private readonly log = rootLogger().child({ role: 'scheduler' });

  constructor(
    @Inject(ENV) private readonly env: Env,
    @InjectQueue(SCHEDULER_QUEUE) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'nightly',
      { pattern: this.env.DPB_NIGHTLY_CRON, tz: 'Europe/London' },
      { name: 'nightly-tick', data: {}, opts: { removeOnComplete: { count: 400 }, removeOnFail: { count: 400 } } },
    );
    this.log.info({ cron: this.env.DPB_NIGHTLY_CRON, tz: 'Europe/London' }, 'nightly job scheduler in place');
    this.checkCalendarHorizon();
  }

  /** Warns when the bundled bank-holiday table ends within 90 days (IT support updates it). */
  @Cron('0 7 * * *', { timeZone: 'Europe/London' })
  checkCalendarHorizon(): void {
    const warning = BacsCalendar.bundled().horizonWarning(londonToday());
    if (warning) this.log.warn({ warning }, 'bank-holiday table needs updating');
  }
}
