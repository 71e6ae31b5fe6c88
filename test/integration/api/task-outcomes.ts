// Task outcomes over HTTP on the real stack (issue 10, item 8): a caseworker ends a task DECLINED, NOT_REACHED or
// NOT_RELEVANT with a note for the own agency; the person not reached brings the task back with a new deadline; the
// coordinators see the outcome on the timeline, never the note.
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

describe('task outcomes on the real stack', () => {
  let stack: TestStack;
  let pathwayId: string;
  let tasks: Record<string, { id: string; dueAt: string }>;
  beforeAll(async () => {
    stack = await startStack({ playbook: 2 });
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    pathwayId = created.body.id;
    tasks = Object.fromEntries(created.body.tasks.map((t: any) => [t.key, t]));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const complete = (key: string, body: unknown, as: string) =>
    http(stack, 'POST', `/tasks/${tasks[key].id}/complete`, body, { as });

  it('free text is no outcome: 400 naming outcome and the choices, the task stays open', async () => {
    const res = await complete('ssp-home-visit', { outcome: 'Udført' }, 'ssp-sagsbehandler');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'outcome', reason: expect.stringContaining('DONE, DECLINED, NOT_REACHED') }),
    ]);
    const task = await http(stack, 'GET', `/tasks/${tasks['ssp-home-visit'].id}`, undefined, {
      as: 'ssp-sagsbehandler',
    });
    expect(task.body.task.status).toBe('OPEN');
  });

  it('NOT_REACHED: the task comes back open with a later deadline; the note is the agency’s own', async () => {
    const res = await complete(
      'ssp-home-visit',
      { outcome: 'NOT_REACHED', note: 'Ingen hjemme, prøver igen torsdag' },
      'ssp-sagsbehandler',
    );
    expect(res.status).toBe(200);
    expect(res.body.task).toMatchObject({ status: 'OPEN', attempt: 2, note: 'Ingen hjemme, prøver igen torsdag' });
    expect(Date.parse(res.body.task.dueAt)).toBeGreaterThan(Date.now() + 4 * 86_400_000);
    expect(res.body.pathwayStage).toBe('CONTACT');

    const own = await http(stack, 'GET', `/tasks/${tasks['ssp-home-visit'].id}`, undefined, {
      as: 'ssp-sagsbehandler',
    });
    expect(own.body.task).toMatchObject({ attempt: 2, note: 'Ingen hjemme, prøver igen torsdag' });
    const coordinator = await http(stack, 'GET', `/tasks/${tasks['ssp-home-visit'].id}`, undefined, {
      as: 'koordinator',
    });
    expect(coordinator.status).toBe(200);
    expect(coordinator.body.task.attempt).toBe(2);
    expect(coordinator.body.task).not.toHaveProperty('note');

    const timeline = await http(stack, 'GET', `/pathways/${pathwayId}/timeline`, undefined, { as: 'koordinator' });
    expect(timeline.status).toBe(200);
    const text = JSON.stringify(timeline.body);
    expect(text).toContain('TASK_RETRY_PLANNED');
    expect(text).not.toContain('Ingen hjemme');
  });

  it('DECLINED ends the task and puts the refused offer on the timeline', async () => {
    const res = await complete('dks-home-visit', { outcome: 'DECLINED' }, 'dks-sagsbehandler');
    expect(res.status).toBe(200);
    expect(res.body.task).toMatchObject({ status: 'DONE', outcome: 'DECLINED', completedBy: 'POLICE_DKS' });
    const timeline = await http(stack, 'GET', `/pathways/${pathwayId}/timeline`, undefined, { as: 'koordinator' });
    const items: any[] = timeline.body.items;
    expect(items.filter((e) => e.kind === 'OFFER_DECLINED').map((e) => e.detail)).toEqual([{ key: 'dks-home-visit' }]);
  });

  it('NOT_RELEVANT ends the task; another agency is refused before anything about the task', async () => {
    const other = await complete('underretning', { outcome: 'NOT_RELEVANT' }, 'ssp-sagsbehandler');
    expect(other.status).toBe(403);
    const res = await complete('underretning', { outcome: 'NOT_RELEVANT' }, 'borgercenter-sagsbehandler');
    expect(res.status).toBe(200);
    expect(res.body.task).toMatchObject({ status: 'DONE', outcome: 'NOT_RELEVANT' });
    const again = await complete('underretning', { outcome: 'DONE' }, 'borgercenter-sagsbehandler');
    expect(again.status).toBe(409);
  });
});
