// A pathway survives its worker: tasks are written exactly once however often the worker stops, a repeated
// request never makes a second pathway, and a replayed or reordered read-model write changes nothing.
import { createHash, randomUUID } from 'node:crypto';
import { IdempotencyRepository, PersonKeys, ProjectionRepository } from '../../../libs/persistence/src';
import type { PathwayProjection } from '../../../libs/domain/src';
import { CONTACT_WORKER, http, pathwayRequest, rowCounts, startStack, type TestStack } from '../../support/stack';

/** Who works a CONTACT task's agency: the coordinator registers, the caseworkers of SSP and DKS visit. */

describe('durability and idempotency', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ worker: false, openTimeoutMs: 4000 });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('a start the worker cannot write in time → 503 START_PENDING with Retry-After; its retry with the key → 200, once', async () => {
    const key = `intake-worker-down-${Date.now()}`;
    const body = pathwayRequest({ age: 16 });
    const token = await stack.tokenFor('lokalpoliti-sagsbehandler');
    const began = Date.now();
    const pending = await fetch(`${stack.baseUrl}/pathways`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    // Within the start's deadline (openTimeoutMs 4 s), not after the client's own timeout.
    expect(Date.now() - began).toBeLessThan(8000);
    expect(pending.status).toBe(503);
    expect(pending.headers.get('retry-after')).toBe('2');
    const answer = (await pending.json()) as { id: string };
    expect(answer).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'START_PENDING',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      message:
        'the pathway is started but its first tasks were not written in time; repeat the request with the same ' +
        'Idempotency-Key in a moment',
    });
    const id = answer.id;
    expect((await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).status).toBe(404);
    // The workflow is started: Temporal has it, though nothing is written yet.
    expect((await stack.client.workflow.getHandle(`pathway-${id}`).describe()).status.name).toBe('RUNNING');

    await stack.startWorker();
    const retried = await http(stack, 'POST', '/pathways', body, {
      'idempotency-key': key,
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(id);
    const opened = (await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).body;
    expect(opened.tasks).toHaveLength(3);
    const count: { n: string }[] = await stack.db.query(
      `SELECT count(*) AS n FROM timeline_entries WHERE pathway_id = $1 AND kind = 'PATHWAY_OPENED'`,
      [id],
    );
    expect(Number(count[0].n)).toBe(1);

    // Stop and start the worker again mid-pathway: the pathway goes on where it was.
    await http(
      stack,
      'POST',
      `/tasks/${opened.tasks[0].id}/complete`,
      { outcome: 'DONE' },
      { as: CONTACT_WORKER[opened.tasks[0].agency] },
    );
    await stack.stopWorker();
    await stack.startWorker();
    const second = await http(
      stack,
      'POST',
      `/tasks/${opened.tasks[1].id}/complete`,
      { outcome: 'NOT_RELEVANT' },
      { as: CONTACT_WORKER[opened.tasks[1].agency] },
    );
    expect(second.status).toBe(200);

    const tasks: { n: string }[] = await stack.db.query('SELECT count(*) AS n FROM tasks WHERE pathway_id = $1', [id]);
    expect(Number(tasks[0].n)).toBe(3);
    const done = (await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).body.tasks.filter(
      (t: any) => t.status === 'DONE',
    );
    expect(done.map((t: any) => t.outcome).sort()).toEqual(['DONE', 'NOT_RELEVANT']);
  });

  it('pathway ids are random, not derived from the Idempotency-Key; concurrent repeats make one pathway', async () => {
    await stack.startWorker();
    const key = `intake-concurrent-${Date.now()}`;
    const body = pathwayRequest({ age: 19 });
    const before = await rowCounts(stack);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        http(stack, 'POST', '/pathways', body, { 'idempotency-key': key, as: 'lokalpoliti-sagsbehandler' }),
      ),
    );
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.map((a) => a.status).filter((s) => s === 201)).toHaveLength(1);
    expect((await rowCounts(stack)).pathways).toBe(before.pathways + 1);
    // Not the SHA-256 of the key shaped as a UUID (the scheme before keys were stored), nor a version 8 UUID at all.
    const [id] = [...ids];
    const hex = createHash('sha256').update(`exit-pathways:pathway:${key}`).digest('hex');
    expect(id.replace(/-/g, '').slice(0, 8)).not.toBe(hex.slice(0, 8));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The key itself is not stored, only its digest.
    const stored: { key_hash: Buffer }[] = await stack.db.query(
      `SELECT key_hash FROM idempotency_keys WHERE pathway_id = $1`,
      [id],
    );
    expect(stored.map((r) => r.key_hash.toString('hex'))).toEqual([createHash('sha256').update(key).digest('hex')]);
  });

  it('a pathway opened under a key before keys were stored keeps its id; a new key gets the random candidate', async () => {
    await stack.startWorker();
    // Before keys were stored the id was derived from the key: a pathway with that id is the key's pathway.
    const opened = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 21 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(opened.status).toBe(201);
    const repo = new IdempotencyRepository(stack.db);
    const candidate = randomUUID();
    expect(await repo.pathwayIdFor(`legacy-${Date.now()}`, candidate, opened.body.id)).toBe(opened.body.id);
    const fresh = randomUUID();
    expect(await repo.pathwayIdFor(`new-${Date.now()}`, fresh, randomUUID())).toBe(fresh);
  });

  it('the same Idempotency-Key twice gives the same pathway, not a second one', async () => {
    await stack.startWorker();
    const key = `intake-${Date.now()}-abc`;
    // Reported by SSP (signed in as its caseworker), which has no task for an adult and sees no gang context.
    const body = pathwayRequest({ age: 20, sourceAgency: 'SSP' });
    const first = await http(stack, 'POST', '/pathways', body, { 'idempotency-key': key, as: 'ssp-sagsbehandler' });
    expect(first.status).toBe(201);
    const before = await rowCounts(stack);
    // The key is the reporter's: someone of another agency repeating it is refused before the key is looked up.
    const foreign = await http(stack, 'POST', '/pathways', body, { 'idempotency-key': key, as: 'koordinator' });
    expect(foreign.status).toBe(403);
    // Anyone but a coordinator or the operative group gets the pathway's id and stage back, not the work since.
    const anonymous = await http(stack, 'POST', '/pathways', body, { 'idempotency-key': key, as: 'ssp-sagsbehandler' });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ id: first.body.id, stage: 'CONTACT', tasks: [] });
    expect(anonymous.body.person).toBeUndefined();
    expect(anonymous.body.timeline).toBeUndefined();
    // Nor whether the person is in an exit programme.
    expect(anonymous.body.consent).toBeUndefined();
    expect(anonymous.body.track).toBeUndefined();
    expect(await rowCounts(stack)).toEqual(before);

    // Another request under the same key is refused without showing whom the key belongs to.
    const other = await http(stack, 'POST', '/pathways', pathwayRequest({ name: 'Anden Person', age: 20 }), {
      'idempotency-key': key,
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/different request/);
    expect(JSON.stringify(other.body)).not.toContain(body.person.name);
    const elsewhere = await http(
      stack,
      'POST',
      '/pathways',
      { ...body, person: { ...body.person, district: 'TINGBJERG' } },
      { 'idempotency-key': key, as: 'ssp-sagsbehandler' },
    );
    expect(elsewhere.status).toBe(409);
    expect(await rowCounts(stack)).toEqual(before);

    // The pathway ends; the same request again still answers with it.
    const closed = await http(
      stack,
      'POST',
      `/pathways/${first.body.id}/events`,
      {
        type: 'CLOSED',
        occurredAt: new Date().toISOString(),
        data: { outcome: 'DECLINED' },
      },
      { as: 'operativ-koordinator' },
    );
    expect(closed.status).toBe(200);
    // Four eyes: a second coordinator confirms the closure.
    const confirmed = await http(stack, 'POST', `/pathways/${first.body.id}/closure/confirm`, undefined, {
      as: 'koordinator',
    });
    expect(confirmed.body.stage).toBe('CLOSED');
    const afterClose = await http(stack, 'POST', '/pathways', body, {
      'idempotency-key': key,
      as: 'ssp-sagsbehandler',
    });
    expect(afterClose.status).toBe(200);
    expect(afterClose.body).toMatchObject({ id: first.body.id, stage: 'CLOSED' });
  });

  it('a read-model write applied twice, or an older one after a newer one, changes nothing', async () => {
    await stack.startWorker();
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 30 }), {
      as: 'lokalpoliti-sagsbehandler',
    });

    const id = created.body.id;
    const task = created.body.tasks[0];
    const repo = new ProjectionRepository(stack.db, new PersonKeys(stack.db, stack.temporal.payloadKeys));
    const base: PathwayProjection = {
      pathwayId: id,
      workflowId: `pathway-${id}`,
      version: 1000,
      stage: 'CONTACT',
      district: 'YDRE_NORREBRO',
      playbookVersion: 1,
      openedAt: created.body.openedAt,
      stageEnteredAt: created.body.openedAt,
      lastProgressAt: created.body.openedAt,
      consent: false,
      stalled: false,
      escalations: [],
      notifications: [],
      tasks: [{ ...task, status: 'DONE', outcome: 'newer' }],
      timeline: [{ id: `${id}:999`, sequence: 999, at: created.body.openedAt, kind: 'TASK_COMPLETED', detail: {} }],
    };
    await repo.apply(base);
    const once = await rowCounts(stack);
    await repo.apply(base);
    expect(await rowCounts(stack)).toEqual(once);
    await repo.apply({ ...base, version: 999, tasks: [{ ...task, status: 'OPEN' }], timeline: [] });
    const row: { status: string; outcome: string }[] = await stack.db.query(
      'SELECT status, outcome FROM tasks WHERE id = $1',
      [task.id],
    );
    expect(row[0]).toEqual({ status: 'DONE', outcome: 'newer' });
  });
});
