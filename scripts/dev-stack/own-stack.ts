// A whole dev stack (scripts/stack.ts: embedded PostgreSQL, Temporal dev server, worker, API, dev issuer) in a data
// directory and on ports of its own, for the scripts that load it, kill parts of it or measure it (scripts/faults.ts,
// scripts/bench.ts). It runs from the build (`dist/scripts/stack.js`) and under the stack's own supervisor, so a
// child that is killed comes back as it would in `npm start`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from '@temporalio/client';
import { PersonKeys, createDataSource } from '../../libs/persistence/src';
import {
  createTemporalClient,
  generatePayloadKey,
  parsePayloadKeys,
  type PersonKeyring,
  type TemporalConfig,
} from '../../libs/temporal/src';

export const REPO_ROOT = path.resolve(__dirname, __dirname.split(path.sep).includes('dist') ? '../../..' : '../..');

export interface OwnStack {
  process: ChildProcess;
  dataDir: string;
  api: string;
  issuer: string;
  temporalAddress: string;
  /** The application's database as the superuser of the embedded server. */
  databaseUrl: string;
  temporal: TemporalConfig;
}

export type StackPart = 'worker' | 'api' | 'temporal' | 'postgres' | 'postmaster';

const STACK_READY_TIMEOUT_MS = 600_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts the stack and resolves once it says it is running; its output goes to `logFile`. */
export async function startOwnStack(logFile: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<OwnStack> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'exit-pathways-own-stack-'));
  const [apiPort, temporalPort, uiPort, postgresPort, issuerPort, metricsPort, sdkMetricsPort] = await Promise.all(
    Array.from({ length: 7 }, freePort),
  );
  const payloadKeys = generatePayloadKey('k1');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EXIT_PATHWAYS_STACK_SUPERVISOR: '1', // run the stack as our child, not detached
    DATA_DIR: dataDir,
    PORT: String(apiPort),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    POSTGRES_PORT: String(postgresPort),
    DEV_ISSUER_PORT: String(issuerPort),
    METRICS_PORT: String(metricsPort),
    // Not the default 9465: another stack on the machine (a dev stack, another run) may hold it.
    TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${sdkMetricsPort}`,
    PAYLOAD_KEYS: payloadKeys,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...extraEnv,
  };
  delete env.DATABASE_URL; // always an embedded PostgreSQL of its own: the faults freeze and kill it
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/stack.js')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await fs.mkdir(path.dirname(logFile), { recursive: true });
  const output = createWriteStream(logFile);
  child.stdout?.pipe(output);
  child.stderr?.pipe(output);
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4000);
      if (seen.includes('dev stack is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the stack exited (${code}) before it was ready; see ${logFile}`)));
  });
  const timeout = sleep(STACK_READY_TIMEOUT_MS).then(() => {
    throw new Error(`the stack did not start within ${STACK_READY_TIMEOUT_MS / 60_000} min; see ${logFile}`);
  });
  await Promise.race([ready, timeout]);
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  // The embedded PostgreSQL's superuser password, kept beside its data (scripts/dev-stack/postgres-server.ts).
  const password = await fs.readFile(path.join(dataDir, 'postgres-password'), 'utf8').then(
    (text) => `:${encodeURIComponent(text.trim())}`,
    () => '',
  );
  return {
    process: child,
    dataDir,
    api: `http://127.0.0.1:${apiPort}`,
    issuer: `http://127.0.0.1:${issuerPort}`,
    temporalAddress,
    databaseUrl: `postgres://postgres${password}@127.0.0.1:${postgresPort}/exit_pathways`,
    temporal: {
      address: temporalAddress,
      namespace: 'exit-pathways',
      taskQueue: 'pathways',
      payloadKeys: parsePayloadKeys(payloadKeys, undefined),
    },
  };
}

/** Ctrl-C to the stack (it stops in order), then its data directory is removed. */
export async function stopOwnStack(stack: OwnStack): Promise<void> {
  stack.process.kill('SIGINT');
  await Promise.race([new Promise((resolve) => stack.process.once('exit', resolve)), sleep(60_000)]);
  await fs.rm(stack.dataDir, { recursive: true, force: true }).catch(() => undefined);
}

/** The stack's processes of one kind, found afresh each time: the supervisor replaces what dies. */
export function pidsOf(stack: OwnStack, part: StackPart): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((match): match is RegExpMatchArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] }));
  const below = new Set([stack.process.pid]);
  const found: typeof rows = [];
  for (let grew = true; grew;) {
    grew = false;
    for (const row of rows) {
      if (below.has(row.ppid) && !below.has(row.pid)) {
        below.add(row.pid);
        found.push(row);
        grew = true;
      }
    }
  }
  const matches: Record<StackPart, (args: string) => boolean> = {
    worker: (args) => /apps\/worker\/(src\/)?main/.test(args),
    api: (args) => /apps\/api\/(src\/)?main/.test(args),
    temporal: (args) => /temporal\S*\s+server start-dev/.test(args),
    postgres: (args) => /^postgres:|bin\/postgres\s/.test(args),
    postmaster: (args) => /bin\/postgres\s.*-D/.test(args),
  };
  const pids = found.filter((row) => matches[part](row.args)).map((row) => row.pid);
  if (pids.length === 0) throw new Error(`no ${part} process found under the stack`);
  return pids;
}

export function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // gone already
    }
  }
}

/** Resident memory of a process in MB, from /proc. */
export async function rssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Waits until the API answers /health 200 again (the supervisor restarts what died); how long that took. */
export async function healthy(stack: OwnStack, withinMs = 180_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    const ok = await fetch(`${stack.api}/health`, { signal: AbortSignal.timeout(3000) })
      .then((response) => response.status === 200)
      .catch(() => false);
    if (ok) return Date.now() - started;
    await sleep(500);
  }
  throw new Error(`the stack was not healthy again within ${withinMs / 1000} s`);
}

/**
 * A Temporal client with the stack's codec: payloads are sealed with each person's key, which is kept (wrapped) in
 * the stack's database, so the client reads the keys from there.
 */
export async function temporalClientOf(
  stack: OwnStack,
): Promise<{ client: Client; personKeys: PersonKeyring; close: () => Promise<void> }> {
  const dataSource = createDataSource(stack.databaseUrl, { poolSize: 2 });
  await dataSource.initialize();
  const personKeys = new PersonKeys(dataSource, stack.temporal.payloadKeys);
  const client = await createTemporalClient(stack.temporal, [], personKeys);
  return {
    client,
    personKeys,
    close: async () => {
      await client.connection.close();
      await dataSource.destroy();
    },
  };
}
