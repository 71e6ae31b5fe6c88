import { Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { appDatabaseUrl, openDatabase } from '../../../libs/persistence/src';
import type { WorkerConfig } from './config';
import { MetricsServer } from './metrics.server';
import { NotificationDispatcherService } from './notification-dispatcher.service';
import { TemporalWorkerService } from './temporal-worker.service';
import { DATA_SOURCE, WORKER_CONFIG } from './tokens';

@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  static forRoot(config: WorkerConfig, logger: Logger): DynamicModule {
    return {
      module: WorkerModule,
      // Nest's own Logger calls become JSON lines of the process's pino logger (apps/worker/src/main.ts).
      imports: [LoggerModule.forRoot({ pinoHttp: { logger } })],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        {
          provide: DATA_SOURCE,
          useFactory: () =>
            openDatabase(config.databaseUrl, {
              poolSize: 5,
              statementTimeoutMs: 30_000,
              appUrl: appDatabaseUrl(config.databaseUrl, config.databaseAppUrl),
              masterKeys: config.temporal.payloadKeys,
            }),
        },
        TemporalWorkerService,
        NotificationDispatcherService,
        MetricsServer,
      ],
      exports: [TemporalWorkerService, NotificationDispatcherService, MetricsServer],
    };
  }

  // After the worker and the dispatcher have drained (onModuleDestroy), so no write loses its connection midway.
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
