// The API's configuration: one validated read of the environment at boot.
import {
  DEFAULT_CALM_WAIT_MS,
  DEFAULT_COMMAND_WAIT_MS,
  DEFAULT_MAX_IN_FLIGHT_COMMANDS,
  MIN_IN_FLIGHT_COMMANDS,
} from './core/back-pressure';
import { withSecretFiles } from '../../../libs/config/src';
import { logConfigFromEnv, type LogConfig } from '../../../libs/observability/src';
import { databaseUrlsFromEnv, personSearchKeyFromEnv } from '../../../libs/persistence/src';
import { temporalConfigFromEnv, type TemporalConfig } from '../../../libs/temporal/src';
import { authConfigFromEnv, type AuthConfig } from './auth/auth-config';
import {
  DEFAULT_SUPPRESSION_THRESHOLD,
  isSuppressionThreshold,
  type SuppressionThreshold,
} from '../../../libs/domain/src/statistics/suppression';

export interface ApiConfig {
  /**
   * Make the daily retention schedule at start (RETENTION_SCHEDULE=off to leave it to someone else); on by default.
   * Tests turn it off but in the test of retention itself.
   */
  retentionSchedule?: boolean;
  /** 127.0.0.1 on a developer's machine; 0.0.0.0 inside a container. */
  host: string;
  port: number;
  /** The owner role's URL (DATABASE_URL): migrations run as it, and it provisions the application's role. */
  databaseUrl: string;
  /**
   * The application's own role (DATABASE_APP_URL), which may only add to and read the audit trail; when unset,
   * DATABASE_URL with the user exit_pathways_app (libs/persistence/src/database.ts).
   */
  databaseAppUrl?: string;
  temporal: TemporalConfig;
  /** How long POST /pathways waits for the worker to write the new pathway's tasks before answering 202. */
  openTimeoutMs: number;
  log: LogConfig;
  /** Serve the OpenAPI document and Swagger UI at /api/docs; off by default in production. */
  apiDocs?: boolean;
  /** Browser origins allowed to call the API (the web app); none by default. */
  webOrigins?: string[];
  /**
   * The Temporal UI's origin (TEMPORAL_UI_ORIGIN), the only browser origin that may call the codec endpoint
   * (POST /codec/decode); a browser of any other origin is refused there. Unset: no browser may.
   */
  temporalUiOrigin?: string;
  /** Requests one signed-in person may make per window before answering 429. */
  rateLimit?: RateLimit;
  /**
   * Requests without a valid token (public routes but /health, refused tokens) one client address may make per
   * window before answering 429 (apps/api/src/core/hardening.ts, AnonymousLimiter).
   */
  anonymousRateLimit?: RateLimit;
  /** Express's `trust proxy` (TRUST_PROXY): set it to the proxy's address or hop count behind a proxy. */
  trustProxy?: boolean | number | string;
  /** How long one call to Temporal (a command, a start) may take before the answer is a 503. */
  temporalCallTimeoutMs?: number;
  /** Plain http webhook URLs are accepted (development only; NODE_ENV=production demands https). */
  webhookHttpAllowed?: boolean;
  /** Pathway starts and commands in flight in this process before the answer is 503 OVERLOADED (back-pressure.ts). */
  maxInFlightCommands?: number;
  /** API_COMMAND_WAIT_MS: at most the commands finished in this long at the recent pace are in flight (back-pressure.ts). */
  commandWaitMs?: number;
  /** API_COMMAND_CALM_WAIT_MS: the same while nothing has been refused for 10 s (back-pressure.ts). */
  commandCalmWaitMs?: number;
  /** API_MIN_IN_FLIGHT_COMMANDS: admitted at once whatever the pace, e.g. by a quiet process (back-pressure.ts). */
  minInFlightCommands?: number;
  /** How long one database statement may take before the answer is a 503. */
  statementTimeoutMs?: number;
  /**
   * How many days after its task ended (done or cancelled) an agency still sees the person at GET /tasks/:id; after
   * that the task shows without the person. The coordinators and the operative group are not limited by it.
   */
  personVisibleDaysAfterTask?: number;
  /** The sign-in token issuer (apps/api/src/auth/auth-config.ts): every request but /health and /metrics needs a token. */
  auth: AuthConfig;
  /** The web app's public client id at that issuer (OIDC_WEB_CLIENT_ID; exit-pathways-web when unset). */
  webClientId?: string;
  /** Published reports show no figure from fewer people than this (REPORT_MIN_CELL: 3 or 5). */
  reportMinCell?: SuppressionThreshold;
  /**
   * The key of the people's blind index (PERSON_SEARCH_KEY or PERSON_SEARCH_KEY_FILE,
   * libs/persistence/src/person-search.ts), the worker's too; required in production, a development key elsewhere
   * when absent.
   */
  personSearchKey?: Buffer;
}

export const DEFAULT_TEMPORAL_CALL_TIMEOUT_MS = 15_000;
export const DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK = 30;

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** 300 reads of one person in 7 seconds is a script, not a caseworker: 100 requests per 10 seconds per caller. */
export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 100, windowMs: 10_000 };

/**
 * Without a valid token nobody needs many requests: the web app's sign-in, a scraper of /metrics, a token that just
 * expired. 30 per minute per address leaves them room and makes guessing tokens slow.
 */
export const DEFAULT_ANONYMOUS_RATE_LIMIT: RateLimit = { limit: 30, windowMs: 60_000 };

export function apiConfigFromEnv(given: NodeJS.ProcessEnv): ApiConfig {
  // Every X may come from a file instead, X_FILE (a Docker secret): libs/config/src/secrets.ts.
  const env = withSecretFiles(given);
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('PORT must be a port number');
  const openTimeoutMs = Number(env.PATHWAY_OPEN_TIMEOUT_MS ?? 10000);
  if (!Number.isInteger(openTimeoutMs) || openTimeoutMs < 100)
    throw new Error('PATHWAY_OPEN_TIMEOUT_MS must be >= 100');
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    ...databaseUrlsFromEnv(env),
    temporal: temporalConfigFromEnv(env),
    retentionSchedule: env.RETENTION_SCHEDULE !== 'off',
    openTimeoutMs,
    log: logConfigFromEnv(env),
    apiDocs: onOff(env.API_DOCS, 'API_DOCS') ?? env.NODE_ENV !== 'production',
    webOrigins: origins(env.WEB_ORIGIN),
    ...(env.TEMPORAL_UI_ORIGIN ? { temporalUiOrigin: origins(env.TEMPORAL_UI_ORIGIN, 'TEMPORAL_UI_ORIGIN')[0] } : {}),
    temporalCallTimeoutMs:
      positiveInteger(env.TEMPORAL_CALL_TIMEOUT_MS, 'TEMPORAL_CALL_TIMEOUT_MS') ?? DEFAULT_TEMPORAL_CALL_TIMEOUT_MS,
    statementTimeoutMs: positiveInteger(env.DB_STATEMENT_TIMEOUT_MS, 'DB_STATEMENT_TIMEOUT_MS'),
    webhookHttpAllowed: env.NODE_ENV !== 'production',
    maxInFlightCommands:
      positiveInteger(env.API_MAX_IN_FLIGHT_COMMANDS, 'API_MAX_IN_FLIGHT_COMMANDS') ?? DEFAULT_MAX_IN_FLIGHT_COMMANDS,
    commandWaitMs: positiveInteger(env.API_COMMAND_WAIT_MS, 'API_COMMAND_WAIT_MS') ?? DEFAULT_COMMAND_WAIT_MS,
    commandCalmWaitMs:
      positiveInteger(env.API_COMMAND_CALM_WAIT_MS, 'API_COMMAND_CALM_WAIT_MS') ?? DEFAULT_CALM_WAIT_MS,
    minInFlightCommands:
      positiveInteger(env.API_MIN_IN_FLIGHT_COMMANDS, 'API_MIN_IN_FLIGHT_COMMANDS') ?? MIN_IN_FLIGHT_COMMANDS,
    rateLimit: {
      limit: positiveInteger(env.RATE_LIMIT, 'RATE_LIMIT') ?? DEFAULT_RATE_LIMIT.limit,
      windowMs: positiveInteger(env.RATE_LIMIT_WINDOW_MS, 'RATE_LIMIT_WINDOW_MS') ?? DEFAULT_RATE_LIMIT.windowMs,
    },
    anonymousRateLimit: {
      limit: positiveInteger(env.ANONYMOUS_RATE_LIMIT, 'ANONYMOUS_RATE_LIMIT') ?? DEFAULT_ANONYMOUS_RATE_LIMIT.limit,
      windowMs:
        positiveInteger(env.ANONYMOUS_RATE_LIMIT_WINDOW_MS, 'ANONYMOUS_RATE_LIMIT_WINDOW_MS') ??
        DEFAULT_ANONYMOUS_RATE_LIMIT.windowMs,
    },
    ...(env.TRUST_PROXY ? { trustProxy: trustProxy(env.TRUST_PROXY) } : {}),
    personVisibleDaysAfterTask:
      positiveInteger(env.PERSON_VISIBLE_DAYS_AFTER_TASK, 'PERSON_VISIBLE_DAYS_AFTER_TASK') ??
      DEFAULT_PERSON_VISIBLE_DAYS_AFTER_TASK,
    auth: authConfigFromEnv(env),
    webClientId: env.OIDC_WEB_CLIENT_ID || undefined,
    reportMinCell: reportMinCell(env.REPORT_MIN_CELL),
    personSearchKey: personSearchKeyFromEnv(env),
  };
}

function reportMinCell(value: string | undefined): SuppressionThreshold {
  if (value === undefined || value === '') return DEFAULT_SUPPRESSION_THRESHOLD;
  const n = Number(value);
  if (!isSuppressionThreshold(n)) throw new Error('REPORT_MIN_CELL must be 3 or 5');
  return n;
}

/** TRUST_PROXY: true, a hop count, or the proxy's addresses (Express's `trust proxy` values). */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function onOff(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`${name} must be on or off`);
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number >= 1`);
  return n;
}

/** WEB_ORIGIN: comma-separated origins such as https://exit.kk.dk, each scheme://host[:port] with nothing after. */
function origins(value: string | undefined, name = 'WEB_ORIGIN'): string[] {
  const list = (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of list) {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin))
      throw new Error(`${name} must list origins such as https://exit.example.dk`);
  }
  return list;
}
