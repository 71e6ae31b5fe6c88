// The benchmark suite (`npm run bench`; docs/PERFORMANCE.md has the figures and how to read them). It runs the whole
// dev stack in a data directory of its own (scripts/dev-stack/own-stack.ts) and, in the same run on the same Temporal
// server, a bare-Temporal baseline: a workflow that starts and runs one activity writing one row
// (scripts/bench/bare-workflow.ts). Measured, each printed and written to test-results/bench/report.json:
//
//   1. starts/s sustained: the highest offered rate (open loop, BENCH_RATES) that holds (scripts/bench/hold-rule.ts:
//      p99 < 2 s, at least 99.5 % answered 201 with their first tasks, the rest only refused at once with
//      Retry-After), probed for BENCH_PROBE_SECONDS each, then held for BENCH_SUSTAIN_SECONDS (the 10 minutes
//      by default), stepping down until a hold holds — for pathways and for the bare workflow; the ratio;
//   2. overload at 3 × the sustained pathway rate for 30 s: the share answered within 2 s (201 or 503);
//   3. event → new tasks visible (the Update answers after the read-model write) at the sustained rate, p50/p99;
//   4. BENCH_BURST deadlines falling due in the same minute (BENCH_BURST_SPREAD_SECONDS, 60; 0 puts them all on one
//      moment) → escalations visible in the read model, lateness after each one's own moment, p50/p99;
//   5. worker memory per cached pathway: worker RSS at 0 and at each of BENCH_MEMORY_SIZES open pathways;
//   6. cold replay of a pathway history of about BENCH_REPLAY_EVENTS events (a new replay worker, bundle prebuilt);
//   7. the queue benchmark (scripts/bench-queue.ts) as before.
// BENCH_ONLY=starts,overload,events,deadlines,memory,replay,queue picks sections. BENCH_BARE=0 leaves out the bare
// baseline (a quicker before/after of the pathway starts alone; no ratio). BENCH_PROFILE=1 runs the API and the
// worker with --cpu-prof (profiles in test-results/bench/profiles when the stack stops), PostgreSQL with
// pg_stat_statements (the statements of the pathway starts, by total time, in the report), and counts the history
// events of one started pathway by type.
// Starts come from several caseworker accounts in turn (STARTERS), each for its own agency, so the per-user rate
// limit (100 a 10 s) does not answer before the API's back-pressure does.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { Pool } from 'pg';
import { FAILURE_CONVERTER_PATH, dataConverter } from '../libs/temporal/src';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../apps/worker/src/workflow-interceptors';
import { DEV_AUDIENCE, DEV_USERS } from './dev-stack/dev-accounts';
import { mintDevToken } from './dev-stack/dev-token';
import {
  REPO_ROOT,
  pidsOf,
  rssMb,
  startOwnStack,
  stopOwnStack,
  temporalClientOf,
  type OwnStack,
} from './dev-stack/own-stack';
import { bareActivities } from './bench/bare-activities';
import { LIMIT_MS, holds, inTime, sustainedRates } from './bench/hold-rule';

const REPORT_DIR = path.join(REPO_ROOT, 'test-results/bench');
const RATES = (process.env.BENCH_RATES ?? '2,3,4,5,6,8,10,12,15,18,22,26,30').split(',').map(Number);
const PROBE_SECONDS = Number(process.env.BENCH_PROBE_SECONDS ?? 20);
const SUSTAIN_SECONDS = Number(process.env.BENCH_SUSTAIN_SECONDS ?? 600);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const BURST_SPREAD_SECONDS = Number(process.env.BENCH_BURST_SPREAD_SECONDS ?? 60);
const MEMORY_SIZES = (process.env.BENCH_MEMORY_SIZES ?? '1000,5000').split(',').map(Number);
const REPLAY_EVENTS = Number(process.env.BENCH_REPLAY_EVENTS ?? 2000);
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const BARE = process.env.BENCH_BARE !== '0';
const PROFILE = process.env.BENCH_PROFILE === '1';
/** The agencies whose caseworkers start pathways, in turn (scripts/dev-stack/dev-accounts.ts). */
const STARTER_AGENCIES = [
  'POLICE_LOCAL',
  'POLICE_EAS',
  'POLICE_EXIT',
  'POLICE_DKS',
  'POLICE_OC',
  'SSP',
  'EKI',
  'CFR',
  'TIDLIG',
  'JOBCENTER',
  'UU',
  'KRIMINALFORSORGEN',
  'SSP_PLUS',
  'BORGERCENTER_BU',
];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string): void => void process.stdout.write(`[bench] ${new Date().toISOString()} ${line}\n`);
const wanted = (section: string): boolean => !ONLY || ONLY.includes(section);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (n: number): number => Math.round(n * 10) / 10;
/** What a call that got no answer met (a TimeoutError, a WorkflowFailedError, …): its status is 0. */
const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'Error');

interface Sample {
  ms: number;
  ok: boolean;
  status: number;
  /** A 503 that said when to try again (Retry-After). */
  retryAfter?: boolean;
  /** The answer's `code` (a 503's OVERLOADED, START_PENDING, TEMPORAL_UNAVAILABLE), or the error of no answer. */
  code?: string;
}

interface RunFigures {
  rate: number;
  seconds: number;
  offered: number;
  ok: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  /** Answered within LIMIT_MS with 201 (or 200) or a 503 with Retry-After: the overload section's measure. */
  withinLimit: number;
  /** Answers that carried Retry-After (a 503, or a 429 from the per-user limit). */
  retryAfter: number;
  /** Refused at once by the back-pressure: 503 OVERLOADED with Retry-After. */
  refused: number;
}

/** Offers `rate` calls a second for `seconds`, open loop: a slow answer does not slow the offer. */
async function openLoop(rate: number, seconds: number, call: () => Promise<Sample>): Promise<RunFigures> {
  const samples: Promise<Sample>[] = [];
  const started = Date.now();
  for (let i = 0; Date.now() - started < seconds * 1000; i++) {
    samples.push(call());
    await sleep(Math.max(0, started + ((i + 1) * 1000) / rate - Date.now()));
  }
  const done = await Promise.all(samples);
  const statuses: Record<string, number> = {};
  for (const sample of done) {
    const key = sample.code ? `${sample.status} ${sample.code}` : String(sample.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const ms = done.map((sample) => sample.ms);
  return {
    rate,
    seconds,
    offered: done.length,
    ok: done.filter((sample) => sample.ok).length,
    p50: round(percentile(ms, 50)),
    p99: round(percentile(ms, 99)),
    statuses,
    withinLimit: done.filter(
      (sample) =>
        sample.ms < LIMIT_MS && (sample.ok || sample.status === 200 || (sample.status === 503 && sample.retryAfter)),
    ).length,
    retryAfter: done.filter((sample) => sample.retryAfter).length,
    refused: done.filter((sample) => sample.status === 503 && sample.code === 'OVERLOADED' && sample.retryAfter).length,
  };
}

const describeRun = (figures: RunFigures): string =>
  `${figures.ok}/${figures.offered} ok (${JSON.stringify(figures.statuses)}), p50 ${figures.p50} ms, ` +
  `p99 ${figures.p99} ms, ${holds(figures) ? 'holds' : inTime(figures) ? 'in time but not held' : 'fails'}`;

/** Calm: the stack and the bench together used less than this share of one core over the last SETTLE_STEP_MS. */
const SETTLE_BELOW_CORES = 0.3;
const SETTLE_STEP_MS = 5000;
const SETTLE_MAX_MS = 15 * 60_000;

/**
 * Waits until the stack has worked off what the last run left (a failed run leaves a backlog of workflow tasks and
 * timers that Temporal and the workers go on with for minutes) so that the next run does not measure it: until the
 * stack's processes and the bench (which runs the bare workflow's worker) used less than SETTLE_BELOW_CORES of a core
 * over SETTLE_STEP_MS, at most SETTLE_MAX_MS.
 */
async function settle(stack: OwnStack): Promise<void> {
  const started = Date.now();
  const busy = (parts: CpuParts) => Object.values(parts).reduce((a, b) => a + b, 0);
  let before = busy(await cpuNow(stack));
  for (;;) {
    await sleep(SETTLE_STEP_MS);
    const now = busy(await cpuNow(stack));
    const cores = (now - before) / (SETTLE_STEP_MS / 1000);
    before = now;
    if (cores < SETTLE_BELOW_CORES || Date.now() - started > SETTLE_MAX_MS) {
      const waited = Date.now() - started;
      if (waited > 2 * SETTLE_STEP_MS) log(`settled after ${Math.round(waited / 1000)} s (${round(cores)} cores busy)`);
      return;
    }
  }
}

/**
 * The highest rate in RATES that holds for a probe, then that rate held for SUSTAIN_SECONDS, stepping down until a
 * hold holds; the stack settles before each run (`settle`). `rate` is the rate held (0 if none); `inTimeRate` the
 * highest whose hold was answered in time (the literal words: p99 < 2 s, no start without its first tasks),
 * which the later sections fall back to.
 */
async function sustained(stack: OwnStack, name: string, call: () => Promise<Sample>) {
  // Warm-up, not counted: the first calls load code, open connections and fill caches.
  for (let i = 0; i < 10; i++) await call();
  const probes: RunFigures[] = [];
  let best: number | undefined;
  for (const rate of RATES) {
    await settle(stack);
    const figures = await openLoop(rate, PROBE_SECONDS, call);
    probes.push(figures);
    log(`${name} ${rate}/s: ${describeRun(figures)}`);
    if (!holds(figures)) break;
    best = rate;
  }
  const held: RunFigures[] = [];
  if (best === undefined) return { probes, held, rate: 0, inTimeRate: 0 };
  // A probe is short; if the long run does not hold, step down until one does (or nothing is left).
  for (let rate = best; ; rate = RATES[RATES.indexOf(rate) - 1]) {
    await settle(stack);
    const figures = await openLoop(rate, SUSTAIN_SECONDS, call);
    held.push(figures);
    log(`${name} held ${rate}/s for ${SUSTAIN_SECONDS} s: ${describeRun(figures)}`);
    if (holds(figures) || RATES.indexOf(rate) === 0) break;
  }
  return { probes, held, ...sustainedRates(held) };
}

// ---- the API ---------------------------------------------------------------------------------------------------

interface Api {
  stack: OwnStack;
  tokens: Record<string, string>;
  /** The caseworker accounts that start pathways, in turn, each with its own agency. */
  starters: { as: string; agency: string }[];
}

interface AnswerBody {
  code?: string;
  id?: string;
  pathwayId?: string;
  tasks?: { id: string; key: string; agency: string; status?: string }[];
}

async function post(
  api: Api,
  as: string,
  url: string,
  body: unknown,
): Promise<{ status: number; body: AnswerBody; retryAfter: boolean }> {
  const response = await fetch(`${api.stack.api}${url}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${api.tokens[as]}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as AnswerBody,
    retryAfter: response.headers.get('retry-after') !== null,
  };
}

/** Mints a token for `as` unless the bench holds one (onStack mints them all again in time). */
async function signIn(api: Api, as: string): Promise<void> {
  api.tokens[as] ??= await mintDevToken({ issuer: api.stack.issuer, username: as, resource: DEV_AUDIENCE });
}

let people = 0;
function startBody(sourceAgency = 'POLICE_LOCAL'): unknown {
  // A distinct, made-up name and birth date each (the duplicate warning must not fire); 16 years old.
  people += 1;
  const birth = new Date(Date.UTC(2010, 0, 1) + (people % 3000) * 86_400_000 * 0.1);
  const word = (n: number): string =>
    n
      .toString(26)
      .split('')
      .map((digit) => 'bcdfghjklmnprstvbcdfghjklm'[parseInt(digit, 26)] + 'aeiouy'[parseInt(digit, 26) % 6])
      .join('');
  return {
    person: {
      name: `B${word(people)} K${word(people * 7919)}`,
      birthDate: birth.toISOString().slice(0, 10),
      district: 'YDRE_NORREBRO',
    },
    contact: { sourceAgency, occurredAt: new Date().toISOString(), context: 'Måling' },
  };
}

const started: { id: string; taskId?: string; taskAgency?: string }[] = [];

let nextStarter = 0;
async function startPathway(api: Api): Promise<Sample> {
  const t0 = Date.now();
  const starter = api.starters[nextStarter++ % api.starters.length];
  try {
    const answer = await post(api, starter.as, '/pathways', startBody(starter.agency));
    // A 202 is a miss for the rate, but its pathway is used later once it can be read (readable below).
    if (answer.status === 201 || answer.status === 202) {
      const task = answer.body?.tasks?.[0];
      const id = answer.body.id ?? answer.body.pathwayId;
      if (id) started.push({ id, taskId: task?.id, taskAgency: task?.agency });
    }
    return {
      ms: Date.now() - t0,
      ok: answer.status === 201,
      status: answer.status,
      retryAfter: answer.retryAfter,
      ...(answer.status === 503 && answer.body.code ? { code: answer.body.code } : {}),
    };
  } catch (error) {
    return { ms: Date.now() - t0, ok: false, status: 0, code: errorName(error) };
  }
}

/** The pathways as a client sees them once written: each one's first open task (a 202 had none yet). */
async function readable(api: Api, entries: typeof started): Promise<typeof started> {
  const ready: typeof started = [];
  for (const entry of entries) {
    for (let attempt = 0; !entry.taskId && attempt < 120; attempt++) {
      const response = await fetch(`${api.stack.api}/pathways/${entry.id}`, {
        headers: { authorization: `Bearer ${api.tokens.coordinator}` },
        signal: AbortSignal.timeout(30_000),
      }).catch(() => undefined);
      const body = response?.status === 200 ? ((await response.json()) as AnswerBody) : undefined;
      const task = body?.tasks?.find((t) => t.status === 'OPEN');
      if (task) Object.assign(entry, { taskId: task.id, taskAgency: task.agency });
      else await sleep(1000);
    }
    if (entry.taskId) ready.push(entry);
  }
  return ready;
}

// ---- CPU per call, by process (BENCH_PROFILE) ----------------------------------------------------------------

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process and its waited-for children have used, from /proc. */
async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime: fields 14–17 of proc(5), 12–15 after the name.
  return fields.slice(11, 15).reduce((sum, field) => sum + Number(field || 0), 0) / CLOCK_TICKS;
}

type CpuParts = Record<'api' | 'worker' | 'temporal' | 'postgres' | 'bench', number>;

async function cpuNow(stack: OwnStack): Promise<CpuParts> {
  const sum = async (part: Parameters<typeof pidsOf>[1]) =>
    (await Promise.all(pidsOf(stack, part).map(cpuSecondsOf))).reduce((a, b) => a + b, 0);
  const self = process.cpuUsage();
  return {
    api: await sum('api'),
    worker: await sum('worker'),
    temporal: await sum('temporal'),
    postgres: await sum('postgres'),
    bench: (self.user + self.system) / 1e6,
  };
}

/** Runs `measure` counting the calls it makes; CPU milliseconds per call in each process of the stack. */
async function cpuPerCall<T>(
  stack: OwnStack,
  call: () => Promise<Sample>,
  measure: (counted: () => Promise<Sample>) => Promise<T>,
): Promise<{ result: T } & CpuFigures> {
  let calls = 0;
  return cpuAround(
    stack,
    () =>
      measure(() => {
        calls++;
        return call();
      }),
    () => calls,
  );
}

interface CpuFigures {
  calls: number;
  cpuMsPerCall: Record<string, number>;
  cpuSeconds: Record<string, number>;
}

/** CPU seconds each process of the stack used while `run` ran, and per call (`callsOf` its result). */
async function cpuAround<T>(
  stack: OwnStack,
  run: () => Promise<T>,
  callsOf: (result: T) => number,
): Promise<{ result: T } & CpuFigures> {
  const before = await cpuNow(stack);
  const result = await run();
  const after = await cpuNow(stack);
  const calls = callsOf(result);
  const cpuSeconds: Record<string, number> = {};
  const cpuMsPerCall: Record<string, number> = {};
  for (const part of Object.keys(after) as (keyof CpuParts)[]) {
    cpuSeconds[part] = round(after[part] - before[part]);
    cpuMsPerCall[part] = round(((after[part] - before[part]) * 1000) / Math.max(1, calls));
  }
  log(`CPU per call over ${calls} calls (ms): ${JSON.stringify(cpuMsPerCall)}`);
  return { result, calls, cpuMsPerCall, cpuSeconds };
}

// ---- the sections ----------------------------------------------------------------------------------------------

async function bareBaseline(stack: OwnStack, pool: Pool) {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_bare (id text PRIMARY KEY, at timestamptz NOT NULL)');
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: stack.temporal.namespace,
    taskQueue: 'bench-bare',
    workflowsPath: require.resolve('./bench/bare-workflow'),
    activities: bareActivities(pool),
  });
  const running = worker.run();
  const client = new Client({
    connection: await Connection.connect({ address: stack.temporalAddress }),
    namespace: stack.temporal.namespace,
  });
  const call = async (): Promise<Sample> => {
    const t0 = Date.now();
    const id = randomUUID();
    try {
      await client.workflow.execute('bareWorkflow', {
        taskQueue: 'bench-bare',
        workflowId: `bench-bare-${id}`,
        args: [id],
      });
      return { ms: Date.now() - t0, ok: true, status: 200 };
    } catch (error) {
      return { ms: Date.now() - t0, ok: false, status: 0, code: errorName(error) };
    }
  };
  try {
    if (!PROFILE) return await sustained(stack, 'bare', call);
    const { result, ...cpu } = await cpuPerCall(stack, call, (counted) => sustained(stack, 'bare', counted));
    return { ...result, cpu };
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await client.connection.close();
  }
}

/**
 * The three coordinator accounts record the events in turn: one alone meets the per-user rate limit (10 a second)
 * below the rates the stack sustains.
 */
const EVENT_RECORDERS = ['koordinator', 'koordinator2', 'operativ-koordinator'];

async function events(api: Api, rate: number) {
  const targets = await readable(api, started.splice(0, Math.max(1, Math.round(rate * 60))));
  for (const as of EVENT_RECORDERS) await signIn(api, as);
  let next = 0;
  let withNewTasks = 0;
  const figures = await openLoop(rate, Math.min(60, targets.length / rate), async () => {
    const n = next++;
    const target = targets[n % targets.length];
    const t0 = Date.now();
    try {
      const answer = await post(api, EVENT_RECORDERS[n % EVENT_RECORDERS.length], `/pathways/${target.id}/events`, {
        type: 'ARRESTED',
        occurredAt: new Date().toISOString(),
        data: {},
      });
      const ms = Date.now() - t0;
      if (answer.body?.tasks?.some((task: { key: string }) => task.key !== undefined && /arrest/.test(task.key)))
        withNewTasks++;
      return { ms, ok: answer.status === 200, status: answer.status };
    } catch (error) {
      return { ms: Date.now() - t0, ok: false, status: 0, code: errorName(error) };
    }
  });
  return { ...figures, withNewTasks };
}

/**
 * The operative group's two accounts move the deadlines in turn: one alone meets the per-user rate limit (10 a second)
 * at the sustained rate (at 10/s, 489 of 991 moves failed).
 */
const EXTENDERS = ['operativ-gruppe', 'operativ-koordinator'];

async function deadlines(api: Api, pool: Pool, rate: number) {
  const playbooks = await fetch(`${api.stack.api}/playbooks`, {
    headers: { authorization: `Bearer ${api.tokens.coordinator}` },
  }).then((response) => response.json() as Promise<{ version: number }[] | { items?: { version: number }[] }>);
  const list = Array.isArray(playbooks) ? playbooks : (playbooks.items ?? []);
  const version = Math.max(0, ...list.map((p) => p.version)) + 1;
  const published = await post(api, 'coordinator', '/playbooks', {
    version,
    name: 'Benchmark: one deadline',
    stages: {
      CONTACT: {
        tasks: [
          {
            key: 'bench-deadline',
            agency: 'SSP',
            type: 'HOME_VISIT',
            title: 'Hjemmebesøg',
            due: { kind: 'duration', seconds: 3600 },
            escalateAfter: { kind: 'duration', seconds: 1 },
          },
        ],
      },
    },
  });
  if (published.status !== 201) throw new Error(`publishing the benchmark playbook answered ${published.status}`);
  started.length = 0;
  const starting = await openLoop(Math.max(1, rate), BURST / Math.max(1, rate), () => startPathway(api));
  const tasks = (await readable(api, started.splice(0))).slice(0, BURST);
  // The first moment comes after every extension is in; the moments spread evenly over the spread (one task each).
  const first = Date.now() + (tasks.length / Math.max(1, rate)) * 1000 + 60_000;
  const dueOf = new Map(
    tasks.map((task, i) => [
      task.taskId!,
      new Date(first + Math.floor((i * BURST_SPREAD_SECONDS * 1000) / Math.max(1, tasks.length))),
    ]),
  );
  log(
    `deadlines: ${tasks.length} tasks, moved to ${new Date(first).toISOString()} and the ${BURST_SPREAD_SECONDS} s after it`,
  );
  for (const as of EXTENDERS) await signIn(api, as);
  let extending = 0;
  const extended = await openLoop(Math.max(1, rate), tasks.length / Math.max(1, rate), async () => {
    const task = tasks.shift()!;
    const t0 = Date.now();
    const as = EXTENDERS[extending++ % EXTENDERS.length];
    const answer = await post(api, as, `/tasks/${task.taskId}/extend`, {
      dueAt: dueOf.get(task.taskId!)!.toISOString(),
      reason: 'Måling af frister',
    }).catch(() => ({ status: 0 }));
    tasks.push(task);
    return { ms: Date.now() - t0, ok: answer.status === 200, status: answer.status };
  });
  // A task falling due is escalated at its moment (level 1, the overdue step: libs/domain/src/sla.ts), its row in
  // escalations; a second later comes level 2 (the playbook's escalateAfter), more load in the same minute.
  const expectedOf = (taskId: string) => dueOf.get(taskId)!.getTime();
  const last = first + BURST_SPREAD_SECONDS * 1000 + 1000;
  const seen = new Map<string, number>();
  const ids = tasks.map((task) => task.taskId!);
  const watch = async () => {
    while (seen.size < ids.length && Date.now() < last + 180_000) {
      const rows = await pool.query<{ task_id: string }>(
        `SELECT DISTINCT task_id FROM escalations WHERE task_id = ANY($1::uuid[])`,
        [ids],
      );
      const now = Date.now();
      for (const row of rows.rows) if (!seen.has(row.task_id)) seen.set(row.task_id, now);
      await sleep(250);
    }
  };
  // Nothing falls due before the first moment (an escalation before it would count as on time anyway).
  await sleep(Math.max(0, first - Date.now() - 1000));
  // Profiled: the CPU from a second before the first deadline to the last escalation seen, per task escalated.
  const cpu = PROFILE
    ? await cpuAround(api.stack, watch, () => seen.size).then(({ result: _, ...figures }) => figures)
    : await watch();
  const lateness = [...seen].map(([taskId, at]) => Math.max(0, at - expectedOf(taskId)));
  return {
    tasks: ids.length,
    spreadSeconds: BURST_SPREAD_SECONDS,
    started: starting,
    extended: { ok: extended.ok, offered: extended.offered, statuses: extended.statuses },
    escalated: seen.size,
    p50: round(percentile(lateness, 50)),
    p99: round(percentile(lateness, 99)),
    max: round(Math.max(...lateness)),
    ...(cpu ? { cpu } : {}),
  };
}

async function memory(api: Api, pool: Pool, rate: number, rssAtStart: number) {
  const points: { open: number; rssMb: number }[] = [{ open: 0, rssMb: round(rssAtStart) }];
  for (const size of MEMORY_SIZES) {
    const open = async (): Promise<number> =>
      Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM pathways WHERE stage <> 'CLOSED'`)).rows[0].n);
    const missing = size - (await open());
    if (missing > 0) await openLoop(Math.max(1, rate), missing / Math.max(1, rate), () => startPathway(api));
    await sleep(10_000);
    const worker = pidsOf(api.stack, 'worker');
    points.push({ open: await open(), rssMb: round(await rssMb(worker[0])) });
    log(`memory: ${points.at(-1)!.open} open pathways, worker RSS ${points.at(-1)!.rssMb} MB`);
  }
  const last = points.at(-1)!;
  return { points, mbPerPathway: round(((last.rssMb - points[0].rssMb) / Math.max(1, last.open)) * 1000) / 1000 };
}

async function replay(api: Api) {
  const first = await post(api, 'starter', '/pathways', startBody());
  const id = first.body.id ?? first.body.pathwayId;
  if (!id) throw new Error(`replay: the start answered ${first.status}`);
  const [entry] = await readable(api, [{ id }]);
  const task = entry?.taskId ? { id: entry.taskId, agency: entry.taskAgency! } : undefined;
  if (!task || !caseworkerOf(task.agency)) throw new Error('replay: the pathway has no task a caseworker can claim');
  const as = caseworkerOf(task.agency)!;
  await signIn(api, as);
  const { client, personKeys, close } = await temporalClientOf(api.stack);
  // Grown to REPLAY_EVENTS, or until the workflow continues as new (it does after 600 events, patch
  // lean-continue-as-new-sooner): then the longest history a pathway keeps is the run that just ended.
  const firstRun = (await client.workflow.getHandle(`pathway-${id}`).describe()).runId;
  const handle = client.workflow.getHandle(`pathway-${id}`, firstRun);
  let events = 0;
  for (let i = 0; events < REPLAY_EVENTS; i++) {
    await post(api, as, `/tasks/${task.id}/claim`, {});
    await post(api, as, `/tasks/${task.id}/unclaim`, {});
    if (i % 20 !== 19) continue;
    events = (await handle.fetchHistory()).events?.length ?? 0;
    if ((await client.workflow.getHandle(`pathway-${id}`).describe()).runId !== firstRun) break;
  }
  const history = await handle.fetchHistory();
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(REPO_ROOT, 'dist/workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  // One replay worker, the same history under several ids: each is replayed from its first event with nothing cached,
  // as a pathway is after a cache miss. The time between two verdicts is one cold replay; the first pays for the
  // worker and the bundle's isolate and is not counted.
  const copies = 6;
  const times: number[] = [];
  let last = Date.now();
  const replays = Worker.runReplayHistories(
    { workflowBundle: bundle, dataConverter: dataConverter(api.stack.temporal, personKeys) },
    Array.from({ length: copies }, (_, i) => ({ workflowId: `pathway-${id}-${i}`, history })),
  );
  for await (const result of replays) {
    if (result.error) throw result.error;
    times.push(Date.now() - last);
    last = Date.now();
  }
  const cold = times.slice(1);
  await close();
  const count = history.events?.length ?? 0;
  const median = percentile(cold, 50);
  return { events: count, ms: cold, medianMs: median, msPerEvent: Math.round((median / count) * 1000) / 1000 };
}

/**
 * What one pathway start costs besides the CPU profiles: the statements of the starts section (pg_stat_statements,
 * by total time), and the history of one started pathway by event type (workflow tasks and activities per start).
 */
async function profileFigures(api: Api, pool: Pool) {
  const starts = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM pathways`)).rows[0].n);
  const statements = (
    await pool.query<{ query: string; calls: string; total_ms: number; mean_ms: number; rows: string }>(
      `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query, calls, round(total_exec_time::numeric, 1)::float AS total_ms,
              round(mean_exec_time::numeric, 3)::float AS mean_ms, rows
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY total_exec_time DESC LIMIT 25`,
    )
  ).rows.map((row) => ({ ...row, calls: Number(row.calls), rows: Number(row.rows) }));
  const totals = (
    await pool.query<{ calls: string; total_ms: number }>(
      `SELECT sum(calls) AS calls, round(sum(total_exec_time)::numeric, 1)::float AS total_ms FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )
  ).rows[0];
  const { client, close } = await temporalClientOf(api.stack);
  const history: Record<string, number> = {};
  const sample = started.at(-1)?.id;
  if (sample) {
    const events = (await client.workflow.getHandle(`pathway-${sample}`).fetchHistory()).events ?? [];
    for (const event of events) {
      const type = String(temporal.api.enums.v1.EventType[event.eventType ?? 0]).replace(/^EVENT_TYPE_/, '');
      history[type] = (history[type] ?? 0) + 1;
    }
  }
  await close();
  const figures = { pathwaysInDatabase: starts, statementTotals: totals, statements, history };
  log(`profile: ${JSON.stringify({ statementTotals: totals, history })}`);
  return figures;
}

function caseworkerOf(agency: string): string | undefined {
  return DEV_USERS.find((user) => user.agency === agency && user.roles.includes('CASEWORKER'))?.username;
}

async function queueBenchmark(): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/bench-queue.js')], {
      cwd: REPO_ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', () => resolve(out.trim()));
  });
}

/**
 * How fast this machine is now: the median of five timings of a fixed piece of CPU work (200,000 SHA-256 hashes on one
 * core), before any stack starts. The same machine has been about twice as slow on some days as on others
 * (docs/PERFORMANCE.md, "The whole suite in one run"); this figure lets runs of different days be compared.
 */
function calibrate(): number {
  const block = Buffer.alloc(64, 7);
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 200_000; i++) createHash('sha256').update(block).digest();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const ms = round(percentile(times, 50));
  log(`calibration: ${ms} ms for 200,000 SHA-256 hashes on one core (median of five)`);
  return ms;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  await fs.mkdir(REPORT_DIR, { recursive: true });
  const profiles = path.join(REPORT_DIR, 'profiles');
  if (PROFILE) await fs.rm(profiles, { recursive: true, force: true });
  const report: Record<string, unknown> = {
    machine: { cpus: cpus().length, node: process.version, at: new Date().toISOString(), calibrationMs: calibrate() },
    settings: { RATES, PROBE_SECONDS, SUSTAIN_SECONDS, BURST, BURST_SPREAD_SECONDS, MEMORY_SIZES, REPLAY_EVENTS },
  };
  // Written after every section, so a run cut short keeps what it measured.
  const save = () => fs.writeFile(path.join(REPORT_DIR, 'report.json'), JSON.stringify(report, null, 2));
  let rate = Number(process.env.BENCH_RATE ?? 0);
  const others = ['starts', 'overload', 'events', 'deadlines', 'replay'].some(wanted);
  if (others) {
    // The worker keeps as many pathways cached as deployed (WORKER_MAX_CACHED_WORKFLOWS's default, 1,000): with
    // thousands cached its heap grows to gigabytes and its collections pause the starts being measured.
    await onStack(
      'stack.log',
      {
        ...(PROFILE
          ? {
              // One file a thread (the worker's workflows run in worker threads), named CPU.<date>.<pid>.<thread>….
              STACK_API_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${profiles}/api`,
              STACK_WORKER_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${profiles}/worker`,
              POSTGRES_SETTINGS: 'shared_preload_libraries=pg_stat_statements pg_stat_statements.track=all',
            }
          : {}),
      },
      async (api, pool) => {
        if (PROFILE) {
          await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        }
        if (wanted('starts')) {
          const bare = BARE ? await bareBaseline(api.stack, pool) : undefined;
          report.starts = { bare };
          await save();
          if (PROFILE) await pool.query('SELECT pg_stat_statements_reset()');
          const pathways = PROFILE
            ? await cpuPerCall(
                api.stack,
                () => startPathway(api),
                (counted) => sustained(api.stack, 'pathways', counted),
              ).then(({ result, ...cpu }) => ({ ...result, cpu }))
            : await sustained(api.stack, 'pathways', () => startPathway(api));
          // The later sections run at the sustained rate; without one, at the highest answered in time.
          rate = pathways.rate || pathways.inTimeRate;
          if (!pathways.rate) log(`no pathway rate held; the later sections run at ${rate || 4}/s`);
          report.starts = {
            bare,
            pathways,
            ratio: bare?.rate ? round((pathways.rate / bare.rate) * 100) / 100 : null,
          };
          if (PROFILE) report.profile = await profileFigures(api, pool);
          await save();
        }
        rate ||= 4;
        if (wanted('overload')) {
          await settle(api.stack);
          const figures = await openLoop(rate * 3, 30, () => startPathway(api));
          const share = round((figures.withinLimit / figures.offered) * 1000) / 10;
          report.overload = { ...figures, accounts: api.starters.length, shareWithinLimitPercent: share };
          await save();
          log(
            `overload ${rate * 3}/s from ${api.starters.length} accounts: ${JSON.stringify(figures.statuses)}, ` +
              `${figures.retryAfter} × 503 with Retry-After, p50 ${figures.p50} ms, p99 ${figures.p99} ms, ` +
              `${share} % answered within ${LIMIT_MS} ms (201 or 503 with Retry-After)`,
          );
        }
        if (wanted('events')) {
          await settle(api.stack);
          if (started.length < rate * 60) await openLoop(rate, 60, () => startPathway(api));
          // Profiled: the CPU of the minute of events, per event (the starts before it are outside).
          report.events = PROFILE
            ? await cpuAround(
                api.stack,
                () => events(api, rate),
                (figures) => figures.offered,
              ).then(({ result, ...cpu }) => ({ ...result, cpu }))
            : await events(api, rate);
          await save();
          log(`events: ${JSON.stringify(report.events)}`);
        }
        if (wanted('deadlines')) {
          report.deadlines = await deadlines(api, pool, rate);
          await save();
          log(`deadlines: ${JSON.stringify(report.deadlines)}`);
        }
        if (wanted('replay')) {
          report.replay = await replay(api);
          await save();
          log(`replay: ${JSON.stringify(report.replay)}`);
        }
      },
    );
  }
  if (wanted('memory')) {
    // A stack of its own, every open pathway cached, so the section measures what a cached pathway costs from an
    // empty worker (the other sections leave thousands of pathways open).
    started.length = 0;
    await onStack(
      'stack-memory.log',
      { WORKER_MAX_CACHED_WORKFLOWS: String(Math.max(...MEMORY_SIZES, 1000) + 1000) },
      async (api, pool) => {
        report.memory = await memory(api, pool, rate || 4, await rssMb(pidsOf(api.stack, 'worker')[0]));
        await save();
      },
    );
  }
  if (wanted('queue')) report.queue = await queueBenchmark();
  await save();
  console.log(JSON.stringify(report, null, 2));
}

/** The accounts behind the tokens the bench keeps under another name than the username. */
const TOKEN_ALIASES: Record<string, string> = {
  starter: 'lokalpoliti-sagsbehandler',
  coordinator: 'koordinator',
};
/** Well inside the dev issuer's hour: a run of the holds lasts longer than a token. */
const TOKEN_REFRESH_MS = 20 * 60_000;

/**
 * Starts a stack of the bench's own with `env` (its log in test-results/bench/`logName`), signs the accounts in, runs
 * `body`, and stops the stack.
 */
async function onStack(
  logName: string,
  env: Record<string, string>,
  body: (api: Api, pool: Pool) => Promise<void>,
): Promise<void> {
  log(`starting the stack in a data directory of its own (log: ${logName})`);
  let refresher: NodeJS.Timeout | undefined;
  const stack = await startOwnStack(path.join(REPORT_DIR, logName), env);
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  try {
    await sleep(5000);
    const mint = (username: string) => mintDevToken({ issuer: stack.issuer, username, resource: DEV_AUDIENCE });
    const api: Api = {
      stack,
      tokens: {
        starter: await mint(TOKEN_ALIASES.starter),
        coordinator: await mint(TOKEN_ALIASES.coordinator),
      },
      starters: [],
    };
    // The dev issuer's access tokens last an hour and a full run takes longer: every token is minted again in time.
    refresher = setInterval(() => {
      for (const key of Object.keys(api.tokens))
        void mint(TOKEN_ALIASES[key] ?? key).then(
          (token) => (api.tokens[key] = token),
          () => log(`could not mint a new token for ${key}; the old one is kept`),
        );
    }, TOKEN_REFRESH_MS);
    for (const agency of STARTER_AGENCIES) {
      const as = DEV_USERS.find((user) => user.agency === agency && user.roles.includes('CASEWORKER'))?.username;
      if (!as) continue;
      api.tokens[as] = await mint(as);
      api.starters.push({ as, agency });
    }
    await body(api, pool);
  } finally {
    clearInterval(refresher);
    await pool.end();
    await stopOwnStack(stack);
  }
}

// Exits once done: a handle of the Temporal runtime or a keep-alive socket would otherwise keep the process alive.
main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
