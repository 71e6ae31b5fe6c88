// Benchmark of the web app (npm run bench:web): the built bundle's size (gzip) and, in Debian's Chromium, the time
// from navigation to the agency queue rendered with 200 tasks and its "Næste opgave" button usable. Seeds its own
// database (on DATABASE_URL's server or an embedded PostgreSQL) and drops it afterwards; needs no Temporal.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/main';
import { findWebAppDir } from '../apps/api/src/web-app';
import { openDatabase } from '../libs/persistence/src';
import { benchApiConfig } from './dev-stack/bench-api';
import { startDevIssuer } from './dev-stack/dev-issuer';
import { mintDevToken } from './dev-stack/dev-token';
import { createDatabase, dropDatabase, startPostgres, withDatabase } from './dev-stack/postgres-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium } = require('./dev-stack/ensure-chromium.js') as { ensureChromium: () => string };

const TASKS = Number(process.env.BENCH_WEB_TASKS ?? 200);
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const AGENCY = 'SSP';

function kB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

/** The files index.html loads before anything renders: its module script, preloads and stylesheets. */
function bundleSizes(dir: string): { js: number; jsGzip: number; css: number; cssGzip: number } {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  const sizes = { js: 0, jsGzip: 0, css: 0, cssGzip: 0 };
  for (const ref of refs) {
    const content = readFileSync(path.join(dir, ref));
    const gz = gzipSync(content, { level: 9 }).length;
    if (ref.endsWith('.js')) {
      sizes.js += content.length;
      sizes.jsGzip += gz;
    } else if (ref.endsWith('.css')) {
      sizes.css += content.length;
      sizes.cssGzip += gz;
    }
  }
  return sizes;
}

async function seed(db: DataSource): Promise<void> {
  await db.query(`INSERT INTO playbooks (version, name, definition) VALUES (1, 'bench', '{}') ON CONFLICT DO NOTHING`);
  await db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at)
     SELECT g.id, 'pathway-' || g.id, 'INTERVENTION', 'YDRE_NORREBRO', 1, now(), now(), 1, now()
       FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, $1)) g`,
    [Math.ceil(TASKS / 10)],
  );
  // Open work of one agency, a tenth overdue and some escalated, deadlines spread over the coming weeks.
  await db.query(
    `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                        overdue, escalation_level, assignee, version)
     SELECT gen_random_uuid(), p.id, 'task-' || n, 'INTERVENTION', $2, 'BENCH',
            'Forebyggende hjemmebesøg hos forældrene sammen med DKS', 'OPEN',
            now() - (random() * interval '20 days'),
            now() + (random() * interval '40 days') - interval '4 days',
            r < 0.1, CASE WHEN r < 0.03 THEN 1 ELSE 0 END, NULL, 1
       FROM pathways p, generate_series(0, 9) n, LATERAL (SELECT random() AS r) rr
      LIMIT $1`,
    [TASKS, AGENCY],
  );
}

async function main(): Promise<void> {
  const webDir = findWebAppDir();
  if (!webDir) throw new Error('no web build: run npm run build:web first');
  const sizes = bundleSizes(webDir);

  const dir = mkdtempSync(path.join(tmpdir(), 'exit-bench-web-'));
  chmodSync(dir, 0o711);
  const server = await startPostgres({ dataDir: dir, port: 5442 });
  const name = `exit_bench_web_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await createDatabase(server.url, name);
  const url = withDatabase(server.url, name);
  // No statement limit for the seeding (as in bench-queue.ts).
  const db = await openDatabase(url, { poolSize: 4, statementTimeoutMs: 0 });
  const browser = await chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  // A real sign-in's token, put where the app keeps its session (apps/web/src/auth/auth.tsx): the timing starts at
  // the queue, not at the issuer's login form.
  const issuer = await startDevIssuer({ port: 0, env: {} });
  try {
    await seed(db);
    const token = await mintDevToken({ issuer: issuer.issuer, username: 'ssp-sagsbehandler' });
    const app = await createApiApp(benchApiConfig(url, issuer));
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const target = `http://127.0.0.1:${port}/app/opgaver?fane=alle`;

    const times: number[] = [];
    // The first run warms the API (connections, V8) and is not counted; every run is a fresh browser context, so the
    // bundle is fetched and compiled each time as on a first visit.
    for (let run = 0; run <= RUNS; run++) {
      const context = await browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
      await context.addInitScript(
        (session) =>
          (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(
            'exit-pathways.session',
            session,
          ),
        JSON.stringify({ accessToken: token }),
      );
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(target, { waitUntil: 'commit' });
      await page.locator(`table.queue-table tbody tr:nth-child(${TASKS})`).waitFor();
      await page.getByRole('button', { name: 'Næste opgave', disabled: false }).waitFor();
      const elapsed = performance.now() - t0;
      if (run > 0) times.push(elapsed);
      await context.close();
    }
    await app.close();
    const sorted = [...times].sort((a, b) => a - b);
    process.stdout.write(
      [
        `initial JS:  ${kB(sizes.js)} (gzip ${kB(sizes.jsGzip)})`,
        `initial CSS: ${kB(sizes.css)} (gzip ${kB(sizes.cssGzip)})`,
        `queue with ${TASKS} tasks rendered and usable, ${RUNS} cold visits after one warm-up: ` +
          `median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, ` +
          `min ${sorted[0].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms`,
        '',
      ].join('\n'),
    );
  } finally {
    await issuer.close();
    await browser.close();
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
