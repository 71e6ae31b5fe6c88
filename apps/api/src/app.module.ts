import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AgenciesModule } from './agencies/agencies.module';
import { AuditModule } from './audit/audit.module';
import { CodecModule } from './codec/codec.module';
import { DistrictsModule } from './districts/districts.module';
import { DEFAULT_RATE_LIMIT, type ApiConfig } from './config';
import { ActorGuard } from './core/actor';
import { AnonymousLimiter } from './core/anonymous-limiter';
import { AuditInterceptor } from './core/audit-interceptor';
import { BackPressureInterceptor } from './core/back-pressure-interceptor';
import { CallerThrottlerGuard } from './core/hardening';
import { CoreModule } from './core/core.module';
import { EscalationsModule } from './escalations/escalations.module';
import { HealthModule } from './health/health.module';
import { MeetingsModule } from './meetings/meetings.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ObservabilityModule } from './observability/observability.module';
import { OversightModule } from './oversight/oversight.module';
import { PathwaysModule } from './pathways/pathways.module';
import { PersonsModule } from './persons/persons.module';
import { PlaybooksModule } from './playbooks/playbooks.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { ReportsModule } from './reports/reports.module';
import { TasksModule } from './tasks/tasks.module';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, logger: Logger): DynamicModule {
    const rateLimit = config.rateLimit ?? DEFAULT_RATE_LIMIT;
    return {
      module: AppModule,
      // In this order: who is signing in and may they (apps/api/src/core/actor.ts), then that person's rate limit.
      providers: [
        AnonymousLimiter,
        { provide: APP_GUARD, useClass: ActorGuard },
        { provide: APP_GUARD, useClass: CallerThrottlerGuard },
        // Then a start or a command takes a back-pressure slot, or is answered 503 OVERLOADED before anything else
        // runs (apps/api/src/core/back-pressure.ts): a refused token, role or rate limit is a 401, 403 or 429 whatever
        // is in flight.
        { provide: APP_INTERCEPTOR, useClass: BackPressureInterceptor },
        // The one audit row of a command or read no service audits itself (apps/api/src/core/audited-routes.ts).
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
      imports: [
        ThrottlerModule.forRoot({ throttlers: [{ ttl: rateLimit.windowMs, limit: rateLimit.limit }] }),
        CoreModule.forRoot(config),
        ObservabilityModule.forRoot(logger),
        HealthModule,
        CodecModule,
        PathwaysModule,
        PersonsModule,
        TasksModule,
        AgenciesModule,
        DistrictsModule,
        EscalationsModule,
        MeetingsModule,
        PlaybooksModule,
        NotificationsModule,
        ReconciliationModule,
        OversightModule,
        ReportsModule,
        AuditModule,
      ],
    };
  }
}
