// Retention as durable work (issue 13, item 4): the API makes the daily Temporal Schedule; the retention workflow
// opens a review for pathways closed longer than their period, and erases the persons whose review ran out unless a
// coordinator kept them with a reason. Real API, worker, Temporal, PostgreSQL; time is moved by back-dating the
// read model's closing and review dates (the rules' arithmetic is in test/unit/retention.spec.ts).
import { randomUUID } from 'node:crypto';
import { RETENTION_WORKFLOW_TYPE, retentionScheduleId } from '../../../libs/domain/src';
import { eventually } from '../../support/drill';
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

describe('retention', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ retentionSchedule: true });
  });
  afterAll(async () => {
    await stack?.client.schedule
      .getHandle(retentionScheduleId(stack.temporal.taskQueue))
      .delete()
      .catch(() => undefined);
    await stack?.stop();
  });

  /** Opens a pathway and closes it with two coordinators. */
  async function closed(name: string): Promise<string> {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ name, age: 20 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const asked = await http(
      stack,
      'POST',
      `/pathways/${id}/events`,
      { type: 'CLOSED', occurredAt: new Date(Date.now() - 60_000).toISOString(), data: { outcome: 'DECLINED' } },
      { as: 'koordinator' },
    );
    expect(asked.status).toBe(200);
    const confirmed = await http(stack, 'POST', `/pathways/${id}/closure/confirm`, undefined, { as: 'koordinator2' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.stage).toBe('CLOSED');
    return id;
  }

  const run = () =>
    stack.client.workflow.execute(RETENTION_WORKFLOW_TYPE, {
      workflowId: `retention-test-${randomUUID()}`,
      taskQueue: stack.temporal.taskQueue,
      args: [],
    });

  it('the daily schedule exists after start and starts the retention workflow on this task queue', async () => {
    const handle = stack.client.schedule.getHandle(retentionScheduleId(stack.temporal.taskQueue));
    const description = await eventually(
      () => handle.describe().catch(() => undefined),
      (d) => d !== undefined,
    );
    expect(description!.spec.calendars).toEqual([
      expect.objectContaining({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] }),
    ]);
    expect(description!.spec.timezone).toBe('Europe/Copenhagen');
    expect(description!.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: RETENTION_WORKFLOW_TYPE,
      taskQueue: stack.temporal.taskQueue,
    });
    // Triggered now, its run completes (nothing is due yet).
    await handle.trigger();
    const done = await eventually(
      async () => (await handle.describe()).info.recentActions,
      (actions) => actions.length > 0,
    );
    const started = done[0].action.workflow;
    const result = await stack.client.workflow.getHandle(started.workflowId, started.firstExecutionRunId).result();
    expect(result).toEqual({ reviewsOpened: expect.any(Number), erased: 0 });
  });

  it('reviews a pathway closed past its period, erases it when the review runs out, keeps one kept with a reason', async () => {
    const erased = await closed('Glemmes Gammelsen');
    const kept = await closed('Beholdes Bevarsen');
    const recent = await closed('Nylig Lukketsen');
    // Closed 800 days ago (the default period is 730 days for an adult); the third closed just now.
    await stack.db.query(`UPDATE pathways SET closed_at = now() - interval '800 days' WHERE id = ANY($1::uuid[])`, [
      [erased, kept],
    ]);

    expect(await run()).toEqual({ reviewsOpened: 2, erased: 0 });
    const reviews = await http(stack, 'GET', '/retention/reviews', undefined, { as: 'koordinator' });
    expect(reviews.status).toBe(200);
    const ids = reviews.body.items.map((r: { personId: string }) => r.personId);
    expect(ids.sort()).toEqual([erased, kept].sort());
    expect(reviews.body.items[0]).toMatchObject({ closingOutcome: 'DECLINED' });
    expect(JSON.stringify(reviews.body)).not.toMatch(/Gammelsen|Bevarsen/);
    expect((await http(stack, 'GET', '/retention/reviews', undefined, { as: 'ssp-sagsbehandler' })).status).toBe(403);
    // A second run the same day opens nothing new.
    expect(await run()).toEqual({ reviewsOpened: 0, erased: 0 });

    // A coordinator keeps one, with a reason; a blank reason or a past date is a 400 naming the field.
    const blank = await http(
      stack,
      'POST',
      `/persons/${kept}/retention`,
      { reason: ' ', keepUntil: '2030-01-01' },
      { as: 'koordinator' },
    );
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body)).toContain('reason');
    const past = await http(
      stack,
      'POST',
      `/persons/${kept}/retention`,
      { reason: 'Ny henvendelse fra SSP', keepUntil: '2020-01-01' },
      { as: 'koordinator' },
    );
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body)).toContain('keepUntil');
    const keepUntil = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
    const keep = await http(
      stack,
      'POST',
      `/persons/${kept}/retention`,
      { reason: 'Ny henvendelse fra SSP under behandling', keepUntil },
      { as: 'koordinator' },
    );
    expect(keep.status).toBe(200);
    expect(keep.body).toMatchObject({ personId: kept, status: 'KEPT', keepUntil: `${keepUntil}T23:59:59.999Z` });

    // The review's 14 days pass.
    await stack.db.query(`UPDATE erasure_requests SET review_until = now() - interval '1 minute'`);
    expect(await run()).toEqual({ reviewsOpened: 0, erased: 1 });

    // Erased: no pathway, no person row, the key destroyed, the audit row names the retention, not a coordinator.
    expect((await http(stack, 'GET', `/pathways/${erased}`, undefined, { as: 'koordinator' })).status).toBe(404);
    expect(await stack.db.query(`SELECT 1 FROM persons WHERE pathway_id = $1`, [erased])).toEqual([]);
    const [key] = await stack.db.query(`SELECT wrapped, destroyed_at FROM person_keys WHERE pathway_id = $1`, [erased]);
    expect(key.wrapped).toBeNull();
    expect(key.destroyed_at).not.toBeNull();
    const audit = await stack.db.query(
      `SELECT actor_agency, action FROM audit_log WHERE pathway_id = $1 AND action = 'ERASE_PERSON'`,
      [erased],
    );
    expect(audit).toEqual([{ actor_agency: 'retention', action: 'ERASE_PERSON' }]);
    const erasure = await http(
      stack,
      'POST',
      `/persons/${erased}/erasure`,
      { reason: 'RETENTION' },
      { as: 'koordinator' },
    );
    expect(erasure.body).toMatchObject({ status: 'ERASED', reason: 'RETENTION', erasedBy: 'retention' });

    // Kept and recent: still there, with their names.
    for (const [id, name] of [
      [kept, 'Beholdes Bevarsen'],
      [recent, 'Nylig Lukketsen'],
    ]) {
      const read = await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' });
      expect([read.status, read.body.person.name]).toEqual([200, name]);
    }
    expect((await http(stack, 'GET', '/retention/reviews', undefined, { as: 'koordinator' })).body.items).toEqual([]);
    const verified = await http(stack, 'GET', '/audit/verify', undefined, { as: 'revisor' });
    expect(verified.body.intact).toBe(true);
  });
});
