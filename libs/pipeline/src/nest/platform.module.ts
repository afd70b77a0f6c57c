import { Global, Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS, loadEnv, bullOptions, rootLogger, serializeError, type Env } from '@dpb/platform';
import { dataSourceOptions } from '@dpb/persistence';
import { loadCouncils } from '../councils';
import { COUNCILS, ENV, NIGHT_FLOWS, SCHEDULER_QUEUE } from '../tokens';

/**
 * Everything a dpbridge process shares: validated config, the logger (nestjs-pino with the
 * redaction list), the Postgres data source and the BullMQ queues. Config is validated once, here,
 * before anything connects; a bad value stops the process with one line per problem.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(env: Env = loadEnv()): DynamicModule {
    const councils = loadCouncils(env);
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot({
          // pino-http would otherwise put pino's standard error serializer (message, stack) back.
          pinoHttp: { logger: rootLogger(), autoLogging: false, serializers: { err: serializeError } },
        }),
        TypeOrmModule.forRoot(dataSourceOptions(env.DATABASE_URL)),
        BullModule.forRoot({ ...bullOptions(env), defaultJobOptions: DEFAULT_JOB_OPTIONS }),
        BullModule.registerQueue(...[...ALL_QUEUES, SCHEDULER_QUEUE].map((name) => ({ name }))),
        BullModule.registerFlowProducer({ name: NIGHT_FLOWS }),
      ],
      providers: [
        { provide: ENV, useValue: env },
        { provide: COUNCILS, useValue: councils },
      ],
      exports: [ENV, COUNCILS, BullModule, TypeOrmModule, LoggerModule],
    };
  }
}
