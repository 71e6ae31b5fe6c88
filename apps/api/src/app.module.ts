import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { AgenciesModule } from './agencies/agencies.module';
import type { ApiConfig } from './config';
import { CoreModule } from './core/core.module';
import { EscalationsModule } from './escalations/escalations.module';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ObservabilityModule } from './observability/observability.module';
import { PathwaysModule } from './pathways/pathways.module';
import { PlaybooksModule } from './playbooks/playbooks.module';
import { TasksModule } from './tasks/tasks.module';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        ObservabilityModule.forRoot(logger),
        HealthModule,
        PathwaysModule,
        TasksModule,
        AgenciesModule,
        EscalationsModule,
        PlaybooksModule,
        NotificationsModule,
      ],
    };
  }
}
