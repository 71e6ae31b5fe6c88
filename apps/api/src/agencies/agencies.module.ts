import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { WebhookRepository } from '../../../../libs/persistence/src';
import { DATA_SOURCE } from '../core/tokens';
import { TasksModule } from '../tasks/tasks.module';
import { AgenciesController } from './agencies.controller';
import { AgenciesService } from './agencies.service';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [TasksModule],
  controllers: [AgenciesController],
  providers: [
    AgenciesService,
    WebhooksService,
    { provide: WebhookRepository, useFactory: (ds: DataSource) => new WebhookRepository(ds), inject: [DATA_SOURCE] },
  ],
})
export class AgenciesModule {}
