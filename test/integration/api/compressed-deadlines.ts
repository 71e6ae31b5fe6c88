// A late sentence over HTTP on the real stack: the køreplan's housing and income steps, due months before a release
// only weeks away, get the earliest feasible deadline instead, flagged `compressed` in the tasks table, in the task
// and in the agency's queue, so the agency sees why its time is short. Work with its usual lead time is not flagged.
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const DAY = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

describe('compressed deadlines on the real stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ playbook: 2 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a sentence with parole in 40 days: housing and income are compressed in the task and the queue', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 30 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    const sentenced = await http(
      stack,
      'POST',
      `/pathways/${created.body.id}/events`,
      {
        type: 'SENTENCED',
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        data: { earliestParoleDate: dateIn(40), fullTermDate: dateIn(120) },
      },
      { as: 'koordinator' },
    );
    expect(sentenced.status).toBe(200);

    const pathway = (await http(stack, 'GET', `/pathways/${created.body.id}`, undefined, { as: 'koordinator' })).body;
    const task = (key: string) => pathway.tasks.find((t: any) => t.key === key);
    // Three and two months before a release 40 days away is already past: 10 working days from now instead.
    for (const key of ['release-housing', 'release-income']) {
      expect(task(key)).toMatchObject({ status: 'OPEN', compressed: true });
      expect(Date.parse(task(key).dueAt)).toBeGreaterThan(Date.now() + 10 * DAY);
    }
    // The notice at imprisonment has its usual 2 working days: nothing compressed about it.
    expect(task('koereplan-notice-eki')).not.toHaveProperty('compressed');

    const queue = await http(stack, 'GET', '/agencies/EKI/tasks', undefined, { as: 'eki-sagsbehandler' });
    expect(queue.status).toBe(200);
    const inQueue = (key: string) => queue.body.items.find((t: any) => t.key === key);
    expect(inQueue('release-housing')).toMatchObject({ compressed: true });
    expect(inQueue('koereplan-notice-eki')).not.toHaveProperty('compressed');

    const detail = await http(stack, 'GET', `/tasks/${task('release-income').id}`, undefined, {
      as: 'jobcenter-sagsbehandler',
    });
    expect(detail.body.task).toMatchObject({ key: 'release-income', compressed: true });
  });
});
