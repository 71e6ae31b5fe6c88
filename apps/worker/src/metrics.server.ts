// The worker's only HTTP listener: GET /metrics, nothing else. It answers with the worker's registry (process
// metrics and the database gauges) followed by the Temporal SDK's own metrics, fetched from the SDK's exporter on
// loopback, so one scrape target covers both.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createRegistry, DatabaseGauges, PROMETHEUS_CONTENT_TYPE } from '../../../libs/observability/src';
import type { WorkerConfig } from './config';
import { temporalMetricsUrl } from './telemetry';
import { DATA_SOURCE, WORKER_CONFIG } from './tokens';

const TEMPORAL_SCRAPE_TIMEOUT_MS = 2000;

@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MetricsServer.name);
  private readonly registry = createRegistry('worker');
  private readonly gauges: DatabaseGauges;
  private server?: Server;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(DATA_SOURCE) dataSource: DataSource,
  ) {
    this.gauges = new DatabaseGauges(this.registry, dataSource);
  }

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.config.metrics;
    if (!settings) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
        return;
      }
      this.render().then(
        (text) => res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(text),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, settings.host, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on http://${settings.host}:${this.port}/metrics`);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The port the listener is bound to (the configured one, or the one the system chose for port 0). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  private async render(): Promise<string> {
    await this.gauges.refresh();
    const own = await this.registry.metrics();
    return `${own}\n${await this.temporalMetrics()}`;
  }

  private async temporalMetrics(): Promise<string> {
    const url = temporalMetricsUrl();
    if (!url) return '# The Temporal SDK metrics are served by the process that installed the Runtime.\n';
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(TEMPORAL_SCRAPE_TIMEOUT_MS) });
      if (res.ok) return await res.text();
      await res.body?.cancel();
    } catch {
      // Reported below; the worker's own metrics are still worth answering with.
    }
    return '# The Temporal SDK metrics exporter did not answer.\n';
  }
}
