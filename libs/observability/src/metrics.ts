// Prometheus metrics shared by the API and the worker: the process's own (heap, event loop, CPU), and gauges of
// the shared database computed by SQL on every scrape, so they are never stale and cost nothing between scrapes.
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A scrape must answer quickly even with a sick database: its statements are cut off after this long. */
export const GAUGE_STATEMENT_TIMEOUT_MS = 2000;

// One statement, each part served by a partial index (see libs/persistence/src/migrations): the outbox's
// notifications_due_idx and notifications_dead_idx, escalations_open_idx, and tasks_open_age_idx.
const GAUGE_SQL = `
  SELECT 'outbox_pending' AS metric, NULL AS label, count(*)::float8 AS value
    FROM notifications WHERE status = 'PENDING'
  UNION ALL
  SELECT 'outbox_dead', NULL, count(*)::float8 FROM notifications WHERE status = 'DEAD'
  UNION ALL
  SELECT 'escalations_open', level::text, count(*)::float8 FROM escalations WHERE status = 'OPEN' GROUP BY level
  UNION ALL
  SELECT 'oldest_open_task', agency_code, extract(epoch FROM now() - min(created_at))::float8
    FROM tasks WHERE status IN ('OPEN', 'CLAIMED') GROUP BY agency_code
  UNION ALL
  SELECT kind, NULL, value FROM (
    SELECT r.* FROM reconciliation_runs r ORDER BY id DESC LIMIT 1
  ) last, LATERAL (VALUES ('reconciliation_drift', drifted::float8), ('reconciliation_missing', missing::float8)) v(kind, value)`;

/** The application's gauges, read from the database when `refresh` is called (on scrape). */
export class DatabaseGauges {
  private readonly up: Gauge;
  private readonly outboxPending: Gauge;
  private readonly outboxDead: Gauge;
  private readonly escalationsOpen: Gauge<'level'>;
  private readonly oldestOpenTask: Gauge<'agency'>;
  private readonly reconciliationDrift: Gauge;
  private readonly reconciliationMissing: Gauge;

  constructor(
    registry: Registry,
    private readonly dataSource: DataSource,
  ) {
    const registers = [registry];
    this.up = new Gauge({
      name: 'exit_database_gauges_up',
      help: '1 if the last scrape could read the exit_* database gauges, 0 if the query failed or timed out',
      registers,
    });
    this.outboxPending = new Gauge({
      name: 'exit_outbox_pending',
      help: 'Notifications waiting for delivery to an agency webhook (first attempt or retry)',
      registers,
    });
    this.outboxDead = new Gauge({
      name: 'exit_outbox_dead_letters',
      help: 'Notifications given up on after their last attempt (requeue with POST /notifications/{id}/requeue)',
      registers,
    });
    this.escalationsOpen = new Gauge({
      name: 'exit_escalations_open',
      help: 'Open escalations by level of the escalation ladder (1 or 2)',
      labelNames: ['level'],
      registers,
    });
    this.oldestOpenTask = new Gauge({
      name: 'exit_oldest_open_task_age_seconds',
      help: 'Age of the oldest open or claimed task per agency; agencies without open tasks are absent',
      labelNames: ['agency'],
      registers,
    });
    this.reconciliationDrift = new Gauge({
      name: 'exit_reconciliation_drift',
      help: 'Pathways whose read model differed from their workflow in the last reconciliation run (repaired); 0 expected',
      registers,
    });
    this.reconciliationMissing = new Gauge({
      name: 'exit_reconciliation_missing',
      help: 'Running pathway workflows without a read-model row in the last reconciliation run; 0 expected',
      registers,
    });
  }

  async refresh(): Promise<void> {
    let rows: { metric: string; label: string | null; value: number }[];
    try {
      rows = await this.dataSource.transaction(async (manager) => {
        // SET LOCAL: the timeout ends with this transaction and never leaks to the pooled connection's next user.
        await manager.query(`SET LOCAL statement_timeout = ${GAUGE_STATEMENT_TIMEOUT_MS}`);
        return manager.query(GAUGE_SQL);
      });
    } catch {
      // Absent rather than stale: a gauge that silently kept its last value would hide the outage.
      for (const gauge of [
        this.outboxPending,
        this.outboxDead,
        this.escalationsOpen,
        this.oldestOpenTask,
        this.reconciliationDrift,
        this.reconciliationMissing,
      ])
        gauge.reset();
      this.up.set(0);
      return;
    }
    this.escalationsOpen.reset();
    this.oldestOpenTask.reset();
    // Both levels always, so "no level 2 escalation" is a 0 and not a missing series.
    this.escalationsOpen.set({ level: '1' }, 0);
    this.escalationsOpen.set({ level: '2' }, 0);
    for (const { metric, label, value } of rows) {
      if (metric === 'outbox_pending') this.outboxPending.set(value);
      else if (metric === 'outbox_dead') this.outboxDead.set(value);
      else if (metric === 'escalations_open') this.escalationsOpen.set({ level: label ?? '' }, value);
      else if (metric === 'oldest_open_task') this.oldestOpenTask.set({ agency: label ?? '' }, value);
      else if (metric === 'reconciliation_drift') this.reconciliationDrift.set(value);
      else if (metric === 'reconciliation_missing') this.reconciliationMissing.set(value);
    }
    this.up.set(1);
  }
}

/** A registry with the Node.js process metrics and a `service` label on every series. */
export function createRegistry(service: 'api' | 'worker'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
