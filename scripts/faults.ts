// The fault suite (npm run test:faults; issue 14, item 6): against a running supervised stack (`npm start` in another
// terminal, which restarts a killed child), each scenario runs under pathway-start load, injects its fault, lets the
// stack recover, and ends with the invariant check:
//   - every pathway a client was told about (201, 200, or 503 START_PENDING with its id) is in the read model (lost);
//   - reconciliation (POST /admin/reconciliation) finds no drift between workflow and read model — stage, tasks,
//     version — and no running workflow without a read-model row (lost);
//   - no two open tasks of one pathway share a key, and one Idempotency-Key made one pathway (duplicated);
//   - every pathway answers a command within 10 s (stuck).
// It prints lost / duplicated / stuck per scenario; all must be 0 (exit code 1 otherwise). Not part of `npm test`:
// it kills processes of the stack it is pointed at, and takes minutes. The processes are found by their command line
// under this repository's root (the worker's and API's dist/…/main.js, the Temporal dev server, the embedded
// PostgreSQL with the stack's DATA_DIR), so another checkout's stack is left alone.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEV_ISSUER_DEFAULT_PORT } from './dev-stack/dev-accounts';
import { mintDevToken } from './dev-stack/dev-token';

// npm run sets the working directory to the repository's root.
const ROOT = process.cwd();
const API = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const ISSUER = process.env.DEV_ISSUER_URL ?? `http://127.0.0.1:${DEV_ISSUER_DEFAULT_PORT}`;
const DATA_DIR = path.resolve(process.env.DATA_DIR ?? path.join(ROOT, '.data'));
const RATE = Number(process.env.FAULTS_RATE ?? 5);
const LOAD_SECONDS = Number(process.env.FAULTS_LOAD_SECONDS ?? 30);

type Child = 'worker' | 'api' | 'temporal' | 'postgres';

/** The pid of one of the stack's children, by its command line under this checkout (never another one's). */
function pidOf(child: Child): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    const match =
      child === 'worker'
        ? cmd.includes(path.join(ROOT, 'dist')) && cmd.includes(path.join('worker', 'src', 'main.js'))
        : child === 'api'
          ? cmd.includes(path.join(ROOT, 'dist')) && cmd.includes(path.join('api', 'src', 'main.js'))
          : child === 'temporal'
            ? cmd.includes('server start-dev') && cmd.includes(DATA_DIR)
            : /(^|\/)postgres /.test(cmd) && cmd.includes(DATA_DIR);
    if (match) return Number(entry);
  }
  return undefined;
}

function signal(child: Child, sig: NodeJS.Signals): void {
  const pid = pidOf(child);
  if (!pid) throw new Error(`no ${child} of this stack runs (start it with npm start)`);
  process.kill(pid, sig);
  console.log(`  ${sig} → ${child} (pid ${pid})`);
}

/** The parts of the API's answers this suite reads. */
interface Answer {
  id?: string;
  tasks?: { key: string; status: string }[];
  drifted?: number;
  missing?: number;
  unreachable?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const tokens = new Map<string, string>();
async function token(username: string): Promise<string> {
  if (!tokens.has(username)) tokens.set(username, await mintDevToken({ issuer: ISSUER, username }));
  return tokens.get(username)!;
}

async function call(
  method: string,
  route: string,
  as: string,
  body?: unknown,
  key?: string,
): Promise<{ status: number; body: Answer | undefined }> {
  try {
    const res = await fetch(`${API}${route}`, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await token(as)}`,
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Answer) : undefined };
  } catch {
    return { status: 0, body: undefined };
  }
}

function startRequest() {
  const born = new Date(Date.now() - 17 * 365.25 * 86_400_000).toISOString().slice(0, 10);
  return {
    person: { name: `Fejltest ${randomUUID().slice(0, 8)}`, birthDate: born, district: 'YDRE_NORREBRO' },
    contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: new Date().toISOString(), context: 'Fejltest' },
  };
}

/** What clients were told: the pathway id per Idempotency-Key (a key retried until it is answered). */
interface Ledger {
  byKey: Map<string, Set<string>>;
}

/** One start under a key, retried with the same key until it is answered with an id (as the web app does). */
async function startOnce(ledger: Ledger, deadline: number): Promise<void> {
  const key = `faults-${randomUUID()}`;
  const body = startRequest();
  const ids = new Set<string>();
  ledger.byKey.set(key, ids);
  while (Date.now() < deadline + 120_000) {
    const res = await call('POST', '/pathways', 'lokalpoliti-sagsbehandler', body, key);
    if (res.body?.id) ids.add(res.body.id);
    if (res.status === 201 || res.status === 200) return;
    await sleep(1000);
  }
}

/** Open-loop load: RATE starts a second for `seconds`, each retried until answered. */
async function load(ledger: Ledger, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  const running: Promise<void>[] = [];
  while (Date.now() < deadline) {
    running.push(startOnce(ledger, deadline));
    await sleep(1000 / RATE);
  }
  await Promise.all(running);
}

interface Counts {
  lost: number;
  duplicated: number;
  stuck: number;
}

async function invariants(ledger: Ledger): Promise<Counts> {
  const counts: Counts = { lost: 0, duplicated: 0, stuck: 0 };
  const ids: string[] = [];
  for (const [, set] of ledger.byKey) {
    if (set.size > 1) counts.duplicated += set.size - 1;
    ids.push(...set);
  }
  const reconciliation = await call('POST', '/admin/reconciliation', 'admin');
  if (reconciliation.status !== 200) throw new Error(`reconciliation answered ${reconciliation.status}`);
  const found = reconciliation.body ?? {};
  counts.lost += (found.missing ?? 0) + (found.drifted ?? 0) + (found.unreachable ?? 0);
  for (const id of ids) {
    const read = await call('GET', `/pathways/${id}`, 'koordinator');
    if (read.status !== 200) {
      counts.lost++;
      continue;
    }
    const open = (read.body?.tasks ?? []).filter((t) => t.status === 'OPEN' || t.status === 'CLAIMED');
    counts.duplicated += open.length - new Set(open.map((t) => t.key)).size;
    const began = Date.now();
    const answered = await call(
      'POST',
      `/pathways/${id}/events`,
      'koordinator',
      { type: 'MOVED', occurredAt: new Date().toISOString(), data: { district: 'TINGBJERG' } },
      `faults-probe-${id}`,
    );
    if (answered.status !== 200 || Date.now() - began > 10_000) counts.stuck++;
  }
  return counts;
}

const SCENARIOS: { name: string; fault: () => Promise<void> }[] = [
  {
    name: 'worker SIGKILL under load',
    fault: async () => signal('worker', 'SIGKILL'),
  },
  {
    name: 'Temporal SIGKILL and restart',
    fault: async () => signal('temporal', 'SIGKILL'),
  },
  {
    name: 'PostgreSQL SIGSTOP 60 s',
    fault: async () => {
      signal('postgres', 'SIGSTOP');
      await sleep(60_000);
      signal('postgres', 'SIGCONT');
    },
  },
  {
    name: 'PostgreSQL SIGKILL',
    fault: async () => signal('postgres', 'SIGKILL'),
  },
  {
    name: 'API SIGKILL during an idempotent start',
    fault: async () => signal('api', 'SIGKILL'),
  },
];

async function concurrentDuplicates(ledger: Ledger): Promise<void> {
  // Ten clients sending one start with one key at once, five times over.
  for (let i = 0; i < 5; i++) {
    const key = `faults-dup-${randomUUID()}`;
    const body = startRequest();
    const ids = new Set<string>();
    ledger.byKey.set(key, ids);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', '/pathways', 'lokalpoliti-sagsbehandler', body, key)),
    );
    for (const a of answers) if (a.body?.id) ids.add(a.body.id);
  }
}

async function main(): Promise<void> {
  const health = await fetch(`${API}/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`no healthy stack at ${API} (start it with npm start)`);
  const only = process.argv.slice(2);
  let failed = false;
  const report: string[] = [];
  const run = async (name: string, body: (ledger: Ledger) => Promise<void>) => {
    if (only.length > 0 && !only.some((o) => name.toLowerCase().includes(o.toLowerCase()))) return;
    console.log(`\n${name}`);
    const ledger: Ledger = { byKey: new Map() };
    await body(ledger);
    // Recovery: the supervisor restarts the child with backoff; wait until the API says everything answers.
    for (let i = 0; i < 120; i++) {
      const res = await fetch(`${API}/health`).catch(() => undefined);
      if (res?.ok) break;
      await sleep(1000);
    }
    const counts = await invariants(ledger);
    const line = `${name}: ${ledger.byKey.size} starts, lost ${counts.lost}, duplicated ${counts.duplicated}, stuck ${counts.stuck}`;
    console.log(`  ${line}`);
    report.push(line);
    if (counts.lost + counts.duplicated + counts.stuck > 0) failed = true;
  };
  for (const scenario of SCENARIOS) {
    await run(scenario.name, async (ledger) => {
      const loading = load(ledger, LOAD_SECONDS);
      await sleep((LOAD_SECONDS * 1000) / 3);
      await scenario.fault();
      await loading;
    });
  }
  await run('concurrent duplicates', concurrentDuplicates);
  console.log(`\n${report.join('\n')}`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
