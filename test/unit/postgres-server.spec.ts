// Checks scripts/dev-stack/postgres-server against this machine's PostgreSQL (DATABASE_URL or 127.0.0.1:5432) and an embedded one.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { createDatabase, dropDatabase, startPostgres, withDatabase } from '../../scripts/dev-stack/postgres-server';

const externalUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('withDatabase', () => {
  it('swaps only the database name', () => {
    expect(withDatabase('postgres://u:p%40ss@db.example:6543/postgres?sslmode=require', 'app_test')).toBe(
      'postgres://u:p%40ss@db.example:6543/app_test?sslmode=require',
    );
    expect(withDatabase('postgresql://postgres@127.0.0.1:5432', 'other')).toBe(
      'postgresql://postgres@127.0.0.1:5432/other',
    );
  });
});

describe('startPostgres with DATABASE_URL', () => {
  const saved = process.env.DATABASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  it('uses the given server, pointed at its maintenance database', async () => {
    const server = await startPostgres({
      dataDir: '/nonexistent',
      databaseUrl: withDatabase(externalUrl, 'whatever'),
    });
    expect(server).toMatchObject({ url: withDatabase(externalUrl, 'postgres'), embedded: false });
    await server.stop();

    process.env.DATABASE_URL = externalUrl;
    expect(await startPostgres({ dataDir: '/nonexistent' })).toMatchObject({ url: externalUrl, embedded: false });
  });

  it('creates, uses and drops a database, idempotently', async () => {
    const name = `pgserver_test_${randomBytes(6).toString('hex')}`;
    try {
      await createDatabase(externalUrl, name);
      await createDatabase(externalUrl, name);
      expect(await query(withDatabase(externalUrl, name), 'SELECT 1 AS one')).toEqual([{ one: 1 }]);

      // Held open so the drop has to force it off.
      const lingering = new Client({ connectionString: withDatabase(externalUrl, name) });
      lingering.on('error', () => undefined);
      await lingering.connect();
      await dropDatabase(externalUrl, name);
      await lingering.end().catch(() => undefined);

      const left = await query(externalUrl, `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
      expect(left).toEqual([]);
      await dropDatabase(externalUrl, name);
    } finally {
      await dropDatabase(externalUrl, name);
    }
  });

  it.each(['x; drop table y', 'Upper', '1abc', 'a"b', '', 'a'.repeat(64)])('rejects the name %j', async (name) => {
    await expect(createDatabase(externalUrl, name)).rejects.toThrow(/Invalid database name/);
    await expect(dropDatabase(externalUrl, name)).rejects.toThrow(/Invalid database name/);
  });
});

describe('startPostgres embedded', () => {
  const saved = process.env.DATABASE_URL;
  let dataDir: string;
  beforeAll(() => {
    delete process.env.DATABASE_URL;
    dataDir = mkdtempSync(path.join(tmpdir(), 'pg-server-spec-'));
  });
  afterAll(() => {
    if (saved !== undefined) process.env.DATABASE_URL = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('initialises once and keeps its data across restarts', async () => {
    const port = await freePort();
    const lines: string[] = [];

    const first = await startPostgres({ dataDir, port, log: (line) => lines.push(line) });
    try {
      // Password authentication (SCRAM), the password kept beside the data for this machine's scripts, never logged.
      const password = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(statSync(path.join(dataDir, 'postgres-password')).mode & 0o077).toBe(0);
      expect(first).toMatchObject({
        url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
        embedded: true,
      });
      await expect(query(`postgres://postgres@127.0.0.1:${port}/postgres`, 'SELECT 1')).rejects.toThrow(/password/i);
      await expect(query(`postgres://postgres:wrong@127.0.0.1:${port}/postgres`, 'SELECT 1')).rejects.toThrow(
        /password authentication failed/,
      );
      expect(lines.join('\n')).not.toContain(password);
      // The data directory is ours alone; search-only for the server's OS user when we run as root.
      expect(statSync(dataDir).mode & 0o777).toBe(process.getuid?.() === 0 ? 0o701 : 0o700);
      expect(await query(first.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await query(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
      await createDatabase(first.url, 'scratch');
      expect(await query(withDatabase(first.url, 'scratch'), "SELECT upper('æøå') AS up")).toEqual([{ up: 'ÆØÅ' }]);
    } finally {
      await first.stop();
    }
    await first.stop();
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(lines.some((line) => line.startsWith('Initialising PostgreSQL cluster'))).toBe(true);

    lines.length = 0;
    const second = await startPostgres({ dataDir, port, log: (line) => lines.push(line) });
    try {
      expect(await query(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
      await dropDatabase(second.url, 'scratch');
    } finally {
      await second.stop();
    }
    expect(lines.some((line) => line.startsWith('Initialising PostgreSQL cluster'))).toBe(false);
  }, 30_000);

  it('refuses to mistake another server on its port for itself', async () => {
    const port = Number(new URL(externalUrl).port || 5432);
    await expect(startPostgres({ dataDir, port })).rejects.toThrow(/Another PostgreSQL server|exited during startup/);
  }, 30_000);
});
