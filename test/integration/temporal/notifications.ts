// The notification outbox reaches agencies' webhooks: signed, retried with the same delivery id until the receiver
// takes it, dead-lettered when it never does, requeued by hand, and never delivered twice at once by two workers.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { NotificationConfig, WorkerConfig } from '../../../apps/worker/src/config';
import { createWorkerApp } from '../../../apps/worker/src/main';
import { NotificationDispatcherService } from '../../../apps/worker/src/notification-dispatcher.service';
import {
  decodeDeadLetterCursor,
  NotificationRepository,
  openDatabase,
  sealWebhookSecret,
} from '../../../libs/persistence/src';
import { parsePayloadKeys } from '../../../libs/temporal/src';
import { sharedTestEnv } from '../../support/shared-env';
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

// Small, so that four attempts take well under a second.
const SETTINGS: NotificationConfig = { pollMs: 50, maxAttempts: 4, baseBackoffMs: 20, timeoutMs: 1000 };
const PLANTED_NAME = 'Quvenzhané Blæksprutte-Østergaard';
const SECRET = 'test-webhook-secret-0123456789';

interface Received {
  deliveryId: string;
  headers: IncomingHttpHeaders;
  raw: string;
  status: number;
}

interface Receiver {
  url: string;
  /** Answered requests, in the order they were answered. */
  requests: Received[];
  /** Requests received so far, answered or not. */
  arrivals(): number;
  /** Delivery ids that arrived while a request with the same id was still being answered. */
  overlaps: string[];
  close(): Promise<void>;
}

/** A local webhook; `answer` gets the delivery id and how many requests with it came before (0 for the first). */
async function startReceiver(answer: (deliveryId: string, seen: number) => number, delayMs = 0): Promise<Receiver> {
  const requests: Received[] = [];
  const overlaps: string[] = [];
  const seen = new Map<string, number>();
  const inFlight = new Set<string>();
  let arrivals = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrivals += 1;
      const deliveryId = String(req.headers['x-exit-delivery-id']);
      if (inFlight.has(deliveryId)) overlaps.push(deliveryId);
      inFlight.add(deliveryId);
      const n = seen.get(deliveryId) ?? 0;
      seen.set(deliveryId, n + 1);
      const status = answer(deliveryId, n);
      setTimeout(() => {
        requests.push({ deliveryId, headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), status });
        inFlight.delete(deliveryId);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    arrivals: () => arrivals,
    overlaps,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sets the agencies' webhook URL and secret as the API stores it: sealed for each agency under the active master key
 * of PAYLOAD_KEYS (the webhooks-admin cases set secrets through the API itself).
 */
async function setWebhook(db: DataSource, agencies: string[], url: string | null, secret: string | null = SECRET) {
  const master = parsePayloadKeys(sharedTestEnv().payloadKeys, undefined);
  for (const code of agencies) {
    const sealed = secret === null ? undefined : sealWebhookSecret(master, code, secret);
    await db.query(
      `UPDATE agencies SET webhook_url = $2, webhook_secret_sealed = $3, webhook_secret_key_id = $4,
              webhook_previous_sealed = NULL, webhook_previous_key_id = NULL, webhook_previous_until = NULL
        WHERE code = $1`,
      [code, url, sealed?.sealed ?? null, sealed?.keyId ?? null],
    );
  }
}

interface Row {
  id: string;
  agency_code: string;
  kind: string;
  task_id: string | null;
  status: string;
  attempts: number;
  last_error: string | null;
  delivered_at: Date | null;
}

async function rows(db: DataSource, where: string, params: unknown[]): Promise<Row[]> {
  return db.query(`SELECT * FROM notifications WHERE ${where} ORDER BY id`, params);
}

/** Outbox rows as the projection writes them, for a pathway that need not exist (pathway_id has no foreign key). */
async function insertPending(db: DataSource, agency: string, count: number, kind = 'PATHWAY_STALLED') {
  const pathwayId = randomUUID();
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.query(
    `INSERT INTO notifications (id, dedup_key, agency_code, kind, pathway_id, status)
     SELECT id, $4::text || ':' || n || ':' || $2, $2, $3, $4::uuid, 'PENDING'
       FROM unnest($1::text[]) WITH ORDINALITY AS u(id, n)`,
    [ids, agency, kind, pathwayId],
  );
  return { pathwayId, ids };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const settled = (db: DataSource, ids: string[], statuses: string[]) => async () => {
  const found = await rows(db, 'id = ANY($1)', [ids]);
  return found.length === ids.length && found.every((r) => statuses.includes(r.status)) ? found : undefined;
};

/** What a receiver checks: HMAC-SHA256 of "<X-Exit-Timestamp>.<raw body>" with the agency's secret. */
function signatureValid(raw: string, header: unknown, secret: string, timestamp: unknown): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret)
      .update(`${String(timestamp)}.${raw}`)
      .digest('hex')}`,
  );
  const given = Buffer.from(String(header));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('notification delivery', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ notifications: SETTINGS });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('delivers each notification once, after two refusals, signed, with the same delivery id and no personal data', async () => {
    // The first two requests for each delivery fail, the third is taken.
    const receiver = await startReceiver((_id, seen) => (seen < 2 ? 500 : 200));
    try {
      const all: { code: string }[] = await stack.db.query('SELECT code FROM agencies');
      await setWebhook(
        stack.db,
        all.map((a) => a.code),
        receiver.url,
      );
      const created = await http(stack, 'POST', '/pathways', pathwayRequest({ name: PLANTED_NAME, age: 16 }), {
        as: 'lokalpoliti-sagsbehandler',
      });
      expect(created.status).toBe(201);
      const pathwayId: string = created.body.id;
      const taskIds: string[] = created.body.tasks.map((t: any) => t.id);

      const outbox = await rows(stack.db, 'pathway_id = $1', [pathwayId]);
      expect(outbox.map((r) => r.kind)).toEqual(taskIds.map(() => 'TASK_ASSIGNED'));
      const ids = outbox.map((r) => r.id);
      const done = await waitFor(settled(stack.db, ids, ['DELIVERED', 'DEAD']));

      for (const row of done) {
        expect(row).toMatchObject({ status: 'DELIVERED', attempts: 3, last_error: 'HTTP 500' });
        expect(row.delivered_at).toBeInstanceOf(Date);
      }
      const mine = receiver.requests.filter((r) => ids.includes(r.deliveryId));
      expect(mine).toHaveLength(ids.length * 3);
      for (const row of done) {
        const attempts = mine.filter((r) => r.deliveryId === row.id);
        // Exactly one success per notification, and every retry carried the same delivery id as the body's id.
        expect(attempts.map((r) => r.status)).toEqual([500, 500, 200]);
        for (const r of attempts) {
          const body = JSON.parse(r.raw);
          expect(body.id).toBe(row.id);
          expect(r.headers['content-type']).toBe('application/json');
          const at = r.headers['x-exit-timestamp'];
          expect(signatureValid(r.raw, r.headers['x-exit-signature'], SECRET, at)).toBe(true);
          expect(signatureValid(r.raw, r.headers['x-exit-signature'], `${SECRET}x`, at)).toBe(false);
          // Replayed later under a fresh timestamp, the same body and signature no longer verify.
          expect(signatureValid(r.raw, r.headers['x-exit-signature'], SECRET, Number(at) + 600)).toBe(false);
          expect(Math.abs(Number(r.headers['x-exit-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
          expect(body).toEqual({
            id: row.id,
            kind: 'TASK_ASSIGNED',
            agency: row.agency_code,
            pathwayId,
            taskId: row.task_id,
            createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/),
            link: `/tasks/${row.task_id}`,
          });
        }
      }
      expect(new Set(done.map((r) => r.task_id))).toEqual(new Set(taskIds));
      // Nothing the receiver saw, nor anything the outbox kept, names the person.
      const everything = JSON.stringify({ requests: mine, done });
      for (const part of PLANTED_NAME.split(/[\s-]/)) expect(everything).not.toContain(part);
      // The secret that signed them is kept sealed only: no column of the agency holds it in clear.
      const agency = done[0].agency_code;
      const [stored]: ({ webhook_secret_key_id: string; sealed: Buffer } & Record<string, unknown>)[] =
        await stack.db.query(`SELECT *, webhook_secret_sealed AS sealed FROM agencies WHERE code = $1`, [agency]);
      expect(JSON.stringify(Object.values(stored).filter((v) => !Buffer.isBuffer(v)))).not.toContain(SECRET);
      expect(stored.webhook_secret_key_id).toBe(stack.temporal.payloadKeys.activeKeyId);
      for (const encoding of ['latin1', 'utf8', 'base64', 'base64url', 'hex'] as const)
        expect(stored.sealed.toString(encoding)).not.toContain(SECRET);
    } finally {
      const all: { code: string }[] = await stack.db.query('SELECT code FROM agencies');
      await setWebhook(
        stack.db,
        all.map((a) => a.code),
        null,
        null,
      );
      await receiver.close();
    }
  });

  it('gives up after the last attempt, lists the dead letter, and delivers it once requeued', async () => {
    let accept = false;
    const receiver = await startReceiver(() => (accept ? 204 : 503));
    try {
      await setWebhook(stack.db, ['JOBCENTER'], receiver.url);
      const { pathwayId, ids } = await insertPending(stack.db, 'JOBCENTER', 1);
      const [dead] = await waitFor(settled(stack.db, ids, ['DEAD', 'DELIVERED']));
      expect(dead).toMatchObject({ status: 'DEAD', attempts: SETTINGS.maxAttempts, last_error: 'HTTP 503' });
      const tries = receiver.requests.filter((r) => r.deliveryId === ids[0]);
      expect(tries.map((r) => r.status)).toEqual(Array(SETTINGS.maxAttempts).fill(503));
      expect(JSON.parse(tries[0].raw).link).toBe(`/pathways/${pathwayId}`);
      // A dead letter stays put: no further attempts while nobody requeues it.
      await new Promise((r) => setTimeout(r, SETTINGS.pollMs * 4));
      expect(receiver.requests.filter((r) => r.deliveryId === ids[0])).toHaveLength(SETTINGS.maxAttempts);

      // Dead letters are the administrator's.
      const admin = { as: 'admin' };
      const listed = await http(stack, 'GET', '/notifications/dead-letters', undefined, admin);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toContainEqual({
        id: ids[0],
        agency: 'JOBCENTER',
        kind: 'PATHWAY_STALLED',
        pathwayId,
        taskId: null,
        escalationId: null,
        createdAt: expect.any(String),
        attempts: SETTINGS.maxAttempts,
        lastError: 'HTTP 503',
      });

      const unknown = `/notifications/${encodeURIComponent('no-such-id')}/requeue`;
      expect((await http(stack, 'POST', unknown, undefined, admin)).status).toBe(404);
      accept = true;
      const requeued = await http(
        stack,
        'POST',
        `/notifications/${encodeURIComponent(ids[0])}/requeue`,
        undefined,
        admin,
      );
      expect(requeued.status).toBe(200);
      expect(requeued.body).toMatchObject({ id: ids[0], attempts: 0 });
      const [delivered] = await waitFor(settled(stack.db, ids, ['DELIVERED']));
      expect(delivered.attempts).toBe(1);
      expect(receiver.requests.filter((r) => r.deliveryId === ids[0]).map((r) => r.status)).toEqual([
        ...Array(SETTINGS.maxAttempts).fill(503),
        204,
      ]);
      // Delivered is not dead: nothing to requeue, and it is off the list.
      const again = await http(stack, 'POST', `/notifications/${encodeURIComponent(ids[0])}/requeue`, undefined, admin);
      expect(again.status).toBe(409);
      const after = await http(stack, 'GET', '/notifications/dead-letters', undefined, admin);
      expect(after.body.items.map((i: any) => i.id)).not.toContain(ids[0]);
      expect((await http(stack, 'GET', '/notifications/dead-letters?cursor=bm9wZQ', undefined, admin)).status).toBe(
        400,
      );
    } finally {
      await setWebhook(stack.db, ['JOBCENTER'], null, null);
      await receiver.close();
    }
  });

  it('pages dead letters newest first without skipping or repeating rows that share a creation time', async () => {
    const pathwayId = randomUUID();
    // Five share one instant (with microseconds), two are older and one is newer.
    await stack.db.query(
      `INSERT INTO notifications (id, dedup_key, agency_code, kind, pathway_id, status, attempts, created_at)
       SELECT 'page:' || i, 'page:' || i, 'UU', 'TASK_OVERDUE', $1, 'DEAD', 4,
              CASE WHEN i <= 2 THEN '2020-01-01T00:00:00.000001Z'::timestamptz
                   WHEN i <= 7 THEN '2020-01-01T00:00:00.000002Z'::timestamptz
                   ELSE '2020-01-01T00:00:00.000003Z'::timestamptz END
         FROM generate_series(1, 8) AS i`,
      [pathwayId],
    );
    const repository = new NotificationRepository(stack.db);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await repository.listDead(3, cursor === null ? undefined : decodeDeadLetterCursor(cursor));
      seen.push(...page.items.filter((i) => i.pathwayId === pathwayId).map((i) => i.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 20);
    expect(seen).toEqual(['page:8', 'page:3', 'page:4', 'page:5', 'page:6', 'page:7', 'page:1', 'page:2']);
    await stack.db.query('DELETE FROM notifications WHERE pathway_id = $1', [pathwayId]);
  });

  it('never has the same notification in flight twice with three dispatchers in two worker apps', async () => {
    // Slow answers keep deliveries in flight while the other dispatchers poll; the first try of each one fails so
    // that retries can be picked up by a different dispatcher.
    const receiver = await startReceiver((_id, seen) => (seen === 0 ? 503 : 200), 80);
    const shared = sharedTestEnv();
    let secondWorker: INestApplicationContext | undefined;
    let ownDb: DataSource | undefined;
    let standalone: NotificationDispatcherService | undefined;
    try {
      await setWebhook(stack.db, ['CFR'], receiver.url);
      secondWorker = await createWorkerApp({
        databaseUrl: stack.databaseUrl,
        temporal: stack.temporal,
        workflowBundlePath: shared.workflowBundlePath,
        notifications: SETTINGS,
        log: { level: 'error' },
      });
      ownDb = await openDatabase(stack.databaseUrl, { poolSize: 3 });
      const config: WorkerConfig = {
        databaseUrl: stack.databaseUrl,
        temporal: stack.temporal,
        notifications: SETTINGS,
        log: { level: 'error' },
      };
      // A third dispatcher with its own connection pool, as another process would have.
      standalone = new NotificationDispatcherService(config, ownDb);
      const claimedBy = [0, 0, 0];
      const dispatchers = [secondWorker.get(NotificationDispatcherService), standalone];
      dispatchers.forEach((d, i) => {
        const original = d.dispatchOnce.bind(d);
        jest.spyOn(d, 'dispatchOnce').mockImplementation(async () => {
          const n = await original();
          claimedBy[i + 1] += n;
          return n;
        });
      });
      standalone.start();

      const { ids } = await insertPending(stack.db, 'CFR', 120, 'TASK_REMINDER');
      const done = await waitFor(settled(stack.db, ids, ['DELIVERED', 'DEAD']), 60000);

      expect(receiver.overlaps).toEqual([]);
      expect(done.every((r) => r.status === 'DELIVERED' && r.attempts === 2)).toBe(true);
      for (const id of ids) {
        expect(receiver.requests.filter((r) => r.deliveryId === id).map((r) => r.status)).toEqual([503, 200]);
      }
      // Both watched dispatchers really did claim rows alongside the stack's own worker.
      expect(claimedBy[1]).toBeGreaterThan(0);
      expect(claimedBy[2]).toBeGreaterThan(0);
    } finally {
      await standalone?.stop();
      await secondWorker?.close();
      await ownDb?.destroy();
      await setWebhook(stack.db, ['CFR'], null, null);
      await receiver.close();
    }
  });

  it('records a timeout, a refused connection and a non-http url as short reasons, then gives up', async () => {
    const slow = await startReceiver(() => 200, SETTINGS.timeoutMs + 500);
    const refused = await startReceiver(() => 200);
    await refused.close();
    try {
      await setWebhook(stack.db, ['TIDLIG'], slow.url);
      await setWebhook(stack.db, ['EKI'], refused.url);
      await setWebhook(stack.db, ['UU'], 'file:///etc/passwd');
      const timedOut = await insertPending(stack.db, 'TIDLIG', 1);
      const noConnection = await insertPending(stack.db, 'EKI', 1);
      const notHttp = await insertPending(stack.db, 'UU', 1);

      const [t] = await waitFor(async () => {
        const [row] = await rows(stack.db, 'id = $1', timedOut.ids);
        return row.attempts >= 1 ? [row] : undefined;
      });
      expect(t.last_error).toBe(`timeout after ${SETTINGS.timeoutMs} ms`);
      const [c] = await waitFor(settled(stack.db, noConnection.ids, ['DEAD']));
      expect(c.last_error).toBe('connection failed (ECONNREFUSED)');
      const [u] = await waitFor(settled(stack.db, notHttp.ids, ['DEAD']));
      expect(u).toMatchObject({ attempts: SETTINGS.maxAttempts, last_error: 'webhook url is not http(s)' });
    } finally {
      await setWebhook(stack.db, ['TIDLIG', 'EKI', 'UU'], null, null);
      await slow.close();
    }
  });

  it('records nothing for a claim whose lease ran out and was claimed again', async () => {
    // No dispatcher here: the two claims below stand for two workers, the first one stalled past its lease.
    await stack.stopWorker();
    try {
      const repository = new NotificationRepository(stack.db, stack.temporal.payloadKeys);
      const { ids } = await insertPending(stack.db, 'POLICE_OC', 1);
      const stalled = (await repository.claimDue(100, 200)).find((c) => c.id === ids[0])!;
      expect(stalled).toBeDefined();
      expect((await repository.claimDue(100, 60_000)).map((c) => c.id)).not.toContain(ids[0]);
      await new Promise((r) => setTimeout(r, 250));
      const current = (await repository.claimDue(100, 60_000)).find((c) => c.id === ids[0])!;
      expect(current.leaseUntil.getTime()).toBeGreaterThan(stalled.leaseUntil.getTime());

      expect(await repository.markFailed(stalled, 'HTTP 500', 0)).toBe(false);
      expect(await repository.markDead(stalled, 'HTTP 500')).toBe(false);
      expect(await repository.markDelivered(current)).toBe(true);
      expect(await repository.markFailed(current, 'HTTP 500', 0)).toBe(false);
      const [row] = await rows(stack.db, 'id = $1', ids);
      expect(row).toMatchObject({ status: 'DELIVERED', attempts: 1, last_error: null });
    } finally {
      await stack.startWorker();
    }
  });

  it('finishes a delivery under way before the worker stops', async () => {
    const receiver = await startReceiver(() => 200, 400);
    try {
      await setWebhook(stack.db, ['KRIMINALFORSORGEN'], receiver.url);
      const { ids } = await insertPending(stack.db, 'KRIMINALFORSORGEN', 1);
      // Stopped while the receiver is still holding the request.
      await waitFor(async () => (receiver.arrivals() > 0 ? true : undefined));
      expect(receiver.requests).toHaveLength(0);
      await stack.stopWorker();
      const [row] = await rows(stack.db, 'id = $1', ids);
      expect(row).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    } finally {
      await stack.startWorker();
      await setWebhook(stack.db, ['KRIMINALFORSORGEN'], null, null);
      await receiver.close();
    }
  });
});
