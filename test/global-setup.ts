// Starts what every integration test shares: one real Temporal dev server (the local CLI binary, never a
// download) with our namespace and search attributes, one PostgreSQL server, and one workflow bundle.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../apps/worker/src/workflow-interceptors';
import { PATHWAY_SEARCH_ATTRIBUTES } from '../libs/domain/src';
import { startPostgres } from '../scripts/dev-stack/postgres-server';
import { generatePayloadKey } from '../libs/temporal/src/codec';
import { TEST_NAMESPACE, quietTemporalRuntime, type SharedTestEnv } from './support/shared-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureTemporal } = require('../scripts/dev-stack/ensure-temporal.js') as { ensureTemporal: () => string };

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'exit-pathways-test-'));
  // An embedded PostgreSQL runs as its own OS user when we are root; it must be able to enter this folder.
  chmodSync(dir, 0o711);
  const temporalDb = path.join(dir, 'temporal.sqlite');
  quietTemporalRuntime();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporal() },
      namespace: TEST_NAMESPACE,
      dbFilename: temporalDb,
      searchAttributes: [...PATHWAY_SEARCH_ATTRIBUTES],
      extraArgs: ['--sqlite-pragma', 'journal_mode=wal', '--log-level', 'error'],
    },
  });
  const postgres = await startPostgres({ dataDir: path.join(dir, 'pg'), port: 5439 });
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietLogger,
  });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);

  const shared: SharedTestEnv = {
    temporalAddress: env.address,
    temporalDbPath: temporalDb,
    postgresServerUrl: postgres.url,
    workflowBundlePath: bundlePath,
    payloadKeys: generatePayloadKey('test1'),
  };
  process.env.EXIT_PATHWAYS_TEST_ENV = JSON.stringify(shared);
  (globalThis as Record<string, unknown>).__exitPathwaysTest = { env, postgres, dir };
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
