// Logs and metrics as an operator reads them, from a real API and worker: every line is JSON, a request's id follows
// it from the HTTP call through the Temporal Update into the worker's activity log line, a planted person never
// appears in any line, and /metrics of both answers with the application's gauges and counters and the Temporal
// SDK's own metrics.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { installTemporalRuntime } from '../../apps/worker/src/telemetry';
import { createRootLogger } from '../../libs/observability/src';
import { birthDateForAge, CONTACT_WORKER, pathwayRequest, startStack, type TestStack } from '../support/stack';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('logs and metrics', () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const lines = (): string[] => chunks.join('').split('\n').filter(Boolean);
  const records = (): Record<string, any>[] => lines().map((line) => JSON.parse(line) as Record<string, any>);

  // A person nobody else has: any trace of these in the logs is a leak.
  const canaryName = `Kanarie ${randomUUID().slice(0, 8)} Fuglesen`;
  const canaryBirthDate = birthDateForAge(16);
  let stack: TestStack;

  /** A request signed in as the demo account `as`, which reads the response's request id too. */
  async function call(method: string, path: string, body: unknown, headers: Record<string, string> & { as: string }) {
    const { as, ...sent } = headers;
    const token = await stack.tokenFor(as);
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...sent },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      requestId: res.headers.get('x-request-id'),
      body: text ? JSON.parse(text) : undefined,
    };
  }

  beforeAll(async () => {
    // The Runtime the worker would install in production, with the same logger, here writing to `out`.
    const installed = installTemporalRuntime(
      createRootLogger('worker', { level: 'info', destination: out }),
      `127.0.0.1:${await freePort()}`,
    );
    expect(installed).toBe(true);
    stack = await startStack({ log: { level: 'info', destination: out }, workerMetrics: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('follows a request id into the activity log line and never logs the person', async () => {
    const openId = `open-${randomUUID()}`;
    const request = pathwayRequest({ name: canaryName, age: 16 });
    request.person.birthDate = canaryBirthDate;
    // The local police report the contact (pathwayRequest's source agency).
    const reporter = 'lokalpoliti-sagsbehandler';
    const opened = await call('POST', '/pathways', request, { as: reporter, 'x-request-id': openId });
    expect(opened.status).toBe(201);
    expect(opened.requestId).toBe(openId);

    // A refused body that quotes the person is not logged either.
    const refused = await call(
      'POST',
      '/pathways',
      { ...request, person: { ...request.person, district: 'MARS' } },
      { as: reporter },
    );
    expect(refused.status).toBe(400);
    // A malformed incoming id is replaced, not echoed.
    const read = await call('GET', `/pathways/${opened.body.id}`, undefined, {
      as: 'operativ-koordinator',
      'x-request-id': canaryName,
    });
    expect(read.status).toBe(200);
    expect(read.body.person.name).toBe(canaryName);
    expect(read.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // A 16-year-old's CONTACT tasks: the coordinator registers, the caseworkers of SSP and DKS visit.
    const task = opened.body.tasks[0];
    const completeId = `complete-${randomUUID()}`;
    const done = await call(
      'POST',
      `/tasks/${task.id}/complete`,
      { outcome: 'DONE', note: 'Samtale gennemført' },
      { as: CONTACT_WORKER[task.agency], 'x-request-id': completeId },
    );
    expect(done.status).toBe(200);

    // The Runtime holds log lines back for about 100 ms to put them in time order: the activity's may come last.
    // The start's playbook load (a local activity) logs too: wait for the two read-model writes.
    const activityLines = () =>
      records().filter((r) => r.msg === 'activity completed' && r.activityType === 'projectPathway');
    for (let i = 0; i < 100 && activityLines().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    const all = records();
    expect(all.length).toBe(lines().length); // every line parsed as JSON
    const text = lines().join('\n');
    expect(text).not.toContain(canaryName);
    expect(text).not.toContain(canaryName.split(' ')[1]);
    expect(text).not.toContain(canaryBirthDate);

    // The access log line: method, route template, status, duration, request id, acting agency.
    expect(all).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        requestId: completeId,
        agency: task.agency,
        http: { method: 'POST', route: '/tasks/:id/complete', status: 200, durationMs: expect.any(Number) },
      }),
    );
    expect(all).toContainEqual(
      expect.objectContaining({ requestId: read.requestId, http: expect.objectContaining({ route: '/pathways/:id' }) }),
    );
    // The worker's activity that wrote the start's and the Update's effects logs under the request's id.
    for (const requestId of [openId, completeId]) {
      expect(all).toContainEqual(
        expect.objectContaining({
          component: 'temporal',
          msg: 'activity completed',
          activityType: 'projectPathway',
          requestId,
        }),
      );
    }
  });

  it('answers /metrics on the API and the worker with the gauges, the command counter and the SDK metrics', async () => {
    // At least one command and one open task to count.
    const reporter = { as: 'lokalpoliti-sagsbehandler' };
    const opened = await call('POST', '/pathways', pathwayRequest({ age: 17 }), reporter);
    expect(opened.status).toBe(201);
    const unknownTask = '/tasks/00000000-0000-4000-8000-000000000000/complete';
    expect((await call('POST', unknownTask, { outcome: 'DONE' }, reporter)).status).toBe(404);

    const api = await fetch(`${stack.baseUrl}/metrics`);
    expect(api.status).toBe(200);
    expect(api.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const apiText = await api.text();
    const gauges = [
      /^exit_database_gauges_up\{service="api"\} 1$/m,
      /^exit_outbox_pending\{service="api"\} \d+$/m,
      /^exit_outbox_dead_letters\{service="api"\} 0$/m,
      /^exit_escalations_open\{level="1",service="api"\} 0$/m,
      /^exit_escalations_open\{level="2",service="api"\} 0$/m,
      /^exit_oldest_open_task_age_seconds\{agency="POLICE_EAS",service="api"\} \d/m,
    ];
    for (const gauge of gauges) expect(apiText).toMatch(gauge);
    expect(apiText).toMatch(
      /^exit_pathway_commands_total\{command="POST \/pathways",result="ok",service="api"\} [1-9]/m,
    );
    expect(apiText).toMatch(
      /^exit_pathway_commands_total\{command="POST \/tasks\/:id\/complete",result="not_found",service="api"\} 1$/m,
    );
    expect(apiText).toMatch(/^process_resident_memory_bytes\{service="api"\} \d+/m);

    expect(stack.workerMetricsUrl).toBeDefined();
    const worker = await fetch(stack.workerMetricsUrl!);
    expect(worker.status).toBe(200);
    const workerText = await worker.text();
    for (const gauge of gauges) expect(workerText).toMatch(new RegExp(gauge.source.replace(/api/g, 'worker'), 'm'));
    // The Temporal SDK's own, from the worker's Runtime.
    expect(workerText).toMatch(/^temporal_\w+\{.*service="worker"/m);
    expect(workerText).toMatch(/^temporal_activity_execution_latency\w*\{/m);
    expect(workerText).toMatch(/^temporal_workflow_task_execution_latency\w*\{/m);

    // Nothing but /metrics on the worker's listener, and /metrics is not part of the API's documented contract.
    expect((await fetch(stack.workerMetricsUrl!.replace('/metrics', '/health'))).status).toBe(404);
    const docs = (await (await fetch(`${stack.baseUrl}/api/docs-json`)).json()) as { paths: object };
    expect(Object.keys(docs.paths)).not.toContain('/metrics');
  });
});
