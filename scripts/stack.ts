// Runs the dev stack (PostgreSQL, Temporal, worker, API) in the foreground; a child that crashes is restarted with
// backoff (scripts/dev-stack/supervisor.ts); Ctrl-C stops it in order, keeping the data.
import { spawn } from 'node:child_process';
import { constants as fsConstants, existsSync, promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Client } from 'pg';
import { PATHWAY_SEARCH_ATTRIBUTES, searchAttributeFlags } from '../libs/domain/src/search-attributes';
import { createDatabase, startPostgres, withDatabase, type PostgresServer } from './dev-stack/postgres-server';
import { generatePayloadKey, parsePayloadKeys } from '../libs/temporal/src/codec';
import { DEV_AUDIENCE, DEV_ISSUER_DEFAULT_PORT, webRedirectUris } from './dev-stack/dev-accounts';
import { DEFAULT_BACKOFF, Supervisor, backoffMs } from './dev-stack/supervisor';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** Set in the detached copy of this script that actually runs the stack (see runLauncher). */
const SUPERVISOR_ENV = 'EXIT_PATHWAYS_STACK_SUPERVISOR';
const APP_DATABASE = 'exit_pathways';
const TEMPORAL_READY_TIMEOUT_MS = 60_000;
// The first start bundles the workflow code with webpack, which takes a while on a slow machine.
const WORKER_READY_TIMEOUT_MS = 180_000;
const API_READY_TIMEOUT_MS = 90_000;
const ISSUER_READY_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 250;

interface Settings {
  repoRoot: string;
  dataDir: string;
  postgresPort: number;
  namespace: string;
  taskQueue: string;
  temporalPort: number;
  temporalUiPort: number;
  apiPort: number;
  temporalAddress: string;
  issuerPort: number;
}

interface ManagedChild {
  name: string;
  supervisor: Supervisor;
  /** Resolves once the child has stopped for good and its output has been forwarded. */
  exited: Promise<void>;
  stopTimeoutMs: number;
}

class StopRequested extends Error {}

const children: ManagedChild[] = [];
let postgres: PostgresServer | undefined;
let postgresWatch: Client | undefined;
let stopReason: { message: string; exitCode: number } | undefined;
let resolveStop: () => void = () => undefined;
const stopped = new Promise<void>((resolve) => (resolveStop = resolve));

function say(line: string): void {
  process.stdout.write(`[stack] ${line}\n`);
}

function complain(line: string): void {
  process.stderr.write(`[stack] ${line}\n`);
}

function requestStop(message: string, exitCode: number): void {
  if (stopReason) return;
  stopReason = { message, exitCode };
  (exitCode === 0 ? say : complain)(`${message}; stopping the stack`);
  resolveStop();
}

function throwIfStopping(): void {
  if (stopReason) throw new StopRequested(stopReason.message);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${start}`);
  }
}

function portFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  const port = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number`);
  return port;
}

function readSettings(): Settings {
  const repoRoot = findRepoRoot(__dirname);
  const temporalPort = portFromEnv('TEMPORAL_PORT', 7233);
  return {
    repoRoot,
    dataDir: path.resolve(process.env.DATA_DIR || path.join(repoRoot, '.data')),
    // Not in the brief's list, but lets a second stack (another checkout, a test run) live beside this one.
    postgresPort: portFromEnv('POSTGRES_PORT', 5433),
    namespace: process.env.TEMPORAL_NAMESPACE || 'exit-pathways',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE || 'pathways',
    temporalPort,
    temporalUiPort: portFromEnv('TEMPORAL_UI_PORT', 8233),
    apiPort: portFromEnv('PORT', 3000),
    temporalAddress: `127.0.0.1:${temporalPort}`,
    issuerPort: portFromEnv('DEV_ISSUER_PORT', DEV_ISSUER_DEFAULT_PORT),
  };
}

// The readiness checks below would happily talk to someone else's server on the same port, so a taken port must
// fail here rather than look like a successful start.
async function assertPortFree(port: number, what: string): Promise<void> {
  const inUse = await new Promise<boolean>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(true) : reject(error),
    );
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(false)));
  });
  if (inUse) throw new Error(`port ${port} (${what}) is already in use; is another stack running?`);
}

/**
 * Workflows already in Temporal can only be decrypted with the key they were written with, so the generated key
 * is kept in the data directory and reused on every start.
 */
async function loadPayloadKeys(dataDir: string): Promise<{ keys: string; activeKeyId: string }> {
  let keys = process.env.PAYLOAD_KEYS;
  if (!keys) {
    const file = path.join(dataDir, 'payload-keys');
    if (!existsSync(file)) {
      // Written in full to a side file and linked into place, which fails if the file exists: an interrupted or
      // concurrent first start can never leave a truncated key or replace one already in use.
      const staging = `${file}.${process.pid}.tmp`;
      await fs.writeFile(staging, `${generatePayloadKey('k1')}\n`, { mode: 0o600 });
      try {
        await fs.link(staging, file).catch((error: NodeJS.ErrnoException) =>
          // Some file systems have no hard links; an exclusive copy is nearly as good.
          error.code === 'EEXIST' ? Promise.reject(error) : fs.copyFile(staging, file, fsConstants.COPYFILE_EXCL),
        );
        say(`generated a payload encryption key in ${file}; keep it with the data`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        await fs.rm(staging, { force: true });
      }
    }
    const { mode } = await fs.stat(file);
    if (process.platform !== 'win32' && mode & 0o077) complain(`${file} is readable by other users; chmod 600 it`);
    keys = (await fs.readFile(file, 'utf8')).trim();
  }
  try {
    // Validated here so a bad key stops the stack before anything starts, not in two children at once.
    const parsed = parsePayloadKeys(keys, process.env.PAYLOAD_ACTIVE_KEY_ID || undefined);
    return { keys, activeKeyId: parsed.activeKeyId };
  } catch (error) {
    const source = process.env.PAYLOAD_KEYS ? 'PAYLOAD_KEYS' : path.join(dataDir, 'payload-keys');
    throw new Error(`invalid payload keys in ${source}: ${errorText(error)}`);
  }
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

async function databaseExists(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch (error) {
    // 3D000 invalid_catalog_name: the server is there, the database is not.
    if ((error as { code?: string }).code === '3D000') return false;
    throw new Error(`cannot connect to DATABASE_URL ${redactPassword(url)}: ${errorText(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function prepareDatabase(settings: Settings): Promise<string> {
  const external = process.env.DATABASE_URL;
  postgres = await startPostgres({
    dataDir: settings.dataDir,
    port: settings.postgresPort,
    databaseUrl: external,
    log: (line) => forwardPostgresLine(line),
  });
  if (external) {
    const name = decodeURIComponent(new URL(external).pathname.slice(1));
    // Checked by connecting first: the account may lack access to the 'postgres' database or CREATEDB, which only
    // matters when the database really is missing.
    if (name && !(await databaseExists(external))) {
      say(`creating database ${name}`);
      await createDatabase(withDatabase(external, 'postgres'), name);
    }
    return external;
  }
  await createDatabase(postgres.url, APP_DATABASE);
  await watchPostgres(postgres.url, settings);
  return withDatabase(postgres.url, APP_DATABASE);
}

// The embedded server is spawned inside startPostgres, out of spawnChild's reach; an idle connection to it is how its
// death is noticed, as the server ends every session when it goes. Then it is started again like the other children,
// with the same backoff (scripts/dev-stack/supervisor.ts); the worker's and the API's pools reconnect by themselves.
async function watchPostgres(url: string, settings: Settings): Promise<void> {
  const client = new Client({ connectionString: url, application_name: 'exit-pathways-stack' });
  let noticed = false;
  const lost = (): void => {
    if (noticed) return;
    noticed = true;
    void restartPostgres(settings);
  };
  client.on('error', lost);
  client.on('end', lost);
  await client.connect();
  postgresWatch = client;
}

async function restartPostgres(settings: Settings): Promise<void> {
  let why = 'it closed the connection';
  for (let crash = 1; !stopReason; crash++) {
    const wait = backoffMs(crash, DEFAULT_BACKOFF.initialMs, DEFAULT_BACKOFF.maxMs);
    complain(`postgres exited unexpectedly (${why}); restarting in ${wait / 1000}s`);
    await sleep(wait);
    if (stopReason) return;
    try {
      await postgres?.stop();
      postgres = await startPostgres({
        dataDir: settings.dataDir,
        port: settings.postgresPort,
        log: (line) => forwardPostgresLine(line),
      });
      await watchPostgres(postgres.url, settings);
      say('postgres restarted');
      return;
    } catch (error) {
      why = `restart failed: ${errorText(error)}`;
    }
  }
}

// PostgreSQL's DETAIL, STATEMENT and CONTEXT lines (and their tab-indented continuations) quote column values, a
// duplicate key or a failing row, which can be personal data; the first line of each message says enough.
let droppingPostgresDetail = false;
function forwardPostgresLine(line: string): void {
  if (/(?:^|\s)(?:DETAIL|STATEMENT|CONTEXT):\s/.test(line)) droppingPostgresDetail = true;
  else if (!line.startsWith('\t')) droppingPostgresDetail = false;
  if (!droppingPostgresDetail) process.stdout.write(`[postgres] ${line}\n`);
}

/** This process's environment without the named variables, for children that must not see them. */
function environmentWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [SUPERVISOR_ENV, ...names]) delete env[name];
  return env;
}

/**
 * Starts a child under a Supervisor (scripts/dev-stack/supervisor.ts): its output is forwarded with its name, and a
 * crash restarts it with backoff instead of stopping the stack. Only Ctrl-C (or a child that cannot be started at
 * all) stops the stack.
 */
function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stopTimeoutMs: number; mutedWhileStopping?: RegExp },
): ManagedChild {
  throwIfStopping();
  let outputClosed: Promise<unknown> = Promise.resolve();
  const supervisor: Supervisor = new Supervisor({
    name,
    log: complain,
    onFatal: (reason) => requestStop(reason, 1),
    spawn: () => {
      const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
      outputClosed = Promise.all(
        [child.stdout, child.stderr].map((stream, index) => {
          const out = index === 0 ? process.stdout : process.stderr;
          const lines = createInterface({ input: stream!, crlfDelay: Infinity });
          lines.on('line', (line) => {
            if (supervisor?.stopRequested && options.mutedWhileStopping?.test(line)) return;
            out.write(`[${name}] ${line}\n`);
          });
          return new Promise<void>((resolve) => lines.once('close', resolve));
        }),
      );
      return child;
    },
  });
  const managed: ManagedChild = {
    name,
    supervisor,
    stopTimeoutMs: options.stopTimeoutMs,
    // A grandchild holding the pipes open must not keep the stack from stopping; the output tail is a bonus.
    exited: supervisor.done.then(() => Promise.race([outputClosed, sleep(1000)])).then(() => undefined),
  };
  children.push(managed);
  return managed;
}

async function stopChild(child: ManagedChild): Promise<void> {
  say(`stopping ${child.name}`);
  if (!(await child.supervisor.stop(child.stopTimeoutMs))) {
    complain(`${child.name} did not stop within ${child.stopTimeoutMs / 1000}s; killed it`);
  }
  await child.exited;
}

async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    throwIfStopping();
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    throwIfStopping();
    if (Date.now() > deadline) {
      const detail = lastError === undefined ? '' : ` (last error: ${errorText(lastError)})`;
      throw new Error(`${what} within ${timeoutMs / 1000}s${detail}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

async function connectTemporal(settings: Settings): Promise<Connection> {
  return waitFor(
    `the Temporal dev server did not accept connections on ${settings.temporalAddress}`,
    TEMPORAL_READY_TIMEOUT_MS,
    async () => {
      const connection = await Connection.connect({ address: settings.temporalAddress, connectTimeout: 2000 });
      try {
        // The namespace is registered just after the frontend opens; the worker fails fast without it.
        await connection.workflowService.describeNamespace({ namespace: settings.namespace });
        return connection;
      } catch (error) {
        await connection.close();
        throw error;
      }
    },
  );
}

/**
 * `start-dev --search-attribute` only registers attributes when it creates the namespace: with an existing database
 * file it starts fine but silently skips attributes added to the code since, and ignores a changed type. So the
 * registered ones are compared with the code's here, and missing ones added.
 */
async function reconcileSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const typeName = (value: number | undefined): string =>
    Object.entries(IndexedValueType).find(([, v]) => v === value)?.[0] ?? `unknown (${value})`;
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing: Record<string, number> = {};
  for (const key of PATHWAY_SEARCH_ATTRIBUTES) {
    const wanted = IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`];
    const registered = customAttributes?.[key.name];
    if (registered === undefined || registered === null) missing[key.name] = wanted;
    else if (registered !== wanted) {
      throw new Error(
        `search attribute ${key.name} is registered as ${typeName(registered)} but the code needs ` +
          `${typeName(wanted)}; the Temporal data in this DATA_DIR predates the change and must be migrated or removed`,
      );
    }
  }
  const names = Object.keys(missing);
  if (names.length === 0) return;
  say(`registering search attributes ${names.join(', ')} in namespace ${namespace}`);
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  // Visibility queries (and the workflows' upserts) only see new attributes once the namespace cache refreshes.
  const probe = PATHWAY_SEARCH_ATTRIBUTES.filter((key) => key.name in missing)
    .map((key) => `${key.name} = ${key.type === 'BOOL' ? 'true' : "'x'"}`)
    .join(' AND ');
  await waitFor('the new search attributes did not become queryable', TEMPORAL_READY_TIMEOUT_MS, async () => {
    await connection.workflowService.countWorkflowExecutions({ namespace, query: probe });
    return true;
  });
}

async function startTemporal(settings: Settings, temporalCli: string): Promise<void> {
  spawnChild(
    'temporal',
    temporalCli,
    [
      ['server', 'start-dev'],
      ['--db-filename', path.join(settings.dataDir, 'temporal.sqlite')],
      // WAL lets the UI's reads and the CLI's queries run alongside the server's writes.
      ['--sqlite-pragma', 'journal_mode=wal'],
      ['--namespace', settings.namespace],
      ['--ip', '127.0.0.1'],
      ['--port', String(settings.temporalPort)],
      ['--ui-port', String(settings.temporalUiPort)],
      ['--log-level', 'warn'],
      searchAttributeFlags(),
    ].flat(),
    // The server holds neither the payload keys nor the application database: it only ever sees ciphertext.
    {
      cwd: settings.dataDir,
      env: environmentWithout('PAYLOAD_KEYS', 'DATABASE_URL'),
      stopTimeoutMs: 20_000,
      // Its internal services keep dialling each other while they shut down, a dozen harmless warnings per stop.
      mutedWhileStopping: /level=WARN/,
    },
  );
  const connection = await connectTemporal(settings);
  try {
    await reconcileSearchAttributes(connection, settings.namespace);
  } finally {
    await connection.close();
  }
}

async function waitForWorker(settings: Settings): Promise<void> {
  const connection = await Connection.connect({ address: settings.temporalAddress });
  try {
    // This dev server was started by us just now, so any poller on the queue is our worker.
    await waitFor('the worker did not start polling its task queue', WORKER_READY_TIMEOUT_MS, async () => {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: settings.namespace,
        taskQueue: { name: settings.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return pollers?.length ? true : undefined;
    });
  } finally {
    await connection.close();
  }
}

async function waitForApi(settings: Settings): Promise<void> {
  const url = `http://127.0.0.1:${settings.apiPort}/health`;
  await waitFor(`the API did not answer 200 on ${url}`, API_READY_TIMEOUT_MS, async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    if (response.status !== 200) throw new Error(`GET /health answered ${response.status}`);
    return true;
  });
}

/** The development sign-in issuer (scripts/dev-stack/dev-issuer.ts); answers its issuer URL once it serves. */
async function startIssuer(settings: Settings): Promise<string> {
  spawnChild(
    'issuer',
    process.execPath,
    [path.join(settings.repoRoot, 'dist', 'scripts', 'dev-stack', 'dev-issuer.js')],
    {
      cwd: settings.repoRoot,
      // It needs no secret of the stack's. The web app at http://127.0.0.1:<PORT>/app/ signs in through it, so its
      // callback on this stack's API port is a redirect URI (unless DEV_ISSUER_REDIRECT_URIS says otherwise).
      env: {
        ...environmentWithout('PAYLOAD_KEYS', 'DATABASE_URL'),
        DEV_ISSUER_PORT: String(settings.issuerPort),
        DEV_ISSUER_REDIRECT_URIS: process.env.DEV_ISSUER_REDIRECT_URIS || webRedirectUris(settings.apiPort).join(','),
      },
      stopTimeoutMs: 5_000,
    },
  );
  const issuer = `http://127.0.0.1:${settings.issuerPort}`;
  await waitFor(`the development issuer did not answer on ${issuer}`, ISSUER_READY_TIMEOUT_MS, async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    return response.ok ? true : undefined;
  });
  return issuer;
}

function printInstructions(settings: Settings, databaseUrl: string): void {
  const api = `http://127.0.0.1:${settings.apiPort}`;
  const body = JSON.stringify({
    person: { name: 'Test Person', birthDate: '2010-05-17', district: 'YDRE_NORREBRO' },
    contact: {
      sourceAgency: 'POLICE_LOCAL',
      occurredAt: new Date().toISOString(),
      context: 'Seen with known members of a group',
    },
  });
  process.stdout.write(
    [
      '',
      `Exit Pathways dev stack is running; data in ${settings.dataDir}. Ctrl-C stops it and keeps the data.`,
      `  Web app      ${api}/app/`,
      `  API          ${api}`,
      `  API docs     ${api}/api/docs`,
      `  Temporal UI  http://127.0.0.1:${settings.temporalUiPort}  (payloads are encrypted: the UI shows ciphertext)`,
      `  Metrics      ${api}/metrics, http://127.0.0.1:${process.env.METRICS_PORT || 9464}/metrics (worker)`,
      `  Temporal     ${settings.temporalAddress}  namespace ${settings.namespace}, task queue ${settings.taskQueue}`,
      `  PostgreSQL   ${redactPassword(databaseUrl)}`,
      `  Sign-in      http://127.0.0.1:${settings.issuerPort}  (development issuer, demo accounts in README.md)`,
      '',
      'Sign in as a local police caseworker, open a pathway, then see the task it gave EAS as its caseworker:',
      `  TOKEN=$(npm run -s dev:token -- lokalpoliti-sagsbehandler)`,
      `  curl -sS -X POST ${api}/pathways -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
      `    -d '${body}'`,
      `  TOKEN=$(npm run -s dev:token -- eas-sagsbehandler)`,
      `  curl -sS ${api}/agencies/POLICE_EAS/tasks -H "Authorization: Bearer $TOKEN"`,
      '',
      '',
    ].join('\n'),
  );
}

/**
 * Node's own flags for the worker or the API, from STACK_WORKER_NODE_ARGS / STACK_API_NODE_ARGS (split at white
 * space), for profiling (`--cpu-prof --cpu-prof-dir=…`, which NODE_OPTIONS does not accept); none when unset.
 */
function nodeArgsFromEnv(name: string): string[] {
  const args = (process.env[name] ?? '').split(/\s+/).filter(Boolean);
  for (const arg of args) if (!arg.startsWith('-')) throw new Error(`${name} takes node flags only (got ${arg})`);
  return args;
}

async function start(settings: Settings): Promise<void> {
  await assertPortFree(settings.temporalPort, 'TEMPORAL_PORT');
  await assertPortFree(settings.temporalUiPort, 'TEMPORAL_UI_PORT');
  await assertPortFree(settings.apiPort, 'PORT');
  await assertPortFree(settings.issuerPort, 'DEV_ISSUER_PORT');
  // The payload keys, the databases and their passwords live here: this account's alone.
  await fs.mkdir(settings.dataDir, { recursive: true, mode: 0o700 });
  await fs.chmod(settings.dataDir, 0o700);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ensureTemporal } = require(path.join(settings.repoRoot, 'scripts', 'dev-stack', 'ensure-temporal.js')) as {
    ensureTemporal: () => string;
  };
  const temporalCli = ensureTemporal();
  const payloadKeys = await loadPayloadKeys(settings.dataDir);

  const databaseUrl = await prepareDatabase(settings);
  throwIfStopping();
  say(`application database ${redactPassword(databaseUrl)}`);

  await startTemporal(settings, temporalCli);
  const issuer = await startIssuer(settings);

  const appEnv: NodeJS.ProcessEnv = {
    ...environmentWithout(),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: settings.temporalAddress,
    TEMPORAL_NAMESPACE: settings.namespace,
    TEMPORAL_TASK_QUEUE: settings.taskQueue,
    PAYLOAD_KEYS: payloadKeys.keys,
    PAYLOAD_ACTIVE_KEY_ID: payloadKeys.activeKeyId,
    PORT: String(settings.apiPort),
    OIDC_ISSUER: issuer,
    OIDC_AUDIENCE: DEV_AUDIENCE,
    // zsh and some CI images set HOST to the machine's name; the dev API stays on loopback, where the URLs point.
    HOST: '127.0.0.1',
  };
  const node = process.execPath;
  const dist = path.join(settings.repoRoot, 'dist', 'apps');
  // The worker drains running activities on SIGTERM before it exits.
  spawnChild(
    'worker',
    node,
    [...nodeArgsFromEnv('STACK_WORKER_NODE_ARGS'), path.join(dist, 'worker', 'src', 'main.js')],
    {
      cwd: settings.repoRoot,
      env: appEnv,
      stopTimeoutMs: 30_000,
    },
  );
  // The API starts once a worker polls, so a pathway opened right away is picked up instead of timing out.
  await waitForWorker(settings);
  spawnChild('api', node, [...nodeArgsFromEnv('STACK_API_NODE_ARGS'), path.join(dist, 'api', 'src', 'main.js')], {
    cwd: settings.repoRoot,
    env: appEnv,
    stopTimeoutMs: 15_000,
  });
  await waitForApi(settings);
  printInstructions(settings, databaseUrl);
}

async function stopAll(): Promise<void> {
  // Reverse start order: the API stops taking requests before the worker stops, both before their servers go.
  for (const child of [...children].reverse()) await stopChild(child);
  if (postgresWatch) {
    postgresWatch
      .removeAllListeners('end')
      .removeAllListeners('error')
      .on('error', () => undefined);
    await postgresWatch.end().catch(() => undefined);
  }
  if (postgres?.embedded) say('stopping postgres');
  await postgres?.stop();
}

async function runStack(): Promise<number> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // npm forwards the terminal's Ctrl-C as well, so a second signal is expected and must not cut the stop short.
      if (stopReason) say(`${signal} received; already stopping`);
      else requestStop(`${signal} received`, 0);
    });
  }
  // The launcher is our lifeline to the terminal: if it is killed, nobody could stop us any more.
  process.once('disconnect', () => requestStop('the launching process went away', 1));
  // Last resort if this process dies with children still running (a bug, an uncaught error).
  process.once('exit', () => {
    for (const { supervisor } of children) {
      const child = supervisor.current;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  let exitCode = 0;
  try {
    await start(readSettings());
    say('ready');
    await stopped;
  } catch (error) {
    if (!(error instanceof StopRequested)) {
      complain(`start failed: ${errorText(error)}`);
      exitCode = 1;
    }
  }
  try {
    await stopAll();
  } catch (error) {
    complain(`stopping failed: ${errorText(error)}`);
    exitCode = 1;
  }
  exitCode = stopReason?.exitCode || exitCode;
  if (exitCode === 0) say('stopped; data kept');
  else complain(`stopped${stopReason ? ` because ${stopReason.message}` : ''}`);
  return exitCode;
}

/**
 * A terminal's Ctrl-C signals the whole foreground process group at once, which would stop PostgreSQL and Temporal
 * under a worker still finishing its activities. So this process only relays signals to a copy of itself in a
 * process group of its own, which stops the children one after the other.
 */
function runLauncher(): void {
  const supervisor = spawn(process.execPath, [...process.execArgv, __filename, ...process.argv.slice(2)], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [SUPERVISOR_ENV]: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => supervisor.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
  }
  supervisor.once('error', (error) => {
    complain(`could not start: ${error.message}`);
    process.exit(1);
  });
  supervisor.once('exit', (code) => process.exit(code ?? 1));
}

if (require.main === module) {
  if (process.env[SUPERVISOR_ENV] || process.platform === 'win32') {
    runStack().then(
      (code) => process.exit(code),
      (error: unknown) => {
        complain(errorText(error));
        process.exit(1);
      },
    );
  } else {
    runLauncher();
  }
}
