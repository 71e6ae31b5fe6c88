// What every answer of the API says about itself: security headers, nothing cached, no ETag, CORS for the web
// app's origin only, a rate limit per caller, the docs switched off where configured, and names refused when they
// hold control or invisible format characters. Real API and worker on real Temporal and PostgreSQL.
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const WEB_ORIGIN = 'https://exit.example.dk';

describe('HTTP hardening', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ api: { webOrigins: [WEB_ORIGIN], rateLimit: { limit: 40, windowMs: 60_000 } } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('answers a pathway read with security headers, no-store and no ETag', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ name: 'Hærdet Testperson' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    const res = await fetch(`${stack.baseUrl}/pathways/${created.body.id}`, {
      headers: { authorization: `Bearer ${await stack.tokenFor('operativ-gruppe')}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Hærdet Testperson');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // The proxy terminates TLS and says so (README, "Deployment"); the app on plain-http loopback must still load.
    expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('lets the web app origin call from a browser, and no other origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.baseUrl}/agencies/SSP/tasks`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight(WEB_ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a name with control or invisible format characters, naming the field', async () => {
    for (const name of ['Ali\tHansen', 'Ali\u200bHansen', 'Ali\u202eHansen', 'Ali\nHansen']) {
      const refused = await http(stack, 'POST', '/pathways', pathwayRequest({ name }), {
        as: 'lokalpoliti-sagsbehandler',
      });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toContainEqual({
        field: 'person.name',
        reason: 'must not contain control or invisible format characters (tabs, line breaks, U+200B…)',
      });
    }
  });

  it('stores a name in one spelling (NFC), however it was typed', async () => {
    const decomposed = 'So\u0308ren Ha\u030avard'; // ö and å as letter + combining mark
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ name: decomposed }), {
      as: 'lokalpoliti-sagsbehandler',
    });

    expect(created.status).toBe(201);
    const read = await http(stack, 'GET', `/pathways/${created.body.id}`, undefined, { as: 'operativ-gruppe' });
    expect(read.body.person.name).toBe('Sören Håvard');
    expect(read.body.person.name).toBe(decomposed.normalize('NFC'));
  });

  it('answers 429 with Retry-After once a person passes their limit, and counts each person on their own', async () => {
    const bearer = async (account: string) => ({ authorization: `Bearer ${await stack.tokenFor(account)}` });
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) {
      const res = await fetch(`${stack.baseUrl}/agencies/SSP/tasks`, { headers: await bearer('ssp-sagsbehandler') });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        break;
      }
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(40);
    // A colleague at the same agency, from the same address, is not held back by this one.
    const other = await fetch(`${stack.baseUrl}/agencies/SSP/tasks`, { headers: await bearer('ssp-teamleder') });
    expect(other.status).toBe(200);
    // /health stays answerable for the load balancer.
    const health = await fetch(`${stack.baseUrl}/health`);
    expect(health.status).not.toBe(429);
  });
});

describe('API docs switched off', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ worker: false, api: { apiDocs: false } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('serves no /api/docs and no CORS headers when no web origin is configured', async () => {
    const docs = await fetch(`${stack.baseUrl}/api/docs`);
    expect(docs.status).toBe(404);
    const preflight = await fetch(`${stack.baseUrl}/health`, {
      method: 'OPTIONS',
      headers: { origin: WEB_ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
