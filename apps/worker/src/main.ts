// The worker process: a Nest application context that runs the Temporal worker; its only HTTP listener serves
// GET /metrics (apps/worker/src/metrics.server.ts).
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { createRootLogger } from '../../../libs/observability/src';
import { workerConfigFromEnv, type WorkerConfig } from './config';
import { installTemporalRuntime } from './telemetry';
import { WorkerModule } from './worker.module';

export async function createWorkerApp(config: WorkerConfig): Promise<INestApplicationContext> {
  const logger = createRootLogger('worker', config.log);
  if (config.metrics) installTemporalRuntime(logger, config.metrics.temporalBindAddress);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  try {
    await app.init();
  } catch (err) {
    // Close what did start (the database pool), so a failed start ends the process instead of hanging it.
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}

if (require.main === module) {
  createWorkerApp(workerConfigFromEnv(process.env))
    .then((app) => app.enableShutdownHooks())
    .catch((err: unknown) => {
      new Logger('worker').error(err instanceof Error ? err.message : 'failed to start');
      process.exitCode = 1;
    });
}
