// The Temporal UI's codec endpoint (POST /codec/decode, Temporal's remote codec protocol) over HTTP against the real
// API: it decodes what the API and the worker encrypt, for a signed-in coordinator or auditor only, from the Temporal
// UI's origin only when a browser calls, and every request is one audit row.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { http, startStack, type TestStack } from '../../support/stack';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const CANARY = 'Kodek Kanariefugl';

let stack: TestStack;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const json = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v!)])),
  ...(p.data ? { data: b64(p.data) } : {}),
});
let encrypted: ReturnType<typeof json>;
const decodeBody = () => ({ payloads: [encrypted] });

beforeAll(async () => {
  stack = await startStack({ worker: false, api: { temporalUiOrigin: UI_ORIGIN } });
  const [payload] = await stack.client.options.loadedDataConverter.payloadCodecs[0].encode([
    defaultPayloadConverter.toPayload({ person: { name: CANARY } })!,
  ]);
  encrypted = json(payload);
});
afterAll(async () => {
  await stack?.stop();
});

async function auditRows(action: string): Promise<any[]> {
  return stack.db.query(
    `SELECT actor_user_id, action, purpose, result, item_count, detail FROM audit_log WHERE action = $1 ORDER BY id`,
    [action],
  );
}

it('answers 401 without a token and 403 for a caseworker (a REFUSED row)', async () => {
  const anonymous = await http(stack, 'POST', '/codec/decode', decodeBody(), { as: 'anonymous' });
  expect(anonymous.status).toBe(401);
  const caseworker = await http(stack, 'POST', '/codec/decode', decodeBody(), { as: 'ssp-sagsbehandler' });
  expect(caseworker.status).toBe(403);
  expect(JSON.stringify(caseworker.body)).not.toContain(CANARY);
  expect(await auditRows('temporal.decode')).toEqual([
    expect.objectContaining({ actor_user_id: 'ssp-sagsbehandler', result: 'REFUSED' }),
  ]);
});

it('decodes for an auditor and a coordinator, one audit row per request', async () => {
  const auditor = await http(stack, 'POST', '/codec/decode', decodeBody(), {
    as: 'revisor',
    'x-namespace': stack.temporal.namespace,
  });
  expect(auditor.status).toBe(200);
  const [clear] = auditor.body.payloads;
  expect(Buffer.from(clear.metadata.encoding, 'base64').toString()).toBe('json/plain');
  expect(JSON.parse(Buffer.from(clear.data, 'base64').toString())).toEqual({ person: { name: CANARY } });

  const coordinator = await http(stack, 'POST', '/codec/decode', decodeBody(), { as: 'koordinator' });
  expect(coordinator.status).toBe(200);
  expect(await auditRows('DECODE_PAYLOADS')).toEqual([
    {
      actor_user_id: 'revisor',
      action: 'DECODE_PAYLOADS',
      purpose: 'CONTROL',
      result: 'ALLOWED',
      item_count: 1,
      detail: { namespace: stack.temporal.namespace },
    },
    expect.objectContaining({ actor_user_id: 'koordinator', purpose: 'PREVENTION', item_count: 1 }),
  ]);
  // The row names nobody.
  expect(JSON.stringify(await auditRows('DECODE_PAYLOADS'))).not.toContain(CANARY);
});

it('refuses what the codec did not encrypt: a plaintext payload comes back refused, not passed through', async () => {
  const plain = json(defaultPayloadConverter.toPayload({ forged: true })!);
  const res = await http(stack, 'POST', '/codec/decode', { payloads: [plain] }, { as: 'revisor' });
  expect(res.status).toBe(200);
  const [back] = res.body.payloads;
  expect(Buffer.from(back.metadata.encoding, 'base64').toString()).toBe('binary/refused');
  expect(back.data).toBeUndefined();
});

it('answers bad input with a 400 naming the field, and another namespace with a 400', async () => {
  const bad = await http(
    stack,
    'POST',
    '/codec/decode',
    { payloads: [{ metadata: { encoding: '***' } }] },
    {
      as: 'revisor',
    },
  );
  expect(bad.status).toBe(400);
  expect(bad.body.errors).toEqual([{ field: 'payloads[0].metadata', reason: 'every value must be base64' }]);
  const missing = await http(stack, 'POST', '/codec/decode', {}, { as: 'revisor' });
  expect(missing.status).toBe(400);
  const other = await http(stack, 'POST', '/codec/decode', decodeBody(), { as: 'revisor', 'x-namespace': 'default' });
  expect([other.status, other.body.errors]).toEqual([
    400,
    [{ field: 'X-Namespace', reason: `must be ${stack.temporal.namespace}` }],
  ]);
});

it('lets the Temporal UI’s origin in (preflight and call) and refuses any other origin', async () => {
  const preflight = await fetch(`${stack.baseUrl}/codec/decode`, {
    method: 'OPTIONS',
    headers: {
      origin: UI_ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-namespace',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Namespace');

  const fromUi = await http(stack, 'POST', '/codec/decode', decodeBody(), { as: 'revisor', origin: UI_ORIGIN });
  expect(fromUi.status).toBe(200);

  for (const origin of ['https://evil.example', 'http://127.0.0.1:3000']) {
    const foreign = await http(stack, 'POST', '/codec/decode', decodeBody(), { as: 'revisor', origin });
    expect([origin, foreign.status]).toEqual([origin, 403]);
    expect(JSON.stringify(foreign.body)).not.toContain(CANARY);
    const foreignPreflight = await fetch(`${stack.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    expect(foreignPreflight.status).toBe(403);
    expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull();
  }
});
