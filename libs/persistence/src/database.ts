// Builds the TypeORM data source and brings the schema up to date. Schema changes go through migrations only.
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { withMigrationMasterKeys } from './migration-context';
import type { MasterKeys } from './person-keys';

export interface DatabaseOptions {
  poolSize?: number;
  /**
   * How long one statement may run (PostgreSQL's statement_timeout, and the driver's own wait for an answer a bit
   * longer, for a server that does not answer at all): a frozen database is an answer in seconds, not a hang.
   */
  statementTimeoutMs?: number;
  /** How long to wait for a connection, new or from the pool. */
  connectTimeoutMs?: number;
  /**
   * The application's own role (DATABASE_APP_URL): migrations run as the URL's owner role, which then provisions this
   * one (appRole below) and the pool connects as it. Unset: the pool connects as the owner (scripts and tests that
   * seed or inspect the database).
   */
  appUrl?: string;
  /**
   * The master keys of PAYLOAD_KEYS, for migrations that seal what they move (migration-context.ts): the API and the
   * worker pass them; without them such a migration refuses when it finds something to seal.
   */
  masterKeys?: MasterKeys;
}

/** The application's role when DATABASE_APP_URL does not name one: the owner's URL with this user. */
export const DEFAULT_APP_ROLE = 'exit_pathways_app';

/**
 * The application's URL: DATABASE_APP_URL when set, else the owner's URL (host, database, password, sslmode) with the
 * user DEFAULT_APP_ROLE.
 */
export function appDatabaseUrl(ownerUrl: string, explicit?: string): string {
  if (explicit) return explicit;
  const url = new URL(ownerUrl);
  url.username = DEFAULT_APP_ROLE;
  return url.toString();
}

/**
 * The owner's and the application's URLs from the environment: DATABASE_URL and DATABASE_APP_URL, each password
 * replaced by DATABASE_PASSWORD / DATABASE_APP_PASSWORD when set (each may come from a file, X_FILE:
 * libs/config/src/secrets.ts), so a URL without a password can sit in plain configuration. Without DATABASE_APP_URL
 * the application's role is DEFAULT_APP_ROLE on the owner's server. With NODE_ENV=production the two roles must not
 * share a password: the role that may only append to the audit trail would otherwise open the owner's door.
 */
export function databaseUrlsFromEnv(env: NodeJS.ProcessEnv): { databaseUrl: string; databaseAppUrl?: string } {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const owner = withPassword(env.DATABASE_URL, env.DATABASE_PASSWORD, 'DATABASE_URL');
  const explicitApp = env.DATABASE_APP_URL || (env.DATABASE_APP_PASSWORD ? appDatabaseUrl(owner) : undefined);
  const app = explicitApp ? withPassword(explicitApp, env.DATABASE_APP_PASSWORD, 'DATABASE_APP_URL') : undefined;
  if (env.NODE_ENV === 'production') {
    const ownerPassword = new URL(owner).password;
    const appPassword = new URL(appDatabaseUrl(owner, app)).password;
    if (!appPassword || appPassword === ownerPassword) {
      throw new Error(
        "the application's database role needs a password of its own: set DATABASE_APP_PASSWORD (or DATABASE_APP_URL)",
      );
    }
  }
  return { databaseUrl: owner, ...(app ? { databaseAppUrl: app } : {}) };
}

function withPassword(text: string, password: string | undefined, name: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The value is not repeated: it may hold a password.
    throw new Error(`${name} must be a postgres:// URL`);
  }
  if (password) url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * Tables the application may only add to and read: the audit trail is evidence, so the application that writes it
 * cannot rewrite or delete it (test/integration/access/audit-api.ts tries).
 */
export const APPEND_ONLY_TABLES = ['audit_log'] as const;

/**
 * Creates the application's login role unless it exists (the owner needs CREATEROLE for that; without it a DBA
 * creates the role once) and grants it what the application does: read and write the read model, only INSERT and
 * SELECT on the append-only tables, nothing on the migrations table but reading it, no DDL. Run after every
 * migration, under the migration lock, so a new table is granted at once.
 */
export async function provisionAppRole(owner: Client, appUrl: string): Promise<void> {
  const url = new URL(appUrl);
  const role = decodeURIComponent(url.username);
  const ownerRole = (await owner.query<{ r: string }>('SELECT current_user AS r')).rows[0].r;
  if (!role || role === ownerRole)
    throw new Error('DATABASE_APP_URL must name a role other than the owner of DATABASE_URL');
  const name = escapeIdentifier(role);
  const exists = await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (!exists.rowCount) {
    const password = url.password ? ` PASSWORD ${escapeLiteral(decodeURIComponent(url.password))}` : '';
    try {
      await owner.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT${password}`);
    } catch (error) {
      // Another database on the same server provisioned it a moment ago (roles belong to the server).
      const code = (error as { code?: string }).code;
      if (code !== '42710' && code !== '23505') throw error;
    }
  }
  const database = (await owner.query<{ d: string }>('SELECT current_database() AS d')).rows[0].d;
  const appendOnly = APPEND_ONLY_TABLES.join(', ');
  for (const statement of [
    `GRANT CONNECT ON DATABASE ${escapeIdentifier(database)} TO ${name}`,
    `GRANT USAGE ON SCHEMA public TO ${name}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${name}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${name}`,
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${appendOnly} FROM ${name}`,
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${name}`,
  ]) {
    await owner.query(statement);
  }
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

/** Runs pending migrations, one process at a time; then (with `appUrl`) grants the application's role its rights. */
export async function migrate(
  dataSource: DataSource,
  url: string,
  appUrl?: string,
  masterKeys?: MasterKeys,
): Promise<void> {
  // The lock is held on a connection of its own, outside the pool, so a pool of one still has one for the work.
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await withMigrationMasterKeys(masterKeys, () => dataSource.runMigrations({ transaction: 'each' }));
    if (appUrl !== undefined) await provisionAppRole(lock, appUrl);
  } finally {
    await lock.end();
  }
}

/**
 * Migrations first, as the owner of `url`, on a data source of their own without statement limits; then the app's
 * pool with them, as `options.appUrl`'s role when given.
 */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<DataSource> {
  const migrator = createDataSource(url, {
    poolSize: 1,
    statementTimeoutMs: 0,
    connectTimeoutMs: options.connectTimeoutMs,
  });
  await migrator.initialize();
  try {
    await migrate(migrator, url, options.appUrl, options.masterKeys);
  } finally {
    await migrator.destroy();
  }
  const dataSource = createDataSource(options.appUrl ?? url, options);
  await dataSource.initialize();
  return dataSource;
}
