import { Module, type DynamicModule, type INestApplicationContext, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { BullBoardModule } from '@bull-board/nestjs';
import { ExpressAdapter } from '@bull-board/express';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import basicAuth from 'express-basic-auth';
import { Logger } from 'nestjs-pino';
import { ALL_QUEUES, checkEvictionPolicy, ConfigError, connectRedis, loadEnv, rootLogger, type Env } from '@dpb/platform';
import { runMigrations } from '@dpb/persistence';
import { defaultStageHandlers } from '../stages';
import { PlatformModule } from './platform.module';
import { StageWorkersService } from './stage-workers.service';
import { SchedulerService } from './scheduler.service';
import { HealthController, StatusController } from './ops.controllers';
import { OfficerController } from './officer.controller';
import { CasesController } from './cases.controller';
import { InvoicesController } from './invoices.controller';
import { AuditController } from './audit.controller';
import { SCHEDULER_QUEUE, STAGE_HANDLERS } from '../tokens';

export type Role = 'worker' | 'scheduler' | 'ops';

@Module({ providers: [StageWorkersService, { provide: STAGE_HANDLERS, useFactory: defaultStageHandlers }] })
export class WorkerRoleModule {}

@Module({ imports: [ScheduleModule.forRoot()], providers: [SchedulerService] })
export class SchedulerRoleModule {}

/** Bull Board at /queues behind basic auth; read-only unless DPB_OPS_READ_ONLY=false. */
@Module({})
export class OpsRoleModule implements NestModule {
  static forRoot(env: Env): DynamicModule {
    const readOnlyMode = env.DPB_OPS_READ_ONLY;
    return {
      module: OpsRoleModule,
      imports: [
        TerminusModule,
        BullBoardModule.forRoot({
          route: '/queues',
          adapter: ExpressAdapter,
          middleware: basicAuth({
            users: { [env.DPB_OPS_USER]: env.DPB_OPS_PASSWORD ?? '' },
            challenge: true,
            authorizer: env.DPB_OPS_PASSWORD ? undefined : () => false,
          }),
        }),
        ...[...ALL_QUEUES, SCHEDULER_QUEUE].map((name) =>
          BullBoardModule.forFeature({ name, adapter: BullMQAdapter, options: { readOnlyMode, allowRetries: !readOnlyMode } }),
        ),
      ],
      controllers: [HealthController, StatusController, OfficerController, CasesController, InvoicesController, AuditController],
    };
  }
  configure(_consumer: MiddlewareConsumer): void {}
}

/** The module for a set of roles in one process (`npm start` runs all three). */
export function appModule(roles: Role[], env: Env): DynamicModule {
  const imports: DynamicModule['imports'] = [PlatformModule.forRoot(env)];
  if (roles.includes('worker')) imports.push(WorkerRoleModule);
  if (roles.includes('scheduler')) imports.push(SchedulerRoleModule);
  if (roles.includes('ops')) imports.push(OpsRoleModule.forRoot(env));
  @Module({})
  class DpbridgeAppModule {}
  return { module: DpbridgeAppModule, imports };
}

/**
 * Starts a process with the given roles: validates config, refuses a Redis that may evict keys,
 * optionally migrates (under the advisory lock), and enables shutdown hooks so SIGTERM drains the
 * workers before the queues close.
 */
export async function bootstrap(roles: Role[], env: Env = loadEnv()): Promise<INestApplicationContext> {
  rootLogger().level = env.LOG_LEVEL;
  const log = rootLogger().child({ roles });
  const redis = connectRedis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000 });
  try {
    await redis.connect();
    const policy = await checkEvictionPolicy(redis);
    if (policy.ok === false) {
      throw new Error(`Redis maxmemory-policy is ${policy.policy}; BullMQ needs noeviction (set it, then restart)`);
    }
    if (policy.ok === 'unknown') log.warn({ reason: policy.reason }, 'cannot read Redis maxmemory-policy; make sure it is noeviction');
  } finally {
    redis.disconnect();
  }
  if (env.DPB_MIGRATE_AT_BOOT) {
    const { applied } = await runMigrations(env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL);
    log.info({ applied: applied.length }, 'migrations checked at boot');
  }
  const module = appModule(roles, env);
  if (roles.includes('ops')) {
    const app = await NestFactory.create(module, { bufferLogs: true });
    app.useLogger(app.get(Logger));
    app.enableShutdownHooks();
    await app.listen(env.DPB_OPS_PORT, '0.0.0.0');
    log.info({ port: env.DPB_OPS_PORT }, 'ops listening');
    return app;
  }
  const app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  log.info('started');
  return app;
}

/** Process entry point for the apps: start, or print the reason and exit 1. */
export function startRoles(roles: Role[]): void {
  bootstrap(roles).catch((e: unknown) => {
    if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
    else rootLogger().fatal({ err: e }, 'start-up failed');
    process.exit(1);
  });
}
