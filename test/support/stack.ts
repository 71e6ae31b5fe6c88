// A whole stack for one test file: its own database (a copy of the migrated template, dropped after stop), its
// own task queue, the real worker application and the real API application listening on a free port.
import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { ApiConfig } from '../../apps/api/src/config';
import type { RetentionPolicy } from '../../libs/domain/src';
import { DATA_SOURCE } from '../../apps/api/src/core/tokens';
import { createApiApp } from '../../apps/api/src/main';
import { notificationConfigFromEnv, type NotificationConfig } from '../../apps/worker/src/config';
import { createWorkerApp } from '../../apps/worker/src/main';
import { MetricsServer } from '../../apps/worker/src/metrics.server';
import type { LogConfig } from '../../libs/observability/src';
import { PersonKeys, openDatabase } from '../../libs/persistence/src';
import { createDatabase, dropDatabase, withDatabase } from '../../scripts/dev-stack/postgres-server';
import { createTemporalClient, parsePayloadKeys, type TemporalConfig } from '../../libs/temporal/src';
import { findDevUser } from '../../scripts/dev-stack/dev-accounts';
import { startTestIssuer, type TestIssuer } from './dev-issuer';
import { startProxy, type FreezableProxy } from './proxy';
import { TEST_NAMESPACE, quietTemporalRuntime, sharedTestEnv } from './shared-env';

export interface TestStack {
  baseUrl: string;
  databaseUrl: string;
  temporal: TemporalConfig;
  client: Client;
  db: DataSource;
  /** The API's own pool (a test counts what the API sends: test/support/sql-count.ts). */
  apiDb: DataSource;
  /** GET /metrics of the worker, when started with `workerMetrics`. */
  workerMetricsUrl?: string;
  /** With `proxied`: what stands between the API and its dependencies. */
  proxies?: { database: FreezableProxy; temporal: FreezableProxy };
  /** The development OpenID Provider this stack's API trusts (test/support/dev-issuer.ts), on a free port. */
  issuer: TestIssuer;
  /** An access token for a demo account (scripts/dev-stack/dev-accounts.ts), from a real sign-in; one per account. */
  tokenFor(username: string): Promise<string>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(
  options: {
    worker?: boolean;
    openTimeoutMs?: number;
    payloadKeys?: string;
    /** Outbox delivery settings for the worker; the production defaults otherwise. */
    notifications?: Partial<NotificationConfig>;
    /** Where the API's and the worker's JSON log lines go, and from which level; errors to stdout otherwise. */
    log?: LogConfig;
    /** Starts the worker's metrics listener on a free loopback port. */
    workerMetrics?: boolean;
    /** API settings beyond the essentials (docs, origins, rate limit, timeouts). */
    api?: Pick<
      ApiConfig,
      | 'apiDocs'
      | 'webOrigins'
      | 'rateLimit'
      | 'anonymousRateLimit'
      | 'temporalCallTimeoutMs'
      | 'statementTimeoutMs'
      | 'maxInFlightCommands'
      | 'minInFlightCommands'
      | 'webhookHttpAllowed'
      | 'temporalUiOrigin'
    >;
    /** The API's port; a free one when unset (a sign-in redirect URI must name it before the API starts). */
    port?: number;
    /** The API reaches PostgreSQL and Temporal through proxies a test can freeze (`stack.proxies`). */
    proxied?: boolean;
    /** The API makes the daily retention schedule (off in every other test: schedules outlive a test's stack). */
    retentionSchedule?: boolean;
    /** The worker's retention periods (libs/domain/src/retention.ts); the defaults otherwise. */
    retention?: RetentionPolicy;
    /** The development issuer's settings (a short token lifetime, say). */
    issuer?: Parameters<typeof startTestIssuer>[0];
    /**
     * The newest playbook, which new pathways start on: 3 as in production (the API publishes every bundled version
     * at boot), 2 for the suites that assert on v2's tasks, or 1 (the default here) for those on v1's; the newer
     * versions are then removed after boot.
     */
    playbook?: 1 | 2 | 3;
    /** Where the API, the worker and the test's client reach Temporal, and with which TLS: the shared dev server otherwise. */
    temporal?: Pick<TemporalConfig, 'address' | 'tls'>;
  } = {},
): Promise<TestStack> {
  // Unless the test file installed the Temporal Runtime itself (to read its logs or metrics).
  quietTemporalRuntime();
  const shared = sharedTestEnv();
  const dbName = `${shared.databasePrefix}${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await createDatabase(shared.postgresServerUrl, dbName, { template: shared.templateDatabase });
  const databaseUrl = withDatabase(shared.postgresServerUrl, dbName);
  const temporal: TemporalConfig = {
    address: options.temporal?.address ?? shared.temporalAddress,
    ...(options.temporal?.tls ? { tls: options.temporal.tls } : {}),
    namespace: TEST_NAMESPACE,
    taskQueue: `test-${randomUUID()}`,
    payloadKeys: parsePayloadKeys(options.payloadKeys ?? shared.payloadKeys, undefined),
  };
  const db = await openDatabase(databaseUrl, { poolSize: 3 });
  const log: LogConfig = options.log ?? { level: 'error' };
  const proxies = options.proxied ? await proxiesFor(databaseUrl, temporal.address) : undefined;
  const issuer = await startTestIssuer(options.issuer);
  const api: INestApplication = await createApiApp({
    host: '127.0.0.1',
    port: 0,
    databaseUrl: proxies ? viaProxy(databaseUrl, proxies.database.port) : databaseUrl,
    temporal: proxies ? { ...temporal, address: `127.0.0.1:${proxies.temporal.port}` } : temporal,
    openTimeoutMs: options.openTimeoutMs ?? 15000,
    log,
    // Tests fire requests faster than any person: the limit is tested on its own (test/integration/access/hardening.ts).
    rateLimit: { limit: 1_000_000, windowMs: 60_000 },
    anonymousRateLimit: { limit: 1_000_000, windowMs: 60_000 },
    auth: issuer.authConfig(),
    retentionSchedule: options.retentionSchedule ?? false,
    ...options.api,
  });
  await api.listen(options.port ?? 0, '127.0.0.1');
  await db.query(`DELETE FROM playbooks WHERE version > $1`, [options.playbook ?? 1]);
  const address = api.getHttpServer().address() as { port: number };
  const client = await createTemporalClient(temporal, [], new PersonKeys(db, temporal.payloadKeys));

  let worker: INestApplicationContext | undefined;
  const tokens = new Map<string, Promise<string>>();
  const stack: TestStack = {
    baseUrl: `http://127.0.0.1:${address.port}`,
    databaseUrl,
    temporal,
    client,
    db,
    apiDb: api.get<typeof DATA_SOURCE, DataSource>(DATA_SOURCE),
    ...(proxies ? { proxies } : {}),
    issuer,
    tokenFor(username) {
      if (!findDevUser(username)) throw new Error(`no demo account ${username}`);
      let token = tokens.get(username);
      if (!token) {
        token = issuer.token(username);
        tokens.set(username, token);
      }
      return token;
    },
    async startWorker() {
      if (worker) return;
      const notifications = { ...notificationConfigFromEnv({}), ...options.notifications };
      // The Temporal SDK's metrics address only matters to the process that installs the Runtime first.
      const metrics = options.workerMetrics
        ? { host: '127.0.0.1', port: 0, temporalBindAddress: '127.0.0.1:0' }
        : undefined;
      worker = await createWorkerApp({
        databaseUrl,
        temporal,
        workflowBundlePath: shared.workflowBundlePath,
        notifications,
        log,
        metrics,
        ...(options.retention ? { retention: options.retention } : {}),
      });
      const port = worker.get(MetricsServer).port;
      stack.workerMetricsUrl = port ? `http://127.0.0.1:${port}/metrics` : undefined;
    },
    async stopWorker() {
      await worker?.close();
      worker = undefined;
    },
    async stop() {
      await stack.stopWorker();
      proxies?.database.thaw();
      proxies?.temporal.thaw();
      await api.close();
      await proxies?.database.close();
      await proxies?.temporal.close();
      await client.connection.close();
      await db.destroy();
      await issuer.stop();
      // Not awaited: PostgreSQL checkpoints for every DROP DATABASE, seconds on a busy server, and nothing needs
      // the database gone before the next file starts. test/global-teardown.ts drops whatever is left at the end.
      void dropDatabase(shared.postgresServerUrl, dbName).catch(() => undefined);
    },
  };
  if (options.worker !== false) await stack.startWorker();
  return stack;
}

async function proxiesFor(
  databaseUrl: string,
  temporalAddress: string,
): Promise<{ database: FreezableProxy; temporal: FreezableProxy }> {
  const db = new URL(databaseUrl);
  const [host, port] = temporalAddress.split(':');
  return {
    database: await startProxy(db.hostname, Number(db.port || 5432)),
    temporal: await startProxy(host, Number(port)),
  };
}

function viaProxy(databaseUrl: string, port: number): string {
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

/**
 * Who completes each first-contact task of playbooks v1 and v2 in the tests: the agency's caseworker, and for the
 * EAS analysis task the coordinator (who sits in POLICE_EAS).
 */
export const CONTACT_WORKER: Readonly<Record<string, string>> = {
  POLICE_EAS: 'koordinator',
  SSP: 'ssp-sagsbehandler',
  POLICE_DKS: 'dks-sagsbehandler',
  BORGERCENTER_BU: 'borgercenter-sagsbehandler',
};

export interface HttpResult<T = any> {
  status: number;
  body: T;
}

/**
 * Headers of a test request, plus who sends it, which every request names (so no test forgets the caller):
 * - `as`: the demo account signed in (scripts/dev-stack/dev-accounts.ts), or `anonymous` for no token at all;
 * - or an `authorization` header, sent as it is (a token the test made).
 */
export type RequestHeaders = Record<string, string> & ({ as: string } | { authorization: string });

/** A JSON request as a client would send it. */
export async function http<T = any>(
  stack: TestStack,
  method: string,
  path: string,
  body: unknown,
  headers: RequestHeaders,
): Promise<HttpResult<T>> {
  const { as, ...sent } = headers;
  if (as === undefined && !('authorization' in sent))
    throw new Error(
      `http(${method} ${path}) names no caller: pass { as: '<demo account>' } (scripts/dev-stack/dev-accounts.ts), ` +
        `{ as: 'anonymous' } or an authorization header`,
    );
  if (as !== undefined && as !== 'anonymous') sent.authorization = `Bearer ${await stack.tokenFor(as)}`;
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...sent },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as T) : (undefined as T) };
}

/** Counts rows of the read model, to show that a rejected request changed nothing. */
export async function rowCounts(stack: TestStack): Promise<Record<string, number>> {
  const rows: { t: string; n: string }[] = await stack.db.query(`
    SELECT 'pathways' AS t, count(*) AS n FROM pathways UNION ALL
    SELECT 'persons', count(*) FROM persons UNION ALL
    SELECT 'tasks', count(*) FROM tasks UNION ALL
    SELECT 'timeline', count(*) FROM timeline_entries UNION ALL
    SELECT 'done', count(*) FROM tasks WHERE status = 'DONE'`);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

export function birthDateForAge(years: number, now = new Date()): string {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - 30);
  return d.toISOString().slice(0, 10);
}

export function pathwayRequest(
  overrides: { name?: string; age?: number; district?: string; sourceAgency?: string } = {},
) {
  return {
    person: {
      name: overrides.name ?? 'Testperson Nørrebro',
      birthDate: birthDateForAge(overrides.age ?? 16),
      district: overrides.district ?? 'YDRE_NORREBRO',
    },
    contact: {
      sourceAgency: overrides.sourceAgency ?? 'POLICE_LOCAL',
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      context: 'Set sammen med kendte medlemmer af en gruppering',
    },
  };
}
