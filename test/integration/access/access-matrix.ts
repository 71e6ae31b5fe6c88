// The access matrix: every operation of the API's own OpenAPI document × every demo account (each role and agency
// kind, signed in for real at the development issuer) and every kind of bad token, checked over HTTP against the real
// API. What is expected comes from the policy table (libs/domain/src/policy.ts), never from a list kept here: a route
// without an action, or with one the table does not know, fails the test.
//
// Bodies are empty and ids unknown, so nothing changes: the guard answers before the body is validated, so an allowed
// caller sees 400 or 404 (or 200 for a read), a refused one 403, and anyone without a good token 401.
import { decodeJwt } from 'jose';
import {
  ACTIONS,
  EXTERNAL_AGENCY_SEED,
  POLICY,
  normaliseRoles,
  refusal,
  roleRefusal,
  type Action,
  type Actor,
} from '../../../libs/domain/src';
import { DEV_USERS, type DevUser } from '../../../scripts/dev-stack/dev-accounts';
import { startTestIssuer, type TestIssuer } from '../../support/dev-issuer';
import { startStack, type TestStack } from '../../support/stack';

/** The queue every queue route is tried on; the owner of the `:code` condition. */
const QUEUE = 'SSP';
const UNKNOWN_ID = '0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11';

interface Operation {
  method: string;
  /** As the document spells it: /tasks/{id}/complete. */
  route: string;
  action: unknown;
  hasBody: boolean;
}

function actorOf(user: DevUser): Actor {
  return {
    userId: user.username,
    displayName: user.name,
    agency: user.agency,
    agencyKind: EXTERNAL_AGENCY_SEED.some((a) => a.code === user.agency) ? 'EXTERNAL' : 'PARTNER',
    roles: normaliseRoles(user.roles),
  };
}

/** Allowed or refused (with 401 or 403), as the table says for this caller and route. */
function expected(action: Action, actor: Actor): 'allowed' | 403 {
  // The queue's owner is in the route itself, so the guard decides that condition too; a task's needs the task.
  const why = POLICY[action].on === 'queue' ? refusal(action, actor, QUEUE) : roleRefusal(action, actor);
  return why === undefined ? 'allowed' : 403;
}

describe('access matrix: every route × every role and every bad token, from the policy table', () => {
  let stack: TestStack;
  let stranger: TestIssuer;
  let operations: Operation[];

  beforeAll(async () => {
    // The matrix sends every account's requests at once, in the same order, to a quiet API, which by default admits
    // 16 commands before it knows its pace (apps/api/src/core/back-pressure.ts) and answers the rest 503 OVERLOADED.
    // A 401 or 403 takes no slot (the guards answer first), but an allowed command does, and up to 21 of the 25
    // accounts may send the same one (claim a task, record an event): this test is about the policy, so it lets
    // them all in.
    stack = await startStack({ worker: false, api: { minInFlightCommands: 64 } });
    stranger = await startTestIssuer();
    const doc = (await (await fetch(`${stack.baseUrl}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, { 'x-action'?: unknown; requestBody?: unknown }>>;
    };
    operations = Object.entries(doc.paths).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        route,
        action: operation['x-action'],
        hasBody: operation.requestBody !== undefined,
      })),
    );
  });
  afterAll(async () => {
    await stranger?.stop();
    await stack?.stop();
  });

  async function call(operation: Operation, token: string | undefined) {
    const path = operation.route.replace('{id}', UNKNOWN_ID).replace('{code}', QUEUE).replace('{version}', '999');
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method: operation.method,
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: operation.method === 'GET' ? undefined : '{}',
    });
    await res.body?.cancel();
    return { status: res.status, challenge: res.headers.get('www-authenticate') };
  }

  it('finds every route of the document with an action of the policy table, and every action on a route', () => {
    expect(operations.length).toBeGreaterThanOrEqual(24);
    const without = operations.filter((o) => typeof o.action !== 'string' || !(o.action in POLICY));
    expect(without.map((o) => `${o.method} ${o.route}`)).toEqual([]);
    // /metrics is for the scraper and left out of the document (apps/api/src/observability/metrics.controller.ts);
    // test/unit/policy.spec.ts finds its action on the controller.
    const used = new Set(operations.map((o) => o.action));
    expect(ACTIONS.filter((action) => !used.has(action))).toEqual(['metrics.read']);
  });

  it('answers every demo account on every route as the policy table says', async () => {
    const mismatches: string[] = [];
    await Promise.all(
      DEV_USERS.map(async (user) => {
        const token = await stack.tokenFor(user.username);
        const actor = actorOf(user);
        for (const operation of operations) {
          const want = expected(operation.action as Action, actor);
          const { status } = await call(operation, token);
          // This stack has no worker: a reconciliation let through is answered 503 WORKER_UNAVAILABLE (no wait).
          const noWorker = status === 503 && operation.route === '/admin/reconciliation';
          const got = status === 401 || status === 403 ? status : status >= 500 && !noWorker ? status : 'allowed';
          if (got !== want)
            mismatches.push(`${user.username} ${operation.method} ${operation.route}: ${got}, not ${want}`);
        }
      }),
    );
    expect(mismatches).toEqual([]);
  });

  it('refuses no token, an expired one, another issuer’s, another audience’s and a tampered one with 401', async () => {
    const koordinator = DEV_USERS.find((u) => u.username === 'koordinator')!;
    const claims = {
      sub: koordinator.username,
      name: koordinator.name,
      agency: koordinator.agency,
      roles: koordinator.roles,
    };
    const genuine = await stack.tokenFor('koordinator');
    const [header, , signature] = genuine.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(genuine), roles: ['ADMIN'] })).toString('base64url');
    const bad: Record<string, string | undefined> = {
      'no token': undefined,
      expired: await stack.issuer.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 3600 }),
      'another issuer': await stranger.token('koordinator'),
      'another audience': await stack.issuer.sign({ ...claims, aud: 'urn:another:api' }),
      tampered: `${header}.${payload}.${signature}`,
    };
    // The same hand-made token with nothing wrong is let in: each refusal above is about what was changed.
    const control = await stack.issuer.sign(claims);
    const mismatches: string[] = [];
    // /metrics, outside the document, is public like /health.
    const metrics: Operation = { method: 'GET', route: '/metrics', action: 'metrics.read', hasBody: false };
    for (const operation of [...operations, metrics]) {
      const isPublic = POLICY[operation.action as Action].public === true;
      expect({ route: operation.route, status: (await call(operation, control)).status }).not.toMatchObject({
        status: 401,
      });
      for (const [name, token] of Object.entries(bad)) {
        const { status, challenge } = await call(operation, token);
        const ok = isPublic ? status !== 401 && status !== 403 : status === 401 && /^Bearer/.test(challenge ?? '');
        if (!ok) mismatches.push(`${name} ${operation.method} ${operation.route}: ${status} ${challenge ?? ''}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
