// Builds the TypeORM data source and brings the schema up to date. Schema changes go through migrations only.
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export function createDataSource(url: string, options: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: options.poolSize ?? 10 },
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

export async function openDatabase(url: string, options: { poolSize?: number } = {}): Promise<DataSource> {
  const dataSource = createDataSource(url, options);
  await dataSource.initialize();
  await migrate(dataSource, url);
  return dataSource;
}
