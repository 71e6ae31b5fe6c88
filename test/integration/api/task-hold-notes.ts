// On hold, working notes and a task's own history over HTTP on the real stack (issue 10, item 8): SSP holds its home
// visit until a day with a coded reason; the task leaves the active queue for the "På hold" tab and "next" passes it
// by; "resume now" brings it back. Notes are SSP's alone and audited. The history reads the timeline by task. The
// return at the date itself is a machine rule on a fake clock (test/unit/pathway-machine-hold.spec.ts).
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

/** The Copenhagen calendar day `days` from now, as YYYY-MM-DD. */
const copenhagenDay = (days: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date(Date.now() + days * 86_400_000));

describe('on hold, notes and history on the real stack', () => {
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

  const visit = () => tasks['ssp-home-visit'].id;
  const hold = (id: string, body: unknown, as = 'ssp-sagsbehandler', key?: string) =>
    http(stack, 'POST', `/tasks/${id}/hold`, body, { as, ...(key ? { 'Idempotency-Key': key } : {}) });
  const queue = (query: string, as = 'ssp-sagsbehandler') =>
    http(stack, 'GET', `/agencies/SSP/tasks${query}`, undefined, { as });

  it('bad input is a 400 naming the field, another agency a 403, an unknown task a 404', async () => {
    const cases: [unknown, string][] = [
      [{ until: '2020-01-01', reason: 'AWAITING_PERSON' }, 'until'],
      [{ until: copenhagenDay(0), reason: 'AWAITING_PERSON' }, 'until'],
      [{ until: 'i morgen', reason: 'AWAITING_PERSON' }, 'until'],
      [{ until: copenhagenDay(120), reason: 'AWAITING_PERSON' }, 'until'],
      [{ until: copenhagenDay(7), reason: 'VACATION' }, 'reason'],
      [{ until: copenhagenDay(7), reason: 'OTHER' }, 'note'],
      [{ until: copenhagenDay(7), reason: 'AWAITING_PERSON', note: '   ' }, 'note'],
    ];
    for (const [body, field] of cases) {
      const res = await hold(visit(), body);
      expect([res.status, res.body.errors?.map((e: any) => e.field)]).toEqual([400, [field]]);
    }
    const other = await hold(visit(), { until: copenhagenDay(7), reason: 'AWAITING_PERSON' }, 'dks-sagsbehandler');
    expect(other.status).toBe(403);
    const coordinator = await hold(visit(), { until: copenhagenDay(7), reason: 'AWAITING_PERSON' }, 'koordinator');
    expect(coordinator.status).toBe(403);
    const unknown = await hold('00000000-0000-4000-8000-000000000000', { until: copenhagenDay(7), reason: 'OTHER' });
    expect(unknown.status).toBe(404);
    const notHeld = await http(stack, 'POST', `/tasks/${visit()}/resume`, undefined, { as: 'ssp-sagsbehandler' });
    expect(notHeld.status).toBe(409);
    expect(JSON.stringify(notHeld.body)).toContain('the task is not on hold');
  });

  it('held under an Idempotency-Key: once, out of the active queue, in the “På hold” tab, passed by “next”', async () => {
    const body = { until: copenhagenDay(7), reason: 'AWAITING_PERSON', note: 'Mor ringer efter ferien' };
    const first = await hold(visit(), body, 'ssp-sagsbehandler', 'hold-visit-0001');
    expect(first.status).toBe(200);
    expect(first.body.task.hold).toMatchObject({ reason: 'AWAITING_PERSON', note: 'Mor ringer efter ferien' });
    // The start of that day in Copenhagen.
    expect(
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date(first.body.task.hold.until)),
    ).toBe(body.until);
    const again = await hold(visit(), body, 'ssp-sagsbehandler', 'hold-visit-0001');
    expect(again.body).toEqual(first.body);
    const otherBody = await hold(visit(), { ...body, reason: 'PERSON_AWAY' }, 'ssp-sagsbehandler', 'hold-visit-0001');
    expect(otherBody.status).toBe(409);

    const active = await queue('');
    expect(active.body.items.map((t: any) => t.id)).not.toContain(visit());
    const held = await queue('?view=HELD');
    expect(held.status).toBe(200);
    expect(held.body.items).toEqual([
      expect.objectContaining({ id: visit(), hold: expect.objectContaining({ reason: 'AWAITING_PERSON' }) }),
    ]);
    // The queue shows the reason, never the note.
    expect(JSON.stringify(held.body)).not.toContain('Mor ringer');
    const next = await http(stack, 'POST', '/agencies/SSP/tasks/next', {}, { as: 'ssp-sagsbehandler' });
    expect(next.status).toBe(204);

    // The coordinators see that it is held and until when, not the note; the timeline says no more.
    const seen = await http(stack, 'GET', `/tasks/${visit()}`, undefined, { as: 'koordinator' });
    expect(seen.body.task.hold).toEqual({
      until: first.body.task.hold.until,
      reason: 'AWAITING_PERSON',
      since: expect.any(String),
    });
    const timeline = await http(stack, 'GET', `/pathways/${pathwayId}/timeline`, undefined, { as: 'koordinator' });
    const entries = timeline.body.items.filter((e: any) => e.kind === 'TASK_HELD');
    expect(entries).toEqual([
      expect.objectContaining({ agency: 'SSP', detail: { key: 'ssp-home-visit', until: first.body.task.hold.until } }),
    ]);
    expect(JSON.stringify(timeline.body)).not.toContain('Mor ringer');
  });

  it('“resume now” puts it back in the active queue with its deadline moved by the time held', async () => {
    const before = await http(stack, 'GET', `/tasks/${visit()}`, undefined, { as: 'ssp-sagsbehandler' });
    const res = await http(stack, 'POST', `/tasks/${visit()}/resume`, undefined, {
      as: 'ssp-sagsbehandler',
      'Idempotency-Key': 'resume-visit-0001',
    });
    expect(res.status).toBe(200);
    expect(res.body.task).not.toHaveProperty('hold');
    const heldMs = Date.now() - Date.parse(before.body.task.hold.since);
    const moved = Date.parse(res.body.task.dueAt) - Date.parse(tasks['ssp-home-visit'].dueAt);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(heldMs + 1000);
    const active = await queue('?status=OPEN');
    expect(active.body.items.map((t: any) => t.id)).toContain(visit());
    expect((await queue('?view=HELD')).body.items).toEqual([]);
  });

  it('notes: SSP writes and reads its own, once per key; nobody else reads them; each read and write audited', async () => {
    const url = `/tasks/${visit()}/notes`;
    const blank = await http(stack, 'POST', url, { body: '  ' }, { as: 'ssp-sagsbehandler' });
    expect([blank.status, blank.body.errors?.[0]?.field]).toEqual([400, 'body']);
    const write = (body: string, key: string) =>
      http(stack, 'POST', url, { body }, { as: 'ssp-sagsbehandler', 'Idempotency-Key': key });
    const first = await write('Talt med mor; møde aftalt torsdag', 'note-0001');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      agency: 'SSP',
      authorUserId: 'ssp-sagsbehandler',
      body: 'Talt med mor; møde aftalt torsdag',
    });
    expect((await write('Talt med mor; møde aftalt torsdag', 'note-0001')).body).toEqual(first.body);
    expect((await write('Noget andet', 'note-0001')).status).toBe(409);
    expect((await write('Mødet flyttet', 'note-0002')).status).toBe(201);

    const own = await http(stack, 'GET', url, undefined, { as: 'ssp-sagsbehandler' });
    expect(own.body.items.map((n: any) => n.body)).toEqual(['Talt med mor; møde aftalt torsdag', 'Mødet flyttet']);
    for (const as of ['dks-sagsbehandler', 'koordinator']) {
      const res = await http(stack, 'GET', url, undefined, { as });
      expect([as, res.status]).toEqual([as, 403]);
      expect(JSON.stringify(res.body)).not.toContain('Talt med mor');
    }
    const rows: { action: string; task_id: string; detail: unknown }[] = await stack.db.query(
      `SELECT action, task_id, detail FROM audit_log WHERE action IN ('WRITE_TASK_NOTE', 'READ_TASK_NOTES') ORDER BY id`,
    );
    // The repeat under note-0001 is a request too: one row, with the first answer (apps/api/src/core/audited-routes.ts).
    expect(rows.map((r) => [r.action, r.task_id])).toEqual([
      ['WRITE_TASK_NOTE', visit()],
      ['WRITE_TASK_NOTE', visit()],
      ['WRITE_TASK_NOTE', visit()],
      ['READ_TASK_NOTES', visit()],
    ]);
    expect(JSON.stringify(rows)).not.toContain('Talt med mor');
  });

  it('the task’s own history: created, claimed, held, resumed, completed with its outcome; ended in “Afsluttet”', async () => {
    expect((await http(stack, 'POST', `/tasks/${visit()}/claim`, {}, { as: 'ssp-sagsbehandler' })).status).toBe(200);
    const done = await http(
      stack,
      'POST',
      `/tasks/${visit()}/complete`,
      { outcome: 'DONE' },
      { as: 'ssp-sagsbehandler' },
    );
    expect(done.status).toBe(200);

    const own = await http(stack, 'GET', `/tasks/${visit()}/history`, undefined, { as: 'ssp-sagsbehandler' });
    expect(own.status).toBe(200);
    expect(own.body.items.map((e: any) => e.kind)).toEqual([
      'TASK_CREATED',
      'TASK_HELD',
      'TASK_RESUMED',
      'TASK_CLAIMED',
      'TASK_COMPLETED',
    ]);
    expect(own.body.items[3].detail).toMatchObject({ assignee: 'ssp-sagsbehandler' });
    expect(own.body.items[4].detail).toMatchObject({ outcome: 'DONE' });
    // The coordinators read it without the user id; another agency not at all.
    const coordinator = await http(stack, 'GET', `/tasks/${visit()}/history`, undefined, { as: 'koordinator' });
    expect(coordinator.status).toBe(200);
    expect(coordinator.body.items[3].detail).not.toHaveProperty('assignee');
    expect((await http(stack, 'GET', `/tasks/${visit()}/history`, undefined, { as: 'dks-sagsbehandler' })).status).toBe(
      403,
    );
    expect((await http(stack, 'GET', `/tasks/nope/history`, undefined, { as: 'ssp-sagsbehandler' })).status).toBe(404);

    const ended = await queue('?view=ENDED');
    expect(ended.status).toBe(200);
    expect(ended.body.items[0]).toMatchObject({
      id: visit(),
      status: 'DONE',
      outcome: 'DONE',
      completedAt: expect.any(String),
    });
    expect((await queue('?view=ENDED&status=OPEN')).status).toBe(400);
    const bad = await queue('?view=DONE');
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'view']);
    const heldAgain = await hold(visit(), { until: copenhagenDay(7), reason: 'AWAITING_PERSON' });
    expect(heldAgain.status).toBe(409);
  });
});
