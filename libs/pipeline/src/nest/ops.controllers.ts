import { Controller, Get, Inject, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { OpsBasicAuthGuard } from './officer.controller';
import { getQueueToken } from '@nestjs/bullmq';
import { ModuleRef } from '@nestjs/core';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ALL_QUEUES, checkEvictionPolicy, connectRedis } from '@dpb/platform';
import type { CouncilConfig } from '../councils';
import { fleetStatus } from '../status';
import { probeEndpoint } from '../endpoints';
import { COUNCILS, ENV } from '../tokens';
import type { Env } from '@dpb/platform';

/** Liveness says the process is up; readiness says Postgres, Redis and every endpoint answer. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    @Inject(COUNCILS) private readonly councils: Map<string, CouncilConfig>,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      async () => {
        const i = this.indicator.check('redis');
        const client = connectRedis(this.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
        try {
          await client.connect();
          const policy = await checkEvictionPolicy(client);
          return policy.ok === false ? i.down({ maxmemoryPolicy: policy.policy }) : i.up();
        } catch {
          return i.down({ reason: 'unreachable' });
        } finally {
          client.disconnect();
        }
      },
      async () => {
        const i = this.indicator.check('endpoints');
        const urls = new Set<string>();
        for (const c of this.councils.values()) Object.values(c.endpoints).forEach((u) => urls.add(u));
        const results = await Promise.all([...urls].map((u) => probeEndpoint(u, this.env)));
        const down = results.filter((r) => !r.ok);
        return down.length ? i.down({ unreachable: down.map((r) => r.endpoint) }) : i.up({ checked: results.length });
      },
    ]);
  }
}

/** The fleet status IT support and officers see (`dpbridge status --json` serves the same). */
@Controller('api')
@UseGuards(OpsBasicAuthGuard)
export class StatusController {
  constructor(
    private readonly ds: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  @Get('status')
  async status() {
    const queues = ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    try {
      return await fleetStatus(this.ds, queues);
    } catch {
      // PostgreSQL or Redis restarting: both clients reconnect by themselves; say so, not 500.
      throw new ServiceUnavailableException('database or Redis unavailable (restarting?); the fleet reconnects by itself: retry shortly');
    }
  }
}
