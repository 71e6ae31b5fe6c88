// Back-pressure (issue 14): with every in-flight slot taken, a pathway start or a command is answered 503 with
// Retry-After at once, reads are not limited, and a slot freed lets the next command through. The slot is taken after
// the guards: a request without a token is still a 401 and one the person's role may not make a 403, neither counted
// as refused. A limit of 1 and a start held open by a stopped worker make "full" deterministic. Real API, Temporal,
// PostgreSQL.
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

describe('back-pressure: a bounded number of starts and commands in flight', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ openTimeoutMs: 3000, api: { maxInFlightCommands: 1 } });
  });
  afterAll(() => stack?.stop());

  const start = () =>
    http(stack, 'POST', '/pathways', pathwayRequest({ age: 20 }), { as: 'lokalpoliti-sagsbehandler' });

  it('beyond the limit → 503 OVERLOADED with Retry-After at once; reads go on; then the next start goes through', async () => {
    // Tokens first: the held start below keeps its slot for openTimeoutMs only.
    const token = await stack.tokenFor('lokalpoliti-sagsbehandler');
    const auditor = await stack.tokenFor('revisor');
    await stack.stopWorker();
    // Without a worker the start waits for its first read-model write until openTimeoutMs: its slot stays taken.
    const held = start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const began = Date.now();
    const refused = await fetch(`${stack.baseUrl}/pathways`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(pathwayRequest({ age: 20 })),
    });
    const took = Date.now() - began;
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'OVERLOADED',
      message: 'too many commands are being processed; try again in a moment',
    });
    expect(took).toBeLessThan(1000);
    // A command on a pathway shares the limit; a read does not.
    const event = await http(
      stack,
      'POST',
      '/pathways/0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11/events',
      { type: 'CONSENT_GIVEN', occurredAt: new Date().toISOString() },
      { as: 'koordinator' },
    );
    expect(event.status).toBe(503);
    // Who may not is told so whatever is in flight: no token is a 401, an auditor starting a pathway a 403.
    const anonymous = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 20 }), { as: 'anonymous' });
    expect(anonymous.status).toBe(401);
    const forbidden = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 20 }), {
      authorization: `Bearer ${auditor}`,
    });
    expect([forbidden.status, forbidden.body.code]).toEqual([403, undefined]);
    // Neither took the held start's slot nor was counted as refused: the two 503s above are.
    const during = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(during).toMatch(/^exit_api_commands_overloaded_total\{[^}]*\} 2$/m);
    expect(during).toMatch(/^exit_api_commands_in_flight\{[^}]*\} 1$/m);
    const list = await http(stack, 'GET', '/pathways', undefined, { as: 'koordinator' });
    expect(list.status).toBe(200);
    // The held start was not written within its deadline: 503 START_PENDING, not a slot kept for 70 s.
    expect((await held).status).toBe(503);
    await stack.startWorker();
    // With the worker back, a start goes through: at once, or (a worker still warming up) after the retries a
    // 503 START_PENDING asks for, under the same key.
    const key = `after-overload-${Date.now()}`;
    let next = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 20 }), {
      as: 'lokalpoliti-sagsbehandler',
      'idempotency-key': key,
    });
    for (let i = 0; i < 10 && next.status === 503 && next.body.code === 'START_PENDING'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      next = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 20 }), {
        as: 'lokalpoliti-sagsbehandler',
        'idempotency-key': key,
      });
    }
    expect([200, 201]).toContain(next.status);
    expect(next.body.tasks.length).toBeGreaterThan(0);
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    // Only the two real refusals are counted; the 401 and 403 are not.
    expect(metrics).toMatch(/^exit_api_commands_overloaded_total\{[^}]*\} 2$/m);
    expect(metrics).toMatch(/^exit_api_commands_in_flight\{[^}]*\} 0$/m);
    // The limit of the moment: the ceiling of 1 here, below the floor of 16 a quiet process otherwise admits.
    expect(metrics).toMatch(/^exit_api_commands_in_flight_limit\{[^}]*\} 1$/m);
  });
});
