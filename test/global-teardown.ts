import { rmSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dropDatabase, type PostgresServer } from '../scripts/dev-stack/postgres-server';

export default async function globalTeardown(): Promise<void> {
  const shared = (globalThis as Record<string, unknown>).__exitPathwaysTest as
    { env: TestWorkflowEnvironment; postgres: PostgresServer; dir: string; templateDatabase: string } | undefined;
  if (!shared) return;
  await shared.env.teardown();
  // A shared server (DATABASE_URL) outlives the run: leave it as it was found.
  await dropDatabase(shared.postgres.url, shared.templateDatabase);
  await shared.postgres.stop();
  rmSync(shared.dir, { recursive: true, force: true });
}
