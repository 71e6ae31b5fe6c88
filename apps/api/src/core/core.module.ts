// Shared infrastructure for every API module: configuration, the database, the Temporal client and the guard that
// resolves who acts.
import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import {
  AuditRepository,
  EscalationRepository,
  IdempotencyRepository,
  PlaybookRepository,
  QueueRepository,
  ReadRepository,
  TaskRepository,
  openDatabase,
} from '../../../../libs/persistence/src';
import { currentRequestId } from '../../../../libs/observability/src';
import { createTemporalClient, requestIdClientInterceptor } from '../../../../libs/temporal/src';
import type { ApiConfig } from '../config';
import { ActorGuard } from './actor';
import { PlaybookService } from './playbook.service';
import { WorkflowCommands } from './workflow-commands';
import { API_CONFIG, DATA_SOURCE, TEMPORAL_CLIENT } from './tokens';

@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        {
          provide: DATA_SOURCE,
          useFactory: () => openDatabase(config.databaseUrl, { statementTimeoutMs: config.statementTimeoutMs }),
        },
        {
          provide: TEMPORAL_CLIENT,
          useFactory: () => createTemporalClient(config.temporal, [requestIdClientInterceptor(currentRequestId)]),
        },
        { provide: ReadRepository, useFactory: (ds: DataSource) => new ReadRepository(ds), inject: [DATA_SOURCE] },
        { provide: TaskRepository, useFactory: (ds: DataSource) => new TaskRepository(ds), inject: [DATA_SOURCE] },
        {
          provide: PlaybookRepository,
          useFactory: (ds: DataSource) => new PlaybookRepository(ds),
          inject: [DATA_SOURCE],
        },
        { provide: QueueRepository, useFactory: (ds: DataSource) => new QueueRepository(ds), inject: [DATA_SOURCE] },
        { provide: AuditRepository, useFactory: (ds: DataSource) => new AuditRepository(ds), inject: [DATA_SOURCE] },
        {
          provide: IdempotencyRepository,
          useFactory: (ds: DataSource) => new IdempotencyRepository(ds),
          inject: [DATA_SOURCE],
        },
        {
          provide: EscalationRepository,
          useFactory: (ds: DataSource) => new EscalationRepository(ds),
          inject: [DATA_SOURCE],
        },
        PlaybookService,
        WorkflowCommands,
        // Every route: who acts, and whether the policy lets them (apps/api/src/core/actor.ts).
        { provide: APP_GUARD, useClass: ActorGuard },
      ],
      exports: [
        API_CONFIG,
        DATA_SOURCE,
        TEMPORAL_CLIENT,
        ReadRepository,
        TaskRepository,
        PlaybookRepository,
        QueueRepository,
        AuditRepository,
        EscalationRepository,
        IdempotencyRepository,
        PlaybookService,
        WorkflowCommands,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
