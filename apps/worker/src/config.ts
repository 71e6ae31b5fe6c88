// The worker's configuration: one validated read of the environment at boot.
import { withSecretFiles } from '../../../libs/config/src';
import { parseRetention, type RetentionPolicy } from '../../../libs/domain/src';
import { logConfigFromEnv, type LogConfig } from '../../../libs/observability/src';
import { databaseUrlsFromEnv } from '../../../libs/persistence/src';
import { temporalConfigFromEnv, type TemporalConfig } from '../../../libs/temporal/src';

/** Delivery of the notification outbox to agency webhooks. */
export interface NotificationConfig {
  /** How often an idle dispatcher looks for due notifications. */
  pollMs: number;
  /** Attempts per notification (the first included) before it becomes a dead letter. */
  maxAttempts: number;
  /** The delay after the first failed attempt; it doubles with every further one. */
  baseBackoffMs: number;
  /** How long one POST to a webhook may take before it counts as failed. */
  timeoutMs: number;
}

export interface WorkerConfig {
  /** The owner role's URL (DATABASE_URL): migrations run as it, and it provisions the application's role. */
  databaseUrl: string;
  /**
   * The application's own role (DATABASE_APP_URL), which may only add to and read the audit trail; when unset,
   * DATABASE_URL with the user exit_pathways_app (libs/persistence/src/database.ts).
   */
  databaseAppUrl?: string;
  temporal: TemporalConfig;
  /** A prebuilt workflow bundle (tests build one per run); otherwise the worker bundles workflows/ itself. */
  workflowBundlePath?: string;
  notifications: NotificationConfig;
  log: LogConfig;
  /** The metrics-only HTTP listener; none when absent (tests that do not read metrics). */
  metrics?: WorkerMetricsConfig;
  /** Pathways kept in the worker's memory between tasks (sticky cache); the SDK's own default when absent. */
  maxCachedWorkflows?: number;
  /**
   * Retention periods (RETENTION_DAYS, libs/domain/src/retention.ts) the daily retention workflow applies; the
   * defaults (DEFAULT_RETENTION) when absent.
   */
  retention?: RetentionPolicy;
  /**
   * Minutes between scheduled reconciliations of the read model with the workflows (a Temporal Schedule the worker
   * creates at start, activities/reconcile.activities.ts); 0 or absent: no schedule.
   */
  reconcileEveryMinutes?: number;
}

/** Reconciliation once an hour: drift is expected to be zero, and a run queries every open pathway. */
export const DEFAULT_RECONCILE_EVERY_MINUTES = 60;

/**
 * Pathways a worker keeps in memory between their tasks. A cached pathway costs about 0.35 MB of RSS (measured,
 * docs/PERFORMANCE.md), so 1,000 is at most ~350 MB; a pathway that falls out of the cache is replayed from its
 * history on its next task (about 0.7 ms per history event). The SDK's own default grows with the machine's memory
 * (about 2,300 on a 24 GiB machine), which is no figure to plan a container by.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 1000;

export interface WorkerMetricsConfig {
  /** 127.0.0.1 unless told otherwise: metrics say how busy the service is, which is nobody else's business. */
  host: string;
  port: number;
  /** host:port where the Temporal SDK serves its own metrics; only the worker itself reads them there. */
  temporalBindAddress: string;
}

function integerFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be an integer ${min}..${max}`);
  return value;
}

export function notificationConfigFromEnv(env: NodeJS.ProcessEnv): NotificationConfig {
  return {
    pollMs: integerFromEnv(env, 'NOTIFY_POLL_MS', 1000, 10, 3_600_000),
    maxAttempts: integerFromEnv(env, 'NOTIFY_MAX_ATTEMPTS', 8, 1, 100),
    baseBackoffMs: integerFromEnv(env, 'NOTIFY_BASE_BACKOFF_MS', 2000, 1, 3_600_000),
    timeoutMs: integerFromEnv(env, 'NOTIFY_TIMEOUT_MS', 5000, 100, 120_000),
  };
}

export function metricsConfigFromEnv(env: NodeJS.ProcessEnv): WorkerMetricsConfig {
  const host = env.METRICS_HOST || '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) throw new Error('METRICS_HOST must be a host name or IP address');
  const temporalBindAddress = env.TEMPORAL_METRICS_ADDRESS || '127.0.0.1:9465';
  if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(temporalBindAddress))
    throw new Error('TEMPORAL_METRICS_ADDRESS must be host:port');
  return { host, port: integerFromEnv(env, 'METRICS_PORT', 9464, 0, 65535), temporalBindAddress };
}

export function workerConfigFromEnv(given: NodeJS.ProcessEnv): WorkerConfig {
  // Every X may come from a file instead, X_FILE (a Docker secret): libs/config/src/secrets.ts.
  const env = withSecretFiles(given);
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  return {
    ...databaseUrlsFromEnv(env),
    temporal: temporalConfigFromEnv(env),
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || undefined,
    retention: parseRetention(env.RETENTION_DAYS),
    notifications: notificationConfigFromEnv(env),
    log: logConfigFromEnv(env),
    metrics: metricsConfigFromEnv(env),
    maxCachedWorkflows: integerFromEnv(env, 'WORKER_MAX_CACHED_WORKFLOWS', DEFAULT_MAX_CACHED_WORKFLOWS, 0, 1_000_000),
    reconcileEveryMinutes: integerFromEnv(env, 'RECONCILE_EVERY_MINUTES', DEFAULT_RECONCILE_EVERY_MINUTES, 0, 10_080),
  };
}
