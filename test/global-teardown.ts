import { rmSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PostgresServer } from '../scripts/dev-stack/postgres-server';

export default async function globalTeardown(): Promise<void> {
  const shared = (globalThis as Record<string, unknown>).__exitPathwaysTest as
    { env: TestWorkflowEnvironment; postgres: PostgresServer; dir: string } | undefined;
  if (!shared) return;
  await shared.env.teardown();
  await shared.postgres.stop();
  rmSync(shared.dir, { recursive: true, force: true });
}
