// Builds the TypeORM data source and brings the schema up to date. Schema changes go through migrations only.
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  poolSize?: number;
  /**
   * How long one statement may run (PostgreSQL's statement_timeout, and the driver's own wait for an answer a bit
   * longer, for a server that does not answer at all): a frozen database is an answer in seconds, not a hang.
   */
  statementTimeoutMs?: number;
  /** How long to wait for a connection, new or from the pool. */
  connectTimeoutMs?: number;
}

/** The API answers people: 5 s per statement. The worker's read-model writes may take longer under load. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;

export function createDataSource(url: string, options: DatabaseOptions = {}): DataSource {
  const statementTimeout = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  // 0: no limit (migrations, which may build an index over every row).
  const timeouts =
    statementTimeout > 0
      ? {
          statement_timeout: statementTimeout,
          query_timeout: statementTimeout + 1_000,
          idle_in_transaction_session_timeout: statementTimeout * 2,
        }
      : {};
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...timeouts,
      keepAlive: true,
    },
  });
}

// Any fixed number shared by every process of this app: the API and the worker may start together.
const MIGRATION_LOCK = 7_311_042;

/** Runs pending migrations, one process at a time. */
export async function migrate(dataSource: DataSource, url: string): Promise<void> {
  // The lock is held on a connection of its own, outside the pool, so a pool of one still has one for the work.
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.end();
  }
}

/** Migrations first, on a data source of their own without statement limits; then the app's pool with them. */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<DataSource> {
  const migrator = createDataSource(url, {
    poolSize: 1,
    statementTimeoutMs: 0,
    connectTimeoutMs: options.connectTimeoutMs,
  });
  await migrator.initialize();
  try {
    await migrate(migrator, url);
  } finally {
    await migrator.destroy();
  }
  const dataSource = createDataSource(url, options);
  await dataSource.initialize();
  return dataSource;
}
