// Counts the statements a process sends to PostgreSQL through one TypeORM data source: every query on every pooled
// connection (TypeORM's own, transactions' BEGIN and COMMIT, and what a repository sends on the driver's pool
// directly), each one round trip. Test-only: docs/PERFORMANCE.md ("What bounds a start") counts a pathway start
// with it.
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

export interface StatementCount {
  /** The statements sent since the last reset, in order, each as its first line. */
  readonly statements: readonly string[];
  reset(): void;
  stop(): void;
}

/** Each pool's current count; a connection, once wrapped, adds to whichever count its pool has then. */
const counts = new WeakMap<Pool, string[]>();
const wrapped = new WeakSet<PoolClient>();

export function countStatements(dataSource: DataSource): StatementCount {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  if (counts.has(pool)) throw new Error('this data source is counted already');
  const statements: string[] = [];
  counts.set(pool, statements);
  const wrap = (client: PoolClient) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      counts.get(pool)?.push(firstLine(args[0]));
      return query(...args);
    };
  };
  // Every checkout, so connections opened later and those already idle in the pool are counted alike.
  pool.on('acquire', wrap);
  return {
    statements,
    reset: () => void statements.splice(0),
    stop: () => {
      counts.delete(pool);
      pool.off('acquire', wrap);
    },
  };
}

function firstLine(query: unknown): string {
  const text = typeof query === 'string' ? query : ((query as { text?: string } | undefined)?.text ?? String(query));
  return text.trim().split('\n')[0].replace(/\s+/g, ' ');
}
