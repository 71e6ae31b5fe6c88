import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PROMETHEUS_CONTENT_TYPE } from '../../../../libs/observability/src';
import { Can } from '../core/actor';
import { ApiMetrics } from './api-metrics';

/** Prometheus scrapes this; it is not part of the API's contract, so it is left out of the OpenAPI document. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Get()
  @Can('metrics.read')
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  async scrape(): Promise<string> {
    await this.metrics.gauges.refresh();
    return this.metrics.registry.metrics();
  }
}
