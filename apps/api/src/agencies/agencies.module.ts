import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { WebhookRepository } from '../../../../libs/persistence/src';
import type { ApiConfig } from '../config';
import { API_CONFIG, DATA_SOURCE } from '../core/tokens';
import { OversightModule } from '../oversight/oversight.module';
import { TasksModule } from '../tasks/tasks.module';
import { AgenciesController } from './agencies.controller';
import { AgenciesService } from './agencies.service';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [TasksModule, OversightModule],
  controllers: [AgenciesController],
  providers: [
    AgenciesService,
    WebhooksService,
    {
      // The master keys seal the webhook secrets at rest.
      provide: WebhookRepository,
      useFactory: (ds: DataSource, config: ApiConfig) => new WebhookRepository(ds, config.temporal.payloadKeys),
      inject: [DATA_SOURCE, API_CONFIG],
    },
  ],
})
export class AgenciesModule {}
