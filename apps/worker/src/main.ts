// The worker process: a Nest application context (no HTTP listener) that runs the Temporal worker.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import { workerConfigFromEnv, type WorkerConfig } from './config';
import { WorkerModule } from './worker.module';

export async function createWorkerApp(
  config: WorkerConfig,
  logLevels: LogLevel[] = ['error', 'warn', 'log'],
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: logLevels });
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
