// The benchmark suite (npm run bench; issue 14, item 9), against a running `npm start` stack. Each figure beside a
// bare-Temporal baseline measured in the same run on the same server: a workflow that starts and runs one activity
// writing one row (scripts/bench/bare-workflow.ts, its own worker in this process, its own task queue), reported as a
// ratio.
//   1. starts/s sustained for BENCH_SECONDS (600) at BENCH_RATE (10): pathway starts through the API (201 with the
//      first tasks) against bare workflows started and completed (execute); p50/p99, share within 2 s, no 503;
//   2. overload at 3 × BENCH_RATE for a minute: share answered within 2 s (201 or 503), goal 100 %;
//   3. event → its effect visible at BENCH_RATE: p50/p99 of a MOVED event on a fresh pathway (the API answers after the
//      read-model write). The issue asks for new tasks in a queue: ASSESSED after the CONTACT work would show that.
// The deadline burst, worker memory per cached pathway and cold replay (npm run bench:replay) are not in it yet.
// Needs a quiet machine: on a loaded one every figure is the load's. Figures go to docs/PERFORMANCE.md with the
// command and the machine.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client as Pg } from 'pg';
import { DEV_ISSUER_DEFAULT_PORT } from './dev-stack/dev-accounts';
import { mintDevToken } from './dev-stack/dev-token';

const API = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const ISSUER = process.env.DEV_ISSUER_URL ?? `http://127.0.0.1:${DEV_ISSUER_DEFAULT_PORT}`;
const TEMPORAL = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'default';
const DATABASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5433/exit_pathways';
const RATE = Number(process.env.BENCH_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const BARE_QUEUE = `bench-bare-${randomUUID().slice(0, 8)}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Sample {
  ms: number;
  status: number;
}

function summary(name: string, samples: Sample[], seconds: number): { perSecond: number; line: string } {
  const ok = samples.filter((s) => s.status >= 200 && s.status < 300);
  const sorted = ok.map((s) => s.ms).sort((a, b) => a - b);
  const within2s = samples.filter((s) => s.ms <= 2000).length / Math.max(1, samples.length);
  const perSecond = ok.length / seconds;
  const statuses = [...new Set(samples.map((s) => s.status))].map(
    (st) => `${st}×${samples.filter((s) => s.status === st).length}`,
  );
  return {
    perSecond,
    line:
      `${name}: ${perSecond.toFixed(2)}/s answered ok, p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ` +
      `${percentile(sorted, 99).toFixed(0)} ms, within 2 s ${(within2s * 100).toFixed(1)} %, statuses ${statuses.join(' ')}`,
  };
}

/**
 * Open loop: `rate` calls a second for `seconds`, each timed on its own; none waits for another. A call may time
 * itself (a sample) when only part of it is the measurement.
 */
async function openLoop(rate: number, seconds: number, one: () => Promise<number | Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  const running: Promise<void>[] = [];
  const end = Date.now() + seconds * 1000;
  for (let next = Date.now(); next < end; next += 1000 / rate) {
    await sleep(Math.max(0, next - Date.now()));
    const began = Date.now();
    running.push(
      one().then(
        (result) => void samples.push(typeof result === 'number' ? { ms: Date.now() - began, status: result } : result),
        () => void samples.push({ ms: Date.now() - began, status: 0 }),
      ),
    );
  }
  await Promise.all(running);
  return samples;
}

async function main(): Promise<void> {
  const token = await mintDevToken({ issuer: ISSUER, username: 'lokalpoliti-sagsbehandler' });
  const coordinator = await mintDevToken({ issuer: ISSUER, username: 'koordinator' });
  const pg = new Pg({ connectionString: DATABASE });
  await pg.connect();
  await pg.query(`CREATE TABLE IF NOT EXISTS bench_bare_rows (id text PRIMARY KEY, at timestamptz DEFAULT now())`);
  const connection = await NativeConnection.connect({ address: TEMPORAL });
  const worker = await Worker.create({
    connection,
    namespace: NAMESPACE,
    taskQueue: BARE_QUEUE,
    workflowsPath: require.resolve('./bench/bare-workflow'),
    activities: {
      async writeRow(id: string) {
        await pg.query(`INSERT INTO bench_bare_rows (id) VALUES ($1) ON CONFLICT DO NOTHING`, [id]);
      },
    },
  });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: TEMPORAL }), namespace: NAMESPACE });

  const start = async (): Promise<number> => {
    const born = new Date(Date.now() - 17 * 365.25 * 86_400_000).toISOString().slice(0, 10);
    const res = await fetch(`${API}/pathways`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        person: { name: `Bench ${randomUUID().slice(0, 8)}`, birthDate: born, district: 'YDRE_NORREBRO' },
        contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: new Date().toISOString(), context: 'Benchmark' },
      }),
    });
    await res.arrayBuffer();
    return res.status === 201 ? 201 : res.status;
  };
  const bare = async (): Promise<number> => {
    await client.workflow.execute('bareWorkflow', {
      taskQueue: BARE_QUEUE,
      workflowId: `bench-bare-${randomUUID()}`,
      args: [randomUUID()],
    });
    return 200;
  };

  const lines: string[] = [`machine: ${readFileSync('/proc/loadavg', 'utf8').trim()} (load average at start)`];
  console.log(`1. sustained, ${RATE}/s for ${SECONDS} s (bare first, then pathways)`);
  const bareSustained = summary('bare workflow + one row', await openLoop(RATE, SECONDS, bare), SECONDS);
  const pathways = summary('pathway start (201 with tasks)', await openLoop(RATE, SECONDS, start), SECONDS);
  lines.push(bareSustained.line, pathways.line, `ratio ${(pathways.perSecond / bareSustained.perSecond).toFixed(2)}`);

  console.log(`2. overload, ${RATE * 3}/s for 60 s`);
  const overload = await openLoop(RATE * 3, 60, start);
  const answered = overload.filter((s) => s.ms <= 2000 && (s.status === 201 || s.status === 503)).length;
  const bareOverload = summary('bare at 3×', await openLoop(RATE * 3, 60, bare), 60);
  lines.push(
    summary('pathway start at 3×', overload, 60).line,
    `answered within 2 s (201 or 503): ${((answered / overload.length) * 100).toFixed(1)} %`,
    bareOverload.line,
  );

  console.log(`3. event → tasks visible, ${RATE}/s for 60 s`);
  const eventSamples = await openLoop(RATE, 60, async () => {
    const born = new Date(Date.now() - 20 * 365.25 * 86_400_000).toISOString().slice(0, 10);
    const opened = await fetch(`${API}/pathways`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        person: { name: `Bench ${randomUUID().slice(0, 8)}`, birthDate: born, district: 'YDRE_NORREBRO' },
        contact: { sourceAgency: 'POLICE_LOCAL', occurredAt: new Date().toISOString(), context: 'Benchmark' },
      }),
    });
    const { id } = (await opened.json()) as { id: string };
    const began = Date.now();
    const res = await fetch(`${API}/pathways/${id}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${coordinator}` },
      body: JSON.stringify({ type: 'MOVED', occurredAt: new Date().toISOString(), data: { district: 'TINGBJERG' } }),
    });
    await res.arrayBuffer();
    // The answer comes after the read-model write: the event's effect is visible when it answers.
    return { ms: Date.now() - began, status: res.status };
  });
  lines.push(summary('event answered (its effect written)', eventSamples, 60).line);

  console.log(`\n${lines.join('\n')}`);
  worker.shutdown();
  await running;
  await pg.query(`DROP TABLE bench_bare_rows`);
  await pg.end();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
