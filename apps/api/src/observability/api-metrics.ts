// The API's Prometheus registry: process metrics, the database gauges, and the commands it took by result.
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createRegistry, DatabaseGauges } from '../../../../libs/observability/src';
import type { ApiConfig } from '../config';
import { DEFAULT_MAX_IN_FLIGHT_COMMANDS, InFlightCommands } from '../core/back-pressure';
import { API_CONFIG, DATA_SOURCE } from '../core/tokens';

/** Routes whose POSTs are commands to a pathway (its events, tasks and escalations); the rest is administration. */
const PATHWAY_COMMAND_ROUTE = /^\/(pathways|tasks|escalations|agencies\/:code\/tasks)\b/;

/** What became of a command, by HTTP status: few enough values to be a label. */
export function resultClass(status: number): string {
  if (status === 503) return 'unavailable';
  if (status >= 200 && status < 300) return 'ok';
  if (status === 400 || status === 413 || status === 415) return 'invalid';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  return status >= 500 ? 'error' : 'other';
}

@Injectable()
export class ApiMetrics {
  readonly registry = createRegistry('api');
  readonly gauges: DatabaseGauges;
  private readonly commands = new Counter({
    name: 'exit_pathway_commands_total',
    help: 'Commands to pathways through the API (POST route template) by result: ok, invalid, forbidden, not_found, conflict, unavailable (503: an outage, overload or a start not written in time), error',
    labelNames: ['command', 'result'],
    registers: [this.registry],
  });

  private readonly overloaded = new Counter({
    name: 'exit_api_commands_overloaded_total',
    help: 'Pathway starts and commands answered 503 OVERLOADED because the in-flight limit was reached (back-pressure)',
    registers: [this.registry],
  });
  /** The starts and commands in flight in this process (back-pressure.ts). */
  readonly inFlight: InFlightCommands;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource, @Inject(API_CONFIG) config: ApiConfig) {
    this.gauges = new DatabaseGauges(this.registry, dataSource);
    this.inFlight = new InFlightCommands({
      ceiling: config.maxInFlightCommands ?? DEFAULT_MAX_IN_FLIGHT_COMMANDS,
      waitMs: config.commandWaitMs,
      calmWaitMs: config.commandCalmWaitMs,
      floor: config.minInFlightCommands,
      onRefused: () => this.overloaded.inc(),
    });
    const slots = this.inFlight;
    new Gauge({
      name: 'exit_api_commands_in_flight',
      help: 'Pathway starts and commands being processed by this API process now',
      registers: [this.registry],
      collect() {
        this.set(slots.current);
      },
    });
    new Gauge({
      name: 'exit_api_commands_in_flight_limit',
      help: 'How many may be in flight now: the recent pace × API_COMMAND_CALM_WAIT_MS (API_COMMAND_WAIT_MS for 10 s after a refusal), at least API_MIN_IN_FLIGHT_COMMANDS, at most API_MAX_IN_FLIGHT_COMMANDS',
      registers: [this.registry],
      collect() {
        this.set(slots.limit);
      },
    });
  }

  /** Counts a finished request if it was a command; `route` is the matched route's template. */
  observe(method: string, route: string | undefined, status: number): void {
    if (method !== 'POST' || !route || !PATHWAY_COMMAND_ROUTE.test(route)) return;
    this.commands.inc({ command: `${method} ${route}`, result: resultClass(status) });
  }
}
