import { rmSync } from 'node:fs';
import { Client } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dropDatabase, type PostgresServer } from '../scripts/dev-stack/postgres-server';

export default async function globalTeardown(): Promise<void> {
  const shared = (globalThis as Record<string, unknown>).__exitPathwaysTest as
    { env: TestWorkflowEnvironment; postgres: PostgresServer; dir: string; databasePrefix: string } | undefined;
  if (!shared) return;
  await shared.env.teardown();
  // A shared server (DATABASE_URL) outlives the run: leave it as it was found. Test files drop their databases
  // without waiting (test/support/stack.ts); what is still there, the template included, goes now.
  await dropRunDatabases(shared.postgres.url, shared.databasePrefix);
  await shared.postgres.stop();
  rmSync(shared.dir, { recursive: true, force: true });
}

async function dropRunDatabases(serverUrl: string, prefix: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    let names: string[];
    try {
      const rows = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE left(datname, length($1)) = $1',
        [prefix],
      );
      names = rows.rows.map((r) => r.datname);
    } finally {
      await client.end();
    }
    // A file's own drop may still be under way: the second try finds it gone or drops it.
    const failed = (await Promise.allSettled(names.map((name) => dropDatabase(serverUrl, name)))).filter(
      (r) => r.status === 'rejected',
    );
    if (failed.length === 0) return;
    if (attempt === 3) throw (failed[0] as PromiseRejectedResult).reason;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
