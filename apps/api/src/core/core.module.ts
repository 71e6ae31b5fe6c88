// Shared infrastructure for every API module: configuration, the database, the Temporal client and the guard that
// verifies sign-in tokens.
import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import {
  AuditRepository,
  DistrictRepository,
  EscalationRepository,
  IdempotencyRepository,
  PersonSearchIndex,
  PersonSearchRepository,
  PersonKeys,
  PlaybookRepository,
  QueueRepository,
  ReadRepository,
  TaskRepository,
  TaskNoteRepository,
  UserRepository,
  appDatabaseUrl,
  openDatabase,
} from '../../../../libs/persistence/src';
import { currentRequestId } from '../../../../libs/observability/src';
import { createTemporalClient, requestIdClientInterceptor } from '../../../../libs/temporal/src';
import type { ApiConfig } from '../config';
import { TOKEN_VERIFIER_PROVIDER } from '../auth/bearer';
import { KnownUsers } from '../auth/known-users';
import { TokenVerifier } from '../auth/token-verifier';
import { Assignees } from './assignees';
import { AuditTrail } from './audit-trail';
import { PlaybookService } from './playbook.service';
import { ReferenceData } from './reference-data';
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
          useFactory: () =>
            openDatabase(config.databaseUrl, {
              statementTimeoutMs: config.statementTimeoutMs,
              appUrl: appDatabaseUrl(config.databaseUrl, config.databaseAppUrl),
              masterKeys: config.temporal.payloadKeys,
            }),
        },
        {
          provide: PersonKeys,
          useFactory: (ds: DataSource) => new PersonKeys(ds, config.temporal.payloadKeys),
          inject: [DATA_SOURCE],
        },
        {
          provide: TEMPORAL_CLIENT,
          useFactory: (keys: PersonKeys) =>
            createTemporalClient(config.temporal, [requestIdClientInterceptor(currentRequestId)], keys),
          inject: [PersonKeys],
        },
        {
          provide: ReadRepository,
          useFactory: (ds: DataSource, keys: PersonKeys) => new ReadRepository(ds, keys),
          inject: [DATA_SOURCE, PersonKeys],
        },
        { provide: TaskRepository, useFactory: (ds: DataSource) => new TaskRepository(ds), inject: [DATA_SOURCE] },
        {
          provide: DistrictRepository,
          useFactory: (ds: DataSource) => new DistrictRepository(ds),
          inject: [DATA_SOURCE],
        },
        {
          provide: TaskNoteRepository,
          useFactory: (ds: DataSource) => new TaskNoteRepository(ds),
          inject: [DATA_SOURCE],
        },
        {
          provide: PlaybookRepository,
          useFactory: (ds: DataSource) => new PlaybookRepository(ds),
          inject: [DATA_SOURCE],
        },
        { provide: QueueRepository, useFactory: (ds: DataSource) => new QueueRepository(ds), inject: [DATA_SOURCE] },
        { provide: AuditRepository, useFactory: (ds: DataSource) => new AuditRepository(ds), inject: [DATA_SOURCE] },
        {
          provide: IdempotencyRepository,
          useFactory: (ds: DataSource, keys: PersonKeys) => new IdempotencyRepository(ds, keys),
          inject: [DATA_SOURCE, PersonKeys],
        },
        {
          provide: EscalationRepository,
          useFactory: (ds: DataSource) => new EscalationRepository(ds),
          inject: [DATA_SOURCE],
        },
        {
          provide: PersonSearchRepository,
          useFactory: (ds: DataSource, keys: PersonKeys) =>
            new PersonSearchRepository(ds, new PersonSearchIndex(config.personSearchKey), keys),
          inject: [DATA_SOURCE, PersonKeys],
        },
        AuditTrail,
        { provide: UserRepository, useFactory: (ds: DataSource) => new UserRepository(ds), inject: [DATA_SOURCE] },
        KnownUsers,
        Assignees,
        PlaybookService,
        {
          provide: ReferenceData,
          useFactory: (read: ReadRepository, districts: DistrictRepository) => new ReferenceData(read, districts),
          inject: [ReadRepository, DistrictRepository],
        },
        WorkflowCommands,
        // Who signs in (apps/api/src/core/actor.ts's guard, registered in apps/api/src/app.module.ts).
        TOKEN_VERIFIER_PROVIDER,
      ],
      exports: [
        API_CONFIG,
        DATA_SOURCE,
        TEMPORAL_CLIENT,
        PersonKeys,
        ReadRepository,
        TaskRepository,
        DistrictRepository,
        TaskNoteRepository,
        PlaybookRepository,
        QueueRepository,
        AuditRepository,
        AuditTrail,
        EscalationRepository,
        IdempotencyRepository,
        PersonSearchRepository,
        UserRepository,
        KnownUsers,
        Assignees,
        PlaybookService,
        ReferenceData,
        WorkflowCommands,
        TokenVerifier,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
