// Ad-hoc tasks over HTTP on the real stack (issue 10, item 8): a coordinator adds work no playbook plans, here for
// CFR, which finds it in its queue; a caseworker may not; an investigation unit, an unknown agency (an external
// partner too: not a row of the agencies table yet) and a past deadline are 400s naming the field; a closed pathway
// is a 409.
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe('ad-hoc tasks on the real stack', () => {
  let stack: TestStack;
  let pathwayId: string;
  beforeAll(async () => {
    stack = await startStack({ playbook: 2 });
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 30 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    pathwayId = created.body.id;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const add = (body: unknown, as: string) => http(stack, 'POST', `/pathways/${pathwayId}/tasks`, body, { as });

  it('a coordinator adds a task for CFR: in its queue, with the deadline set', async () => {
    const dueAt = inDays(14);
    const res = await add({ agency: 'CFR', title: 'Frivillig mentor', dueAt }, 'koordinator');
    expect(res.status).toBe(201);
    expect(res.body.task).toMatchObject({
      key: 'ad-hoc',
      type: 'AD_HOC',
      agency: 'CFR',
      title: 'Frivillig mentor',
      status: 'OPEN',
      dueAt: new Date(dueAt).toISOString(),
    });
    const queue = await http(stack, 'GET', '/agencies/CFR/tasks', undefined, { as: 'cfr-sagsbehandler' });
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((t: any) => [t.title, t.dueAt])).toEqual([['Frivillig mentor', res.body.task.dueAt]]);
  });

  it('under one Idempotency-Key a repeat gets the first answer and adds no second task', async () => {
    const body = { agency: 'EKI', title: 'Hjælp til boligsøgning', dueAt: inDays(21) };
    const send = () =>
      http(stack, 'POST', `/pathways/${pathwayId}/tasks`, body, {
        as: 'koordinator',
        'Idempotency-Key': 'ad-hoc-bolig-0001',
      });
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.task.id).toBe(first.body.task.id);
    const pathway = await http(stack, 'GET', `/pathways/${pathwayId}`, undefined, { as: 'koordinator' });
    expect(pathway.body.tasks.filter((t: any) => t.title === 'Hjælp til boligsøgning')).toHaveLength(1);
  });

  it('refuses a caseworker (403), an investigation unit, an unknown agency and a past deadline (400 naming the field)', async () => {
    const body = { agency: 'SSP', title: 'Frivillig mentor', dueAt: inDays(10) };
    expect((await add(body, 'ssp-sagsbehandler')).status).toBe(403);
    for (const [change, field] of [
      [{ agency: 'POLICE_OC' }, 'agency'],
      [{ agency: 'NOPE' }, 'agency'],
      [{ agency: 'BOLIGFORENING' }, 'agency'],
      [{ dueAt: inDays(-1) }, 'dueAt'],
      [{ title: ' ' }, 'title'],
    ] as const) {
      const res = await add({ ...body, ...change }, 'koordinator');
      expect({ change, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
        change,
        status: 400,
        field,
      });
    }
  });

  it('a closed pathway takes no new task: 409', async () => {
    const closed = await http(
      stack,
      'POST',
      `/pathways/${pathwayId}/events`,
      { type: 'CLOSED', occurredAt: new Date(Date.now() - 60_000).toISOString(), data: { outcome: 'DECLINED' } },
      { as: 'koordinator' },
    );
    expect(closed.status).toBe(200);
    // Four eyes: the closure takes effect when a second coordinator confirms it.
    const confirmed = await http(stack, 'POST', `/pathways/${pathwayId}/closure/confirm`, undefined, {
      as: 'koordinator2',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.stage).toBe('CLOSED');
    const res = await add({ agency: 'SSP', title: 'Frivillig mentor', dueAt: inDays(10) }, 'koordinator');
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('the pathway is closed');
  });
});
