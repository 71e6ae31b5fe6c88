// The fault suite (`npm run test:faults`, not part of `npm test`): runs the supervised dev stack (scripts/stack.ts)
// in a data directory and on ports of its own, puts it under open-loop load the way a client with retries would
// (every command carries an Idempotency-Key and is retried under it on 503, a timeout or a broken connection), and
// injects one fault per scenario:
//
//   worker-kill      the worker SIGKILLed under load (the stack's supervisor restarts it)
//   temporal-kill    the Temporal dev server SIGKILLed under load and restarted (its SQLite file is kept)
//   postgres-stop    every PostgreSQL process SIGSTOPped for FAULTS_FREEZE_SECONDS (default 60), then SIGCONT
//   postgres-kill    the PostgreSQL postmaster SIGKILLed (the supervisor starts it again)
//   api-kill         the API SIGKILLed while idempotent starts are in flight; the client repeats them with the
//                    same key after the restart
//   duplicates       10 concurrent identical starts, then 10 concurrent identical events, each under one key
//
// After each scenario it lets the stack settle and checks every pathway made so far:
//   - lost:        a start or an event the client was told succeeded that is not in the workflow and the read model,
//                  or one the client never got an answer for after retrying for FAULTS_CLIENT_PATIENCE_SECONDS;
//   - duplicated:  more than one pathway for a start's key, an event on the timeline more than once, or two open
//                  tasks with the same key in one pathway;
//   - stuck:       a pathway whose workflow does not answer a query and an Update (`sync`) within 30 s, or whose
//                  read model (stage, open tasks, version) differs from the workflow's own state;
//   - 5xx other than 503 answered to the client.
// Every count must be 0; the script exits 1 otherwise. The report is printed and written to
// `test-results/faults/report.json`.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Client as PgClient } from 'pg';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { PathwayStatus } from '../libs/domain/src/pathway/commands';
import { mintDevToken } from './dev-stack/dev-token';
import { DEV_AUDIENCE } from './dev-stack/dev-accounts';
import {
  REPO_ROOT,
  healthy,
  pidsOf,
  signal,
  startOwnStack,
  stopOwnStack,
  temporalClientOf,
  type OwnStack as Stack,
} from './dev-stack/own-stack';

const REPORT_DIR = path.join(REPO_ROOT, 'test-results/faults');

const RATE = Number(process.env.FAULTS_RATE ?? 3); // starts per second offered during a scenario
const LOAD_SECONDS = Number(process.env.FAULTS_LOAD_SECONDS ?? 30);
const FREEZE_SECONDS = Number(process.env.FAULTS_FREEZE_SECONDS ?? 60);
const CLIENT_PATIENCE_MS = Number(process.env.FAULTS_CLIENT_PATIENCE_SECONDS ?? 240) * 1000;
const REQUEST_TIMEOUT_MS = 15_000;
const ONLY = process.env.FAULTS_ONLY?.split(',').filter(Boolean);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string): void => void process.stdout.write(`[faults] ${new Date().toISOString()} ${line}\n`);

// ---- a client with retries ------------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface Outcome {
  key: string;
  answer?: Answer;
  attempts: number;
  gaveUp: boolean;
}

const counters = { requests: 0, retried: 0, serverErrors: 0, answered503: 0, answered429: 0, brokenOrTimedOut: 0 };

async function request(url: string, token: string, body: unknown, key: string): Promise<Answer | undefined> {
  counters.requests++;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text: text.slice(0, 200) };
    }
    return { status: response.status, body: { ...parsed, retryAfter: response.headers.get('retry-after') } };
  } catch {
    counters.brokenOrTimedOut++;
    return undefined;
  }
}

/**
 * What a careful client does: the same key until a final answer, waiting as told on 503 and on 429, for a few
 * minutes. The 429 is the per-person rate limit: every load of this suite comes from one account, and during an
 * outage its retries count towards that limit (the API's back-pressure comes after the rate limit,
 * apps/api/src/app.module.ts).
 */
async function command(url: string, token: () => string, body: unknown, key = randomUUID()): Promise<Outcome> {
  const giveUpAt = Date.now() + CLIENT_PATIENCE_MS;
  for (let attempts = 1; ; attempts++) {
    const answer = await request(url, token(), body, key);
    const wait = answer?.status === 503 || answer?.status === 429;
    if (answer && !wait && answer.status < 500) return { key, answer, attempts, gaveUp: false };
    if (answer && answer.status >= 500 && answer.status !== 503) counters.serverErrors++;
    if (answer?.status === 503) counters.answered503++;
    if (answer?.status === 429) counters.answered429++;
    if (Date.now() > giveUpAt) return { key, answer, attempts, gaveUp: true };
    counters.retried++;
    const retryAfter = Number(answer?.body.retryAfter ?? 1);
    await sleep(Math.min(10, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1) * 1000);
  }
}

// ---- the load -------------------------------------------------------------------------------------------------

const LETTERS = 'bdfghjklmnprstv';
const VOWELS = 'aeiouy';
function randomName(): string {
  const word = (): string => {
    let w = '';
    for (let i = 0; i < 3; i++) {
      w += LETTERS[Math.floor(Math.random() * LETTERS.length)] + VOWELS[Math.floor(Math.random() * VOWELS.length)];
    }
    return w[0].toUpperCase() + w.slice(1);
  };
  return `${word()} ${word()}`;
}

function startBody(): unknown {
  const age = 14 + Math.floor(Math.random() * 10);
  const birth = new Date(Date.now() - (age * 365.25 + Math.random() * 300) * 86_400_000);
  return {
    person: { name: randomName(), birthDate: birth.toISOString().slice(0, 10), district: 'YDRE_NORREBRO' },
    contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: new Date().toISOString(), context: 'Fejlprøve' },
  };
}

interface Tracked {
  pathwayId?: string;
  start: Outcome;
  event?: Outcome;
  scenario: string;
}

interface Tokens {
  starter: string;
  coordinator: string;
}

const tracked: Tracked[] = [];

async function startAndRecord(stack: Stack, tokens: Tokens, scenario: string): Promise<void> {
  const entry: Tracked = { scenario, start: { key: '', attempts: 0, gaveUp: false } };
  tracked.push(entry);
  entry.start = await command(`${stack.api}/pathways`, () => tokens.starter, startBody());
  const id = entry.start.answer?.body.id ?? entry.start.answer?.body.pathwayId;
  if (typeof id !== 'string' || ![200, 201, 202].includes(entry.start.answer!.status)) return;
  entry.pathwayId = id;
  if (entry.start.answer!.status === 202) await readable(stack, tokens, id);
  entry.event = await command(`${stack.api}/pathways/${id}/events`, () => tokens.coordinator, {
    type: 'ARRESTED',
    occurredAt: new Date().toISOString(),
    data: {},
  });
}

/** After a 202 the worker has not written the pathway yet; a client waits until it can read it back. */
async function readable(stack: Stack, tokens: Tokens, id: string): Promise<void> {
  const giveUpAt = Date.now() + CLIENT_PATIENCE_MS;
  while (Date.now() < giveUpAt) {
    const status = await fetch(`${stack.api}/pathways/${id}`, {
      headers: { authorization: `Bearer ${tokens.coordinator}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) return;
    await sleep(1000);
  }
}

/** Offers RATE starts per second for `seconds`, open loop (a slow answer does not slow the offer), then waits. */
async function load(stack: Stack, tokens: Tokens, scenario: string, seconds: number, fault?: () => Promise<void>) {
  const running: Promise<void>[] = [];
  const started = Date.now();
  const faultDone = fault ? sleep(seconds * 300).then(fault) : Promise.resolve();
  for (let i = 0; Date.now() - started < seconds * 1000; i++) {
    running.push(startAndRecord(stack, tokens, scenario));
    const next = started + ((i + 1) * 1000) / RATE;
    await sleep(Math.max(0, next - Date.now()));
  }
  await faultDone;
  await Promise.all(running);
}

// ---- the invariant check --------------------------------------------------------------------------------------

interface Findings {
  lost: string[];
  duplicated: string[];
  stuck: string[];
}

async function check(stack: Stack, scenario: string): Promise<Findings> {
  const findings: Findings = { lost: [], duplicated: [], stuck: [] };
  const { client: temporal, close } = await temporalClientOf(stack);
  const db = new PgClient({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    for (const entry of tracked) {
      const label = `${entry.scenario} start ${entry.start.key.slice(0, 8)}`;
      if (entry.start.gaveUp || !entry.pathwayId) {
        const last = entry.start.answer;
        const lastSaid = last
          ? `${last.status}${typeof last.body.code === 'string' ? ` ${last.body.code}` : ''}`
          : 'nothing';
        findings.lost.push(
          `${label}: no pathway after ${entry.start.attempts} attempts (the last answered ${lastSaid})`,
        );
        continue;
      }
      if (entry.event?.gaveUp || (entry.event?.answer && entry.event.answer.status !== 200)) {
        findings.lost.push(`${label}: ARRESTED answered ${entry.event?.answer?.status ?? 'nothing'}`);
      }
    }
    const ids = tracked.flatMap((entry) => (entry.pathwayId ? [entry.pathwayId] : []));
    const distinct = new Set(ids);
    if (distinct.size !== ids.length) findings.duplicated.push(`${ids.length - distinct.size} starts share a pathway`);
    // Settle: the read model catches up with the workflow within seconds once everything runs again.
    for (const id of distinct) {
      const handle = temporal.workflow.getHandle(`pathway-${id}`);
      let problem = 'no answer';
      for (let attempt = 0; attempt < 30; attempt++) {
        try {
          const status = await handle.query<PathwayStatus>('status');
          await handle.executeUpdate('sync', { args: [] });
          const row = await db.query<{ stage: string; version: string }>(
            'SELECT stage, version FROM pathways WHERE id = $1',
            [id],
          );
          const open = await db.query<{ task_key: string }>(
            `SELECT task_key FROM tasks WHERE pathway_id = $1 AND status IN ('OPEN', 'CLAIMED') ORDER BY task_key`,
            [id],
          );
          const workflowOpen = status.tasks
            .filter((task) => task.status === 'OPEN' || task.status === 'CLAIMED')
            .map((task) => task.key)
            .sort();
          const readOpen = open.rows.map((r) => r.task_key);
          if (!row.rows[0]) problem = 'no read-model row';
          else if (row.rows[0].stage !== status.stage) problem = `stage ${row.rows[0].stage} ≠ ${status.stage}`;
          else if (Number(row.rows[0].version) !== status.version)
            problem = `version ${row.rows[0].version} ≠ ${status.version}`;
          else if (readOpen.join() !== workflowOpen.join()) problem = `open tasks differ`;
          else {
            problem = '';
            break;
          }
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) {
            problem = 'no workflow';
            break;
          }
          problem = error instanceof Error ? error.message.slice(0, 120) : 'error';
        }
        await sleep(1000);
      }
      if (problem === 'no workflow') findings.lost.push(`pathway ${id.slice(0, 8)}: no workflow`);
      else if (problem) findings.stuck.push(`pathway ${id.slice(0, 8)}: ${problem}`);
    }
    const twice = await db.query<{ pathway_id: string; task_key: string; n: string }>(
      `SELECT pathway_id, task_key, count(*) AS n FROM tasks WHERE status IN ('OPEN', 'CLAIMED')
       GROUP BY pathway_id, task_key HAVING count(*) > 1`,
    );
    for (const row of twice.rows)
      findings.duplicated.push(`pathway ${row.pathway_id.slice(0, 8)}: ${row.n}× ${row.task_key}`);
    const events = await db.query<{ pathway_id: string; n: string }>(
      `SELECT pathway_id, count(*) AS n FROM timeline_entries
       WHERE kind = 'EVENT_RECORDED' AND detail->>'type' = 'ARRESTED' GROUP BY pathway_id`,
    );
    const arrests = new Map(events.rows.map((row) => [row.pathway_id, Number(row.n)]));
    for (const entry of tracked) {
      if (!entry.pathwayId || entry.event?.answer?.status !== 200) continue;
      const n = arrests.get(entry.pathwayId) ?? 0;
      if (n === 0)
        findings.lost.push(`pathway ${entry.pathwayId.slice(0, 8)}: ARRESTED answered 200, not on the timeline`);
      if (n > 1) findings.duplicated.push(`pathway ${entry.pathwayId.slice(0, 8)}: ARRESTED ${n}× on the timeline`);
    }
  } finally {
    await db.end();
    await close();
  }
  log(
    `${scenario}: ${tracked.length} pathways so far; lost ${findings.lost.length}, duplicated ${findings.duplicated.length}, stuck ${findings.stuck.length}`,
  );
  return findings;
}

// ---- the scenarios --------------------------------------------------------------------------------------------

type Scenario = (stack: Stack, tokens: Tokens) => Promise<void>;

const scenarios: Record<string, Scenario> = {
  'worker-kill': (stack, tokens) =>
    load(stack, tokens, 'worker-kill', LOAD_SECONDS, async () => {
      log('SIGKILL worker');
      signal(pidsOf(stack, 'worker'), 'SIGKILL');
    }),
  'temporal-kill': (stack, tokens) =>
    load(stack, tokens, 'temporal-kill', LOAD_SECONDS, async () => {
      log('SIGKILL temporal');
      signal(pidsOf(stack, 'temporal'), 'SIGKILL');
    }),
  'postgres-stop': (stack, tokens) =>
    load(stack, tokens, 'postgres-stop', LOAD_SECONDS, async () => {
      const pids = pidsOf(stack, 'postgres');
      log(`SIGSTOP postgres (${pids.length} processes) for ${FREEZE_SECONDS} s`);
      const frozenAt = Date.now();
      signal(pids, 'SIGSTOP');
      // While frozen, the API must answer fast and say so (503), not hang.
      const probe = Date.now();
      const answer = await request(`${stack.api}/pathways`, tokens.starter, startBody(), randomUUID());
      probes.push({ scenario: 'postgres-stop', status: answer?.status ?? 0, ms: Date.now() - probe });
      await sleep(Math.max(0, FREEZE_SECONDS * 1000 - (Date.now() - frozenAt)));
      signal(pids, 'SIGCONT');
      log('SIGCONT postgres');
    }),
  'postgres-kill': (stack, tokens) =>
    load(stack, tokens, 'postgres-kill', LOAD_SECONDS, async () => {
      log('SIGKILL postgres');
      signal(pidsOf(stack, 'postmaster'), 'SIGKILL');
    }),
  'api-kill': async (stack, tokens) => {
    const countPathways = async (): Promise<number> => {
      const db = new PgClient({ connectionString: stack.databaseUrl });
      await db.connect();
      try {
        return Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM pathways')).rows[0].n);
      } finally {
        await db.end();
      }
    };
    for (let round = 0; round < 5; round++) {
      // Nothing else runs in this scenario, so one key must add exactly one pathway however the API died.
      const before = await countPathways();
      const body = startBody();
      const key = randomUUID();
      const first = request(`${stack.api}/pathways`, tokens.starter, body, key);
      await sleep(30 + Math.random() * 200);
      log(`SIGKILL api (round ${round + 1})`);
      signal(pidsOf(stack, 'api'), 'SIGKILL');
      await first;
      await healthy(stack);
      const entry: Tracked = {
        scenario: 'api-kill',
        start: await command(`${stack.api}/pathways`, () => tokens.starter, body, key),
      };
      const id = entry.start.answer?.body.id ?? entry.start.answer?.body.pathwayId;
      if (typeof id === 'string') entry.pathwayId = id;
      tracked.push(entry);
      await sleep(2000);
      const added = (await countPathways()) - before;
      if (added !== 1) apiKillDuplicates.push(`api-kill round ${round + 1}: one key added ${added} pathways`);
    }
  },
  duplicates: async (stack, tokens) => {
    const body = startBody();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => command(`${stack.api}/pathways`, () => tokens.starter, body, key)),
    );
    const ids = new Set(answers.map((a) => a.answer?.body.id ?? a.answer?.body.pathwayId));
    if (ids.size !== 1) apiKillDuplicates.push(`duplicates start: ${ids.size} different pathways`);
    const entry: Tracked = { scenario: 'duplicates', start: answers[0], pathwayId: [...ids][0] as string };
    tracked.push(entry);
    const eventKey = randomUUID();
    const event = { type: 'ARRESTED', occurredAt: new Date().toISOString(), data: {} };
    const events = await Promise.all(
      Array.from({ length: 10 }, () =>
        command(`${stack.api}/pathways/${entry.pathwayId}/events`, () => tokens.coordinator, event, eventKey),
      ),
    );
    entry.event = events.find((e) => e.answer?.status === 200) ?? events[0];
    const statuses = events.map((e) => e.answer?.status ?? 0);
    if (statuses.some((s) => s !== 200)) apiKillDuplicates.push(`duplicates event: answers ${statuses.join(',')}`);
  },
};

const probes: { scenario: string; status: number; ms: number }[] = [];
const apiKillDuplicates: string[] = [];

async function main(): Promise<void> {
  await fs.mkdir(REPORT_DIR, { recursive: true });
  log('starting the stack (dist/scripts/stack.js) in a data directory of its own');
  const stack = await startOwnStack(path.join(REPORT_DIR, 'stack.log'));
  const results: Record<string, Findings & { recoveredMs?: number; seconds: number }> = {};
  let failed = false;
  try {
    const tokens: Tokens = {
      starter: await mintDevToken({
        issuer: stack.issuer,
        username: 'lokalpoliti-sagsbehandler',
        resource: DEV_AUDIENCE,
      }),
      coordinator: await mintDevToken({ issuer: stack.issuer, username: 'koordinator', resource: DEV_AUDIENCE }),
    };
    for (const [name, scenario] of Object.entries(scenarios)) {
      if (ONLY && !ONLY.includes(name)) continue;
      log(`scenario ${name}`);
      const started = Date.now();
      await scenario(stack, tokens);
      const recoveredMs = await healthy(stack);
      const findings = await check(stack, name);
      if (name === 'api-kill' || name === 'duplicates') {
        findings.duplicated.push(...apiKillDuplicates.splice(0));
      }
      results[name] = { ...findings, recoveredMs, seconds: Math.round((Date.now() - started) / 1000) };
      if (findings.lost.length || findings.duplicated.length || findings.stuck.length) failed = true;
    }
  } finally {
    await stopOwnStack(stack);
  }
  if (counters.serverErrors > 0) failed = true;
  const report = { rate: RATE, loadSeconds: LOAD_SECONDS, freezeSeconds: FREEZE_SECONDS, counters, probes, results };
  await fs.writeFile(path.join(REPORT_DIR, 'report.json'), JSON.stringify(report, null, 2));
  console.log('\nscenario        seconds  lost  duplicated  stuck');
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `${name.padEnd(15)} ${String(r.seconds).padStart(7)}  ${String(r.lost.length).padStart(4)}  ${String(r.duplicated.length).padStart(10)}  ${String(r.stuck.length).padStart(5)}`,
    );
    for (const line of [...r.lost, ...r.duplicated, ...r.stuck].slice(0, 10)) console.log(`    ${line}`);
  }
  console.log(
    `\n${tracked.length} pathways; ${counters.requests} requests, ${counters.retried} retried, ${counters.answered503} answered 503, ${counters.answered429} answered 429, ${counters.brokenOrTimedOut} broken or timed out, ${counters.serverErrors} other 5xx`,
  );
  for (const probe of probes)
    console.log(`while ${probe.scenario}: a start answered ${probe.status} in ${probe.ms} ms`);
  console.log(failed ? '\nFAILED: see above' : '\nall counts 0');
  process.exitCode = failed ? 1 : 0;
}

// Exits once the report is out (with main's exit code): a socket or timer left by a killed part of the stack must not
// keep CI waiting after the verdict (seen once: "all counts 0", then no exit).
main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
