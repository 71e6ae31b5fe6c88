// A dependency that stops answering is a 503 with Retry-After and a stable code, in seconds: never a hang for as
// long as the outage lasts, and never a 500 that a client would take for a bug. PostgreSQL and Temporal are real;
// the API reaches them through proxies the test freezes (as SIGSTOP would) or closes.
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const OVERSEER = { as: 'operativ-koordinator' };
/** The local police report the contact (pathwayRequest's source agency). */
const REPORTER = { as: 'lokalpoliti-sagsbehandler' };

async function timed<T>(call: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await call();
  return { result, ms: Date.now() - started };
}

describe('outages answer 503 fast', () => {
  let stack: TestStack;
  let pathwayId: string;
  beforeAll(async () => {
    stack = await startStack({ proxied: true, api: { temporalCallTimeoutMs: 2_000, statementTimeoutMs: 1_000 } });
    const created = await http(stack, 'POST', '/pathways', pathwayRequest(), REPORTER);
    expect(created.status).toBe(201);
    pathwayId = created.body.id;
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('a frozen PostgreSQL: reads and commands answer 503 DATABASE_UNAVAILABLE within seconds, then recover', async () => {
    stack.proxies!.database.freeze();
    try {
      const read = await timed(() => http(stack, 'GET', `/pathways/${pathwayId}`, undefined, OVERSEER));
      expect(read.result.status).toBe(503);
      expect(read.result.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(read.ms).toBeLessThan(5_000);
      const res = await fetch(`${stack.baseUrl}/agencies/SSP/tasks`, {
        headers: { authorization: `Bearer ${await stack.tokenFor('ssp-sagsbehandler')}` },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const open = await timed(() => http(stack, 'POST', '/pathways', pathwayRequest(), REPORTER));

      expect(open.result.status).toBe(503);
      expect(open.ms).toBeLessThan(5_000);
    } finally {
      stack.proxies!.database.thaw();
    }
    // Once the database answers again, so does the API (a connection that timed out is replaced).
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await http(stack, 'GET', `/pathways/${pathwayId}`, undefined, OVERSEER)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });

  it('a frozen Temporal: a command answers 503 TEMPORAL_UNAVAILABLE at its deadline, not after the outage', async () => {
    stack.proxies!.temporal.freeze();
    try {
      const moved = await timed(() =>
        http(
          stack,
          'POST',
          `/pathways/${pathwayId}/events`,
          { type: 'MOVED', occurredAt: new Date().toISOString(), data: { district: 'TINGBJERG' } },
          OVERSEER,
        ),
      );
      expect(moved.result.status).toBe(503);
      expect(moved.result.body).toMatchObject({ statusCode: 503, code: 'TEMPORAL_UNAVAILABLE' });
      expect(moved.ms).toBeLessThan(6_000);
      const open = await timed(() => http(stack, 'POST', '/pathways', pathwayRequest(), REPORTER));

      expect(open.result.status).toBe(503);
      expect(open.ms).toBeLessThan(6_000);
    } finally {
      stack.proxies!.temporal.thaw();
    }
  });

  it('Temporal gone: a start answers 503 TEMPORAL_UNAVAILABLE, never 500', async () => {
    await stack.proxies!.temporal.close();
    const open = await timed(() => http(stack, 'POST', '/pathways', pathwayRequest(), REPORTER));

    expect(open.result.status).toBe(503);
    expect(open.result.body.code).toBe('TEMPORAL_UNAVAILABLE');
    expect(open.ms).toBeLessThan(6_000);
  });
});
