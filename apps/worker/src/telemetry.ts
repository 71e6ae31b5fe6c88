// The Temporal SDK's Runtime is one per process: it gets the worker's pino logger (so the SDK's own lines, and
// activity and workflow log calls, are JSON lines like the rest) and serves the SDK's metrics in Prometheus format
// on a loopback address, which the worker's /metrics passes on (apps/worker/src/metrics.server.ts).
import type { LogLevel as TemporalLogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

const PINO_METHOD = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The SDK's logger interface on top of pino. The SDK passes errors as `error`; pino serializes them as `err`. */
export class PinoTemporalLogger implements TemporalLogger {
  private readonly pino: Logger;

  constructor(root: Logger) {
    this.pino = root.child({ component: 'temporal' });
  }

  log(level: TemporalLogLevel, message: string, meta: LogMetadata = {}): void {
    const { error, ...rest } = meta as { error?: unknown } & Record<string, unknown>;
    this.pino[PINO_METHOD[level] ?? 'info'](error === undefined ? rest : { ...rest, err: error }, message);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

let temporalMetricsAddress: string | undefined;

/**
 * Installs the Runtime with our logger and the SDK's Prometheus exporter on `metricsBindAddress` (host:port).
 * Returns false when this process already has one (a test process runs several workers under one Runtime).
 */
export function installTemporalRuntime(logger: Logger, metricsBindAddress: string): boolean {
  if (Runtime._instance) return false;
  Runtime.install({
    logger: new PinoTemporalLogger(logger),
    telemetryOptions: {
      // The SDK core's own (Rust) lines too, at WARN and above, through the same logger.
      logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} },
      // The same `service` label as the worker's own series (libs/observability/src/metrics.ts).
      metrics: { prometheus: { bindAddress: metricsBindAddress }, globalTags: { service: 'worker' } },
    },
  });
  temporalMetricsAddress = metricsBindAddress;
  return true;
}

/** Where the SDK's Prometheus exporter listens, if this module installed the Runtime. */
export function temporalMetricsUrl(): string | undefined {
  return temporalMetricsAddress && `http://${temporalMetricsAddress}/metrics`;
}
