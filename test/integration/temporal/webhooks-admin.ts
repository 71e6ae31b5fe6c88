// Webhook administration (issue 14): an administrator sets an agency's webhook URL (validated), gets its signing
// secret once, rotates it (the old secret signs too for a day, so the receiver may hold either), sends a signed test
// ping, and reads what became of the deliveries. Real API, worker, Temporal, PostgreSQL and a local receiver.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookRepository, type MasterKeys } from '../../../libs/persistence/src';
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
}

/** `sha256=<hex>` entries of X-Exit-Signature that verify under `secret`. */
function verifies(received: Received, secret: string): boolean {
  const signed = `${received.headers['x-exit-timestamp']}.${received.raw}`;
  const expected = `sha256=${createHmac('sha256', secret).update(signed).digest('hex')}`;
  return String(received.headers['x-exit-signature'])
    .split(',')
    .map((s) => s.trim())
    .includes(expected);
}

interface StoredSecrets {
  webhook_secret_sealed: Buffer | null;
  webhook_secret_key_id: string | null;
  webhook_previous_sealed: Buffer | null;
  webhook_previous_key_id: string | null;
}

/** The agency's row as the database holds it, every column as text in the encodings a reader might try. */
async function storedRow(stack: TestStack, code: string): Promise<{ row: StoredSecrets; text: string }> {
  const [row]: (StoredSecrets & Record<string, unknown>)[] = await stack.db.query(
    'SELECT * FROM agencies WHERE code = $1',
    [code],
  );
  const text = Object.values(row)
    .map((v) =>
      Buffer.isBuffer(v)
        ? ['latin1', 'utf8', 'base64', 'base64url', 'hex'].map((e) => v.toString(e as BufferEncoding)).join(' ')
        : String(v),
    )
    .join(' ');
  return { row, text };
}

describe('PUT /agencies/:code/webhook', () => {
  let stack: TestStack;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, raw });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    stack = await startStack({
      notifications: { pollMs: 50, maxAttempts: 4, baseBackoffMs: 20, timeoutMs: 1000 },
      api: { webhookHttpAllowed: true },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const admin = { as: 'admin' };
  const put = (body: unknown, code = 'SSP') => http(stack, 'PUT', `/agencies/${code}/webhook`, body, admin);

  it('refuses a URL that is not http(s), carries credentials or a fragment; others than administrators → 403', async () => {
    for (const [url, reason] of [
      ['ftp://127.0.0.1/hook', 'must be an https URL'],
      ['not a url', 'must be an absolute URL'],
      ['https://user:pw@ssp.example/hook', 'must not carry a user name or password'],
      ['https://ssp.example/hook#x', 'must not have a fragment'],
    ]) {
      const res = await put({ url });
      expect({ url, status: res.status, errors: res.body.errors }).toEqual({
        url,
        status: 400,
        errors: [{ field: 'url', reason }],
      });
    }
    expect((await put({ url: receiverUrl }, 'NOPE')).status).toBe(404);
    const coordinator = await http(stack, 'PUT', '/agencies/SSP/webhook', { url: receiverUrl }, { as: 'koordinator' });
    expect(coordinator.status).toBe(403);
    expect((await http(stack, 'GET', '/agencies/SSP/webhook', undefined, admin)).body).toMatchObject({
      agency: 'SSP',
      hasSecret: false,
    });
    expect((await http(stack, 'POST', '/agencies/SSP/webhook/ping', undefined, admin)).status).toBe(409);
  });

  it('configures, pings signed, rotates with both secrets valid, and counts the deliveries', async () => {
    const first = await put({ url: receiverUrl });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ agency: 'SSP', url: receiverUrl, hasSecret: true });
    const secret: string = first.body.secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.body.previousSecretValidUntil).toBeUndefined();
    // The secret is shown once: reading the webhook never shows it.
    const read = await http(stack, 'GET', '/agencies/SSP/webhook', undefined, admin);
    expect(read.body.secret).toBeUndefined();
    expect(JSON.stringify(read.body)).not.toContain(secret);
    // Stored sealed under the active master key, its id beside it; no column holds the secret in clear.
    const sealed = await storedRow(stack, 'SSP');
    expect(Object.keys(sealed.row)).not.toContain('webhook_secret');
    expect(Object.keys(sealed.row)).not.toContain('webhook_previous_secret');
    expect(sealed.row).toMatchObject({
      webhook_secret_key_id: stack.temporal.payloadKeys.activeKeyId,
    });
    expect(sealed.row.webhook_secret_sealed).toBeInstanceOf(Buffer);
    expect(sealed.text).not.toContain(secret);

    const ping = await http(stack, 'POST', '/agencies/SSP/webhook/ping', undefined, admin);
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ delivered: true, status: 200 });
    const pinged = received.at(-1)!;
    expect(JSON.parse(pinged.raw)).toMatchObject({ kind: 'PING', agency: 'SSP' });
    expect(verifies(pinged, secret)).toBe(true);

    const rotated = await put({ url: receiverUrl, rotateSecret: true });
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).not.toBe(secret);
    const until = Date.parse(rotated.body.previousSecretValidUntil);
    expect(until - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    // Both secrets sealed: the old one moved, still sealed, beside the new one.
    const both = await storedRow(stack, 'SSP');
    expect(both.row).toMatchObject({
      webhook_secret_key_id: stack.temporal.payloadKeys.activeKeyId,
      webhook_previous_key_id: stack.temporal.payloadKeys.activeKeyId,
    });
    expect(both.row.webhook_previous_sealed).toEqual(sealed.row.webhook_secret_sealed);
    expect(both.text).not.toContain(secret);
    expect(both.text).not.toContain(newSecret);

    // A real delivery from the worker during the rotation verifies under either secret.
    const before = received.length;
    const opened = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(opened.status).toBe(201);
    const deadline = Date.now() + 15_000;
    while (!received.slice(before).some((r) => JSON.parse(r.raw).kind === 'TASK_ASSIGNED') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const delivery = received.slice(before).find((r) => JSON.parse(r.raw).kind === 'TASK_ASSIGNED')!;
    expect(delivery).toBeDefined();
    expect(verifies(delivery, newSecret)).toBe(true);
    expect(verifies(delivery, secret)).toBe(true);
    expect(verifies(delivery, 'some other secret')).toBe(false);

    const stats = await http(stack, 'GET', '/agencies/SSP/webhook', undefined, admin);
    expect(stats.body.deliveries).toMatchObject({ dead: 0, failedAttempts: 0 });
    expect(stats.body.deliveries.delivered).toBeGreaterThanOrEqual(1);
    expect(Date.parse(stats.body.deliveries.lastDeliveredAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('reseals secrets under a rotated-out master key at start, so that key can leave PAYLOAD_KEYS', async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const before: MasterKeys = { activeKeyId: 'old', keys: new Map([['old', oldKey]]) };
    const during: MasterKeys = {
      activeKeyId: 'new',
      keys: new Map([
        ['old', oldKey],
        ['new', newKey],
      ]),
    };
    const after: MasterKeys = { activeKeyId: 'new', keys: new Map([['new', newKey]]) };
    await new WebhookRepository(stack.db, before).configure('EKI', receiverUrl, 'eki-first-secret-0123456789', 24);
    await new WebhookRepository(stack.db, before).configure('EKI', receiverUrl, 'eki-second-secret-0123456789', 24);
    // The new master key alone cannot open them yet, and says which key is missing, not the secret.
    const refused = await new WebhookRepository(stack.db, after).secrets('EKI').catch((err: Error) => err.message);
    expect(refused).toBe("webhook secret sealed by master key 'old', which is not configured");
    // What the API and the worker do when they start with the new active key: reseal, once.
    expect(await new WebhookRepository(stack.db, during).sealStored()).toBeGreaterThanOrEqual(1);
    const { row } = await storedRow(stack, 'EKI');
    expect(row).toMatchObject({ webhook_secret_key_id: 'new', webhook_previous_key_id: 'new' });
    expect(await new WebhookRepository(stack.db, after).secrets('EKI')).toEqual({
      url: receiverUrl,
      secret: 'eki-second-secret-0123456789',
      previousSecret: 'eki-first-secret-0123456789',
    });
    // Copied into another agency's row, a sealed secret does not open there.
    await stack.db.query(
      `UPDATE agencies SET webhook_secret_sealed = e.webhook_secret_sealed, webhook_secret_key_id = 'new'
         FROM agencies e WHERE e.code = 'EKI' AND agencies.code = 'UU'`,
    );
    const copied = await new WebhookRepository(stack.db, after).secrets('UU').catch((err: Error) => err.message);
    expect(copied).toBe('webhook secret of UU failed authentication (Error)');
    await stack.db.query(
      `UPDATE agencies SET webhook_url = NULL, webhook_secret_sealed = NULL, webhook_secret_key_id = NULL,
              webhook_previous_sealed = NULL, webhook_previous_key_id = NULL, webhook_previous_until = NULL
        WHERE code IN ('EKI', 'UU')`,
    );
  });
});
