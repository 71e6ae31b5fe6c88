// Benchmark of the oversight dashboard and the yearly report (npm run bench:oversight): 50,000 pathways and 1,000,000
// tasks seeded with generate_series, then every GET /oversight/* endpoint called by a few concurrent clients from a
// child process (p50/p99 over HTTP), and GET /reports/yearly/:year as PDF and CSV timed. Uses DATABASE_URL's server
// or an embedded PostgreSQL, in a database of its own that it drops afterwards.
import { benchApiConfig } from './dev-stack/bench-api';
import { startDevIssuer } from './dev-stack/dev-issuer';
import { mintDevToken } from './dev-stack/dev-token';
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/main';
import { OversightRepository, openDatabase } from '../libs/persistence/src';
import { createDatabase, dropDatabase, startPostgres, withDatabase } from './dev-stack/postgres-server';

const PATHWAYS = Number(process.env.BENCH_PATHWAYS ?? 50_000);
const TASKS_PER_PATHWAY = Number(process.env.BENCH_TASKS_PER_PATHWAY ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const CALLS = Number(process.env.BENCH_CALLS ?? 50);
const REPORT_RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 3);
const YEAR = new Date().getUTCFullYear();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(samples: number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], n: sorted.length };
}

async function seed(db: DataSource): Promise<void> {
  await db.query(`INSERT INTO playbooks (version, name, definition) VALUES (1, 'bench', '{}') ON CONFLICT DO NOTHING`);
  // Pathways opened evenly over the last three years; 40 % closed with an outcome, 5 % of the open ones stalled.
  await db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at, closed_at, closing_outcome, stalled)
     SELECT g.id, 'pathway-' || g.id,
            CASE WHEN g.closed THEN 'CLOSED'
                 ELSE (ARRAY['CONTACT','ASSESSMENT','INTERVENTION','CUSTODY','RELEASE_PLANNING','REINTEGRATION',
                             'PLACEMENT','FOLLOW_UP'])[1 + (g.n % 8)] END,
            'YDRE_NORREBRO', 1, g.opened, g.opened + interval '20 days', 1, g.opened + interval '10 days',
            CASE WHEN g.closed THEN g.opened + interval '200 days' END,
            CASE WHEN g.closed THEN (ARRAY['COMPLETED','DECLINED','CONSENT_WITHDRAWN','DEREGISTERED','MOVED',
                                           'TRANSFERRED','DECEASED','OTHER'])[1 + (g.n % 8)] END,
            NOT g.closed AND g.n % 20 = 0
       FROM (SELECT gen_random_uuid() AS id, n, random() < 0.4 AS closed,
                    now() - interval '3 years' + (n::float / $1) * interval '3 years' AS opened
               FROM generate_series(1, $1) n) g`,
    [PATHWAYS],
  );
  // Tasks a week apart along each pathway, due ten days after creation. Those created over 30 days ago are mostly
  // done (a fifth of them late), some cancelled; the rest open or claimed. First claims written directly (the
  // migration's trigger derives them from timeline entries, which the dashboard does not read).
  await db.query(
    `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                        assignee, completed_at, first_claimed_at, version)
     SELECT gen_random_uuid(), p.id, 'task-' || k, 'INTERVENTION',
            (ARRAY['EKI','JOBCENTER','SSP','CFR','POLICE_EAS','POLICE_LOCAL','UU','KRIMINALFORSORGEN'])[1 + (k % 8)],
            (ARRAY['MENTOR','PREVENTIVE_HOME_VISIT','INCOME_JOB_PLAN','EXIT_INTAKE','MOTIVATIONAL_CONVERSATION',
                   'RELEASE_COORDINATION','PLACEMENT_CONFIRMED','FOLLOW_UP'])[1 + ((k + p.rn) % 8)],
            'Benchmark-opgave', s.status, c.created, c.created + interval '10 days',
            CASE WHEN s.status IN ('CLAIMED','DONE') THEN 'user-' || (p.rn % 300) END,
            CASE WHEN s.status = 'DONE' THEN c.created + (r.r * interval '12 days') END,
            CASE WHEN s.status IN ('CLAIMED','DONE') THEN c.created + (r.r * interval '2 days') END,
            1
       FROM (SELECT id, opened_at, row_number() OVER () AS rn FROM pathways) p,
            generate_series(0, $1 - 1) k,
            LATERAL (SELECT p.opened_at + k * interval '7 days' AS created) c,
            LATERAL (SELECT random() AS r) r,
            LATERAL (SELECT CASE WHEN c.created < now() - interval '30 days'
                                 THEN CASE WHEN r.r < 0.95 THEN 'DONE' ELSE 'CANCELLED' END
                                 WHEN r.r < 0.6 THEN 'OPEN' ELSE 'CLAIMED' END AS status) s`,
    [TASKS_PER_PATHWAY],
  );
  await db.query(
    `INSERT INTO activity_goals (year, task_type, label, target, set_by)
     VALUES ($1, 'PREVENTIVE_HOME_VISIT', 'Forebyggende hjemmebesøg', 1000, 'SIKKER_BY'),
            ($1, 'MOTIVATIONAL_CONVERSATION', 'Motivationssamtaler i fængsel', 500, 'SIKKER_BY'),
            ($1, 'EXIT_INTAKE', 'Exit-forløb startet', 200, 'SIKKER_BY'),
            ($1, 'RELEASE_COORDINATION', 'Løsladt med plan', 300, 'SIKKER_BY'),
            ($1, 'PLACEMENT_CONFIRMED', 'I job eller uddannelse', 250, 'SIKKER_BY')`,
    [YEAR],
  );
  // As live tables stand after autovacuum (visibility map set for index-only scans, statistics current).
  await db.query('VACUUM (ANALYZE) pathways');
  await db.query('VACUUM (ANALYZE) tasks');
  await db.query('CHECKPOINT');
}

const ENDPOINTS = [
  '/oversight/stages',
  '/oversight/sla',
  `/oversight/sla?from=${YEAR}-01&to=${YEAR}-12`,
  '/oversight/deadlines',
  '/oversight/workload',
  '/oversight/stalled',
  `/oversight/quarters?from=${YEAR - 2}&to=${YEAR}`,
];

/** CLIENTS concurrent clients call each endpoint CALLS times each, twice (the first pass warms up); ms per call. */
function loadFromChild(port: number, token: string): Promise<Record<string, { cold: number[]; warm: number[] }>> {
  const client = `
    const endpoints = ${JSON.stringify(ENDPOINTS)};
    const run = async (route) => {
      const out = [];
      await Promise.all(Array.from({ length: ${CLIENTS} }, async () => {
        for (let i = 0; i < ${CALLS}; i++) {
          const t0 = performance.now();
          const res = await fetch('http://127.0.0.1:${port}' + route, { headers: { authorization: 'Bearer ${token}' } });
          await res.arrayBuffer();
          out.push(performance.now() - t0);
          if (res.status !== 200) throw new Error(route + ': HTTP ' + res.status);
        }
      }));
      return out;
    };
    (async () => {
      const result = {};
      for (const route of endpoints) result[route] = { cold: await run(route), warm: await run(route) };
      process.stdout.write(JSON.stringify(result));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', client], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`load exited ${code}`))));
  });
}

async function timeReport(port: number, format: 'pdf' | 'csv', token: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < REPORT_RUNS; i++) {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/reports/yearly/${YEAR}?format=${format}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await res.arrayBuffer();
    out.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`report ${format}: HTTP ${res.status}`);
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'exit-bench-'));
  chmodSync(dir, 0o711);
  const server = await startPostgres({ dataDir: dir, port: 5442 });
  const name = `exit_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await createDatabase(server.url, name);
  const url = withDatabase(server.url, name);
  // No statement limit for the seed: one INSERT writes a million rows.
  const db = await openDatabase(url, { poolSize: 4, statementTimeoutMs: 0 });
  try {
    const started = Date.now();
    await seed(db);
    const [counts] = await db.query(
      `SELECT (SELECT count(*) FROM pathways)::int AS pathways, (SELECT count(*) FROM tasks)::int AS tasks,
              (SELECT count(*) FROM tasks WHERE status IN ('OPEN','CLAIMED'))::int AS open,
              (SELECT count(*) FROM tasks WHERE status = 'DONE')::int AS done`,
    );
    process.stdout.write(
      `seeded ${counts.pathways} pathways, ${counts.tasks} tasks (${counts.open} open or claimed, ${counts.done} done) ` +
        `in ${Date.now() - started} ms\n`,
    );
    // The repository's statements alone, one caller, in this process: what each costs without HTTP or concurrency.
    const repo = new OversightRepository(db);
    const sqlCalls: [string, () => Promise<unknown>][] = [
      ['stages', () => repo.stages(new Date())],
      ['sla (3 months, kept months)', () => repo.sla(`${YEAR}-09`, `${YEAR}-11`)],
      ['openWork (deadlines, workload)', () => repo.openWork(new Date(), 7)],
      ['absentWork (workload)', () => repo.absentWork(new Date(), 7)],
      ['stalled', () => repo.stalled(new Date())],
      ['quarters (3 years)', () => repo.quarters(YEAR - 2, YEAR)],
      ['slaYear (the report)', () => repo.slaYear(YEAR)],
    ];
    for (const [label, call] of sqlCalls) {
      const times: number[] = [];
      for (let i = 0; i < 11; i++) {
        const t0 = performance.now();
        await call();
        if (i > 0) times.push(performance.now() - t0);
      }
      const s = summary(times);
      process.stdout.write(
        `SQL ${label.padEnd(32)} p50=${s.p50.toFixed(1)} ms max=${s.max.toFixed(1)} ms (10 calls)\n`,
      );
    }
    const issuer = await startDevIssuer({ port: 0 });
    const app = await createApiApp(benchApiConfig(url, issuer));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    // The steering group's figures, asked for as its demo account signs in at the development issuer.
    const token = await mintDevToken({ issuer: issuer.issuer, username: 'sikker-by' });
    try {
      const load = await loadFromChild(port, token);
      process.stdout.write(`${CLIENTS} concurrent clients, ${CALLS} calls each per endpoint (after a warm-up pass)\n`);
      for (const [route, { cold, warm }] of Object.entries(load)) {
        const s = summary(warm);
        const c = summary(cold);
        process.stdout.write(
          `${route.padEnd(42)} p50=${s.p50.toFixed(1)} ms p99=${s.p99.toFixed(1)} ms max=${s.max.toFixed(1)} ms` +
            `  (warm-up p99=${c.p99.toFixed(1)} ms)\n`,
        );
      }
      for (const format of ['pdf', 'csv'] as const) {
        const times = await timeReport(port, format, token);
        process.stdout.write(
          `GET /reports/yearly/${YEAR}?format=${format}: ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')}\n`,
        );
      }
      process.stdout.write(`machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB\n`);
    } finally {
      await app.close();
      await issuer.close();
    }
  } finally {
    await db.destroy();
    await dropDatabase(server.url, name);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
