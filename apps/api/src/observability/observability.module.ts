// Logs and metrics for the API: Nest's Logger writes JSON lines through the process's pino logger, whose HTTP
// middleware is mounted first in apps/api/src/main.ts (observeHttp) so even refused bodies are logged.
import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { ApiMetrics } from './api-metrics';
import { MetricsController } from './metrics.controller';

@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: ObservabilityModule,
      // useExisting: the request's logger is the one observeHttp's pino-http attached to it.
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true })],
      controllers: [MetricsController],
      providers: [ApiMetrics],
      exports: [ApiMetrics],
    };
  }
}
