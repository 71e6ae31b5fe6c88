import { DefaultLogger, Runtime } from '@temporalio/worker';

// What global-setup hands to the test files (through one environment variable).
export const TEST_NAMESPACE = 'exit-pathways';

export interface SharedTestEnv {
  temporalAddress: string;
  temporalDbPath: string;
  postgresServerUrl: string;
  /** Every database of this run on that server starts with it (global-teardown.ts drops what is left). */
  databasePrefix: string;
  /** A migrated database on that server that each test file's database is copied from. */
  templateDatabase: string;
  workflowBundlePath: string;
  payloadKeys: string;
}

export function sharedTestEnv(): SharedTestEnv {
  const text = process.env.EXIT_PATHWAYS_TEST_ENV;
  if (!text) throw new Error('integration tests need test/global-setup.ts (run them through jest)');
  return JSON.parse(text) as SharedTestEnv;
}

/** Worker logs at WARN, once per process; global-setup may already have installed it in this process. */
export function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed
  }
}
