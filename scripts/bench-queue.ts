// Benchmark of the agency queue (npm run bench:queue): 100,000 tasks in PostgreSQL, 20 concurrent clients paging
// one agency's queue, p50/p99 of the SQL (the repository call) and of the HTTP call. Uses DATABASE_URL's server
// or an embedded PostgreSQL, in a database of its own that it drops afterwards.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/main';
import { openDatabase } from '../libs/persistence/src';
import { QueueRepository, decodeUrgencyCursor, queuePageStatement } from '../libs/persistence/src/queue.repository';
import { benchApiConfig } from './dev-stack/bench-api';
import { startDevIssuer } from './dev-stack/dev-issuer';
import { mintDevToken } from './dev-stack/dev-token';
import { createDatabase, dropDatabase, startPostgres, withDatabase } from './dev-stack/postgres-server';

const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const PAGES_PER_CLIENT = Number(process.env.BENCH_PAGES ?? 200);
const PAGE_SIZE = 50;
const AGENCY = 'EKI';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function report(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${name}: n=${sorted.length} p50=${percentile(sorted, 50).toFixed(2)} ms p99=${percentile(sorted, 99).toFixed(2)} ms max=${sorted[sorted.length - 1].toFixed(2)} ms`;
}

async function seed(db: DataSource): Promise<void> {
  const pathways = Math.ceil(TASKS / 10);
  await db.query(`INSERT INTO playbooks (version, name, definition) VALUES (1, 'bench', '{}') ON CONFLICT DO NOTHING`);
  await db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at)
     SELECT g.id, 'pathway-' || g.id, 'INTERVENTION', 'YDRE_NORREBRO', 1, now(), now(), 1, now()
       FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, $1)) g`,
    [pathways],
  );
  // Ten tasks per pathway spread over the agencies; a quarter are EKI's. Most open, some claimed, some done;
  // a few overdue and escalated, as a real queue has.
  await db.query(
    `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                        overdue, escalation_level, assignee, version)
     SELECT gen_random_uuid(), p.id, 'task-' || n, 'INTERVENTION',
            (ARRAY['EKI','JOBCENTER','SSP','CFR'])[1 + (n % 4)], 'BENCH', 'Benchmark-opgave',
            CASE WHEN random() < 0.7 THEN 'OPEN' WHEN random() < 0.5 THEN 'CLAIMED' ELSE 'DONE' END,
            now(), now() + (random() * interval '60 days') - interval '10 days',
            r < 0.1, CASE WHEN r < 0.02 THEN 2 WHEN r < 0.1 THEN 1 ELSE 0 END,
            NULL, 1
       FROM (SELECT id, row_number() OVER () AS rn FROM pathways) p,
            generate_series(0, 9) n,
            LATERAL (SELECT random() AS r) rr
      LIMIT $1`,
    [TASKS],
  );
  // As a live table stands after autovacuum: hint bits set, visibility map and statistics current, and the seed's
  // WAL checkpointed, so the timed runs measure the queue and not the aftermath of a bulk load.
  await db.query('VACUUM (ANALYZE) tasks');
  await db.query('CHECKPOINT');
}

/** 20 clients paging the queue over HTTP from a child process, twice; each call's latency in ms, by pass. */
function loadFromChild(port: number, token: string): Promise<{ cold: number[]; warm: number[] }> {
  const client = `
    const headers = { authorization: 'Bearer ${token}' };
    const base = 'http://127.0.0.1:${port}/agencies/${AGENCY}/tasks?limit=${PAGE_SIZE}';
    const run = async (pages) => {
      const out = [];
      await Promise.all(Array.from({ length: ${CLIENTS} }, async () => {
        let cursor = null;
        for (let i = 0; i < pages; i++) {
          const t0 = performance.now();
          const res = await fetch(cursor ? base + '&cursor=' + cursor : base, { headers });
          const body = await res.json();
          out.push(performance.now() - t0);
          if (res.status !== 200) throw new Error('HTTP ' + res.status);
          cursor = body.nextCursor;
          if (!cursor) break;
        }
      }));
      return out;
    };
    run(${PAGES_PER_CLIENT}).then((cold) => run(${PAGES_PER_CLIENT}).then((warm) => process.stdout.write(JSON.stringify({ cold, warm }))));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', client], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output) as { cold: number[]; warm: number[] })
        : reject(new Error(`load exited ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'exit-bench-'));
  chmodSync(dir, 0o711);
  const server = await startPostgres({ dataDir: dir, port: 5441 });
  const name = `exit_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await createDatabase(server.url, name);
  const url = withDatabase(server.url, name);
  // No statement limit: seeding 100,000 rows can take longer than the API's 5 s on a busy machine.
  const db = await openDatabase(url, { poolSize: CLIENTS, statementTimeoutMs: 0 });
  let stopIssuer: (() => Promise<void>) | undefined;
  try {
    const started = Date.now();
    await seed(db);
    const [{ total, open }] = await db.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE agency_code = $1 AND status IN ('OPEN','CLAIMED'))::int AS open FROM tasks`,
      [AGENCY],
    );
    process.stdout.write(`seeded ${total} tasks (${open} open in ${AGENCY}'s queue) in ${Date.now() - started} ms\n`);

    // The statement the repository runs, for a page from the middle of the queue (rank 5 = not escalated, due now).
    const middle = queuePageStatement(AGENCY, {}, PAGE_SIZE + 1, {
      rank: 5,
      dueAt: new Date().toISOString(),
      id: '00000000-0000-0000-0000-000000000000',
    });
    const plan: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${middle.text}`, middle.values);
    process.stdout.write(`plan of a middle page:\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`);

    const queue = new QueueRepository(db);
    // The same load once first, not counted: opens the pool's connections and lets V8 compile the hot paths (the HTTP load
    // below does the same in its own process).
    const pageThrough = async (pages: number): Promise<number[]> => {
      const out: number[] = [];
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          let cursor: string | null = null;
          for (let i = 0; i < pages; i++) {
            const t0 = performance.now();
            const page = await queue.page(AGENCY, {}, PAGE_SIZE, cursor ? decodeUrgencyCursor(cursor) : undefined);
            out.push(performance.now() - t0);
            cursor = page.nextCursor;
            if (!cursor) break;
          }
        }),
      );
      return out;
    };
    const sqlCold = await pageThrough(PAGES_PER_CLIENT);
    const sql = await pageThrough(PAGES_PER_CLIENT);

    const issuer = await startDevIssuer({ port: 0 });
    stopIssuer = () => issuer.close();
    const app = await createApiApp(benchApiConfig(url, issuer));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const token = await mintDevToken({ issuer: issuer.issuer, username: 'eki-sagsbehandler' });
    // The load comes from another process, as real clients do: in this one it would steal the server's CPU.
    const http = await loadFromChild(port, token);
    await app.close();
    process.stdout.write(
      `${CLIENTS} concurrent clients, ${PAGE_SIZE} tasks a page, up to ${PAGES_PER_CLIENT} pages each\n`,
    );
    process.stdout.write(report('warm-up pass, not counted:     SQL ', sqlCold) + '\n');
    process.stdout.write(report('warm-up pass, not counted:     HTTP', http.cold) + '\n');
    process.stdout.write(report('SQL  (QueueRepository.page)', sql) + '\n');
    process.stdout.write(report('HTTP (GET /agencies/EKI/tasks)', http.warm) + '\n');
  } finally {
    await stopIssuer?.();
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
