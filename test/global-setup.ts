// Starts what every integration test shares: one real Temporal dev server (the local CLI binary, never a
// download) with our namespace and search attributes, one PostgreSQL server, and one workflow bundle.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../apps/worker/src/workflow-interceptors';
import { PATHWAY_SEARCH_ATTRIBUTES } from '../libs/domain/src';
import { appDatabaseUrl, openDatabase } from '../libs/persistence/src';
import { createDatabase, startPostgres, withDatabase, type PostgresServer } from '../scripts/dev-stack/postgres-server';
import { generatePayloadKey } from '../libs/temporal/src/codec';
import { FAILURE_CONVERTER_PATH } from '../libs/temporal/src/client';
import { cachedWorkflowBundle } from './support/bundle-cache';
import { TEST_NAMESPACE, quietTemporalRuntime, type SharedTestEnv } from './support/shared-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureTemporal } = require('../scripts/dev-stack/ensure-temporal.js') as { ensureTemporal: () => string };

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'exit-pathways-test-'));
  // An embedded PostgreSQL runs as its own OS user when we are root; it must be able to enter this folder.
  chmodSync(dir, 0o711);
  const temporalDb = path.join(dir, 'temporal.sqlite');
  quietTemporalRuntime();
  // Independent of each other, so at once: the dev server mostly waits, the bundle mostly computes.
  // Unique per run: on a shared server (DATABASE_URL) other runs have databases of their own at the same time.
  const databasePrefix = `exit_test_${randomUUID().replace(/-/g, '').slice(0, 8)}_`;
  const templateDatabase = `${databasePrefix}template`;
  const [env, postgres, code] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: ensureTemporal() },
        namespace: TEST_NAMESPACE,
        dbFilename: temporalDb,
        searchAttributes: [...PATHWAY_SEARCH_ATTRIBUTES],
        extraArgs: ['--sqlite-pragma', 'journal_mode=wal', '--log-level', 'error'],
      },
    }),
    postgresWithTemplate(path.join(dir, 'pg'), templateDatabase),
    cachedWorkflowBundle(async () => {
      const bundle = await bundleWorkflowCode({
        workflowsPath: require.resolve('../workflows'),
        workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
        failureConverterPath: FAILURE_CONVERTER_PATH,
        logger: quietLogger,
      });
      return bundle.code;
    }),
  ]);
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);

  const shared: SharedTestEnv = {
    temporalAddress: env.address,
    temporalDbPath: temporalDb,
    postgresServerUrl: postgres.url,
    databasePrefix,
    templateDatabase,
    workflowBundlePath: bundlePath,
    payloadKeys: generatePayloadKey('test1'),
  };
  process.env.EXIT_PATHWAYS_TEST_ENV = JSON.stringify(shared);
  (globalThis as Record<string, unknown>).__exitPathwaysTest = { env, postgres, dir, databasePrefix };
}

/**
 * The PostgreSQL server and one database migrated here, once: each test file's database is a copy of it
 * (test/support/stack.ts), which is faster than running every migration again for each file.
 */
async function postgresWithTemplate(dataDir: string, templateDatabase: string): Promise<PostgresServer> {
  const postgres = await startPostgres({ dataDir, port: 5439 });
  await createDatabase(postgres.url, templateDatabase);
  // Closed again before anything copies it: PostgreSQL copies only a template nobody is connected to. The app's role
  // is provisioned here once (the API and the worker of each file grant it again on their copy, as in production).
  const templateUrl = withDatabase(postgres.url, templateDatabase);
  const db = await openDatabase(templateUrl, { poolSize: 1, appUrl: appDatabaseUrl(templateUrl) });
  await db.destroy();
  return postgres;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
