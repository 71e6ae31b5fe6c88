import { Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../../libs/persistence/src';
import type { WorkerConfig } from './config';
import { NotificationDispatcherService } from './notification-dispatcher.service';
import { TemporalWorkerService } from './temporal-worker.service';
import { DATA_SOURCE, WORKER_CONFIG } from './tokens';

@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: DATA_SOURCE, useFactory: () => openDatabase(config.databaseUrl, { poolSize: 5, statementTimeoutMs: 30_000 }) },
        TemporalWorkerService,
        NotificationDispatcherService,
      ],
      exports: [TemporalWorkerService, NotificationDispatcherService],
    };
  }

  // After the worker and the dispatcher have drained (onModuleDestroy), so no write loses its connection midway.
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
