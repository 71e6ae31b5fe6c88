// Each finding of the sign-in issue, tried as a person would and shown not to leak any more: every call is a signed-in
// person (a real sign-in at the development issuer), the policy table decides by role, and a refused caller learns
// nothing of the pathway's state. Real API and worker on real Temporal and PostgreSQL, with the production rate limit.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { pathwayWorkflowId } from '../../../libs/domain/src';
import { statusQuery, recordEventUpdate } from '../../../workflows/pathway/messages';
import { DEFAULT_RATE_LIMIT } from '../../../apps/api/src/config';
import { http, pathwayRequest, rowCounts, startStack, type TestStack } from '../../support/stack';

describe('sign-in findings, now closed', () => {
  let stack: TestStack;
  let pathway: { id: string; tasks: { id: string; agency: string }[] };
  const sspTask = () => pathway.tasks.find((t) => t.agency === 'SSP')!;

  beforeAll(async () => {
    // The production budget per person, over a window long enough that a slow test machine still fits 300 reads in it.
    stack = await startStack({ api: { rateLimit: { limit: DEFAULT_RATE_LIMIT.limit, windowMs: 120_000 } } });
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ name: 'Fund Testesen', age: 16 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    pathway = created.body;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const timelineLength = async () =>
    Number(
      (await stack.db.query('SELECT count(*) AS n FROM timeline_entries WHERE pathway_id = $1', [pathway.id]))[0].n,
    );

  it('an agency cannot read another agency’s queue; the overseers can', async () => {
    const refused = await http(stack, 'GET', '/agencies/SSP/tasks', undefined, { as: 'jobcenter-sagsbehandler' });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(pathway.id);
    expect((await http(stack, 'GET', '/agencies/SSP/tasks', undefined, { as: 'ssp-sagsbehandler' })).status).toBe(200);
    expect((await http(stack, 'GET', '/agencies/SSP/tasks', undefined, { as: 'koordinator' })).status).toBe(200);
  });

  it('the escalation board is the operative group’s, not a caseworker’s', async () => {
    expect((await http(stack, 'GET', '/escalations', undefined, { as: 'ssp-sagsbehandler' })).status).toBe(403);
    expect((await http(stack, 'GET', '/escalations', undefined, { as: 'koordinator' })).status).toBe(403);
    expect((await http(stack, 'GET', '/escalations', undefined, { as: 'operativ-gruppe' })).status).toBe(200);
  });

  it('recording an event without a token → 401 with a Bearer challenge; nothing recorded, nothing answered', async () => {
    const before = await timelineLength();
    const res = await fetch(`${stack.baseUrl}/pathways/${pathway.id}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'ARRESTED', occurredAt: new Date().toISOString(), data: {} }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const text = await res.text();
    expect(text).not.toContain('Fund');
    expect(text).not.toContain('CONTACT');
    expect(await timelineLength()).toBe(before);
  });

  it('a caseworker cannot record CLOSED or ASSESSED: only a coordinator; the pathway runs on', async () => {
    const before = await timelineLength();
    const closed = await http(
      stack,
      'POST',
      `/pathways/${pathway.id}/events`,
      { type: 'CLOSED', occurredAt: new Date().toISOString(), data: { outcome: 'DECEASED' } },
      { as: 'kriminalforsorgen-sagsbehandler' },
    );
    expect([closed.status, closed.body.message]).toEqual([403, 'only a coordinator may record CLOSED']);
    const assessed = await http(
      stack,
      'POST',
      `/pathways/${pathway.id}/events`,
      { type: 'ASSESSED', occurredAt: new Date().toISOString(), data: { track: 'OUTREACH', reasons: 'x' } },
      { as: 'jobcenter-sagsbehandler' },
    );
    expect(assessed.status).toBe(403);
    expect(await timelineLength()).toBe(before);
    expect((await http(stack, 'GET', `/pathways/${pathway.id}`, undefined, { as: 'koordinator' })).body.stage).toBe(
      'CONTACT',
    );
  });

  it('the workflow’s validator checks the same policy: CLOSED sent with a caseworker’s roles is refused', async () => {
    const handle = stack.client.workflow.getHandle(pathwayWorkflowId(pathway.id));
    const before = (await handle.fetchHistory()).events!.length;
    const attempt = handle.executeUpdate(recordEventUpdate, {
      args: [
        {
          occurredAt: new Date().toISOString(),
          recordedBy: 'KRIMINALFORSORGEN',
          recordedByRoles: ['CASEWORKER'],
          data: { type: 'CLOSED', outcome: 'DECEASED' },
        },
      ],
    });
    await expect(attempt).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(attempt).rejects.toMatchObject({ cause: { type: 'NotAllowed' } });
    expect((await handle.fetchHistory()).events!.length).toBe(before);
    expect((await handle.query(statusQuery)).stage).toBe('CONTACT');
  });

  it('a pathway is opened in the opener’s own agency’s name: a forged sourceAgency → 403, nothing started', async () => {
    const before = await rowCounts(stack);
    const forged = await http(
      stack,
      'POST',
      '/pathways',
      pathwayRequest({ name: 'Falsk Kilde', sourceAgency: 'POLICE_LOCAL' }),
      {
        as: 'ssp-sagsbehandler',
      },
    );
    expect([forged.status, forged.body.message]).toEqual([403, 'contact.sourceAgency must be your agency']);
    expect(await rowCounts(stack)).toEqual(before);
  });

  it('authority before state: another agency gets the same 403 whatever the task’s state, never a 409', async () => {
    const task = sspTask();
    const claim = (as: string) => http(stack, 'POST', `/tasks/${task.id}/claim`, {}, { as });
    expect((await claim('ssp-sagsbehandler')).status).toBe(200);
    // Its own agency learns it is claimed; another agency learns nothing, not even whose task it is.
    expect((await claim('ssp-teamleder')).status).toBe(409);
    const refused = await claim('jobcenter-sagsbehandler');
    expect([refused.status, refused.body.message]).toEqual([403, 'this is not for your agency']);
    const complete = (as: string) => http(stack, 'POST', `/tasks/${task.id}/complete`, { outcome: 'DONE' }, { as });
    expect((await complete('ssp-sagsbehandler')).status).toBe(200);
    expect((await complete('ssp-sagsbehandler')).status).toBe(409);
    const late = await complete('jobcenter-sagsbehandler');
    expect([late.status, late.body.message]).toEqual([403, 'this is not for your agency']);
    expect(JSON.stringify(late.body)).not.toMatch(/DONE|SSP|CLAIMED/);
  });

  it('an agency sees the person through its task while open and 30 days after it ended, then the task alone', async () => {
    // SSP's task was completed above.
    const task = sspTask();
    const read = (as: string) => http(stack, 'GET', `/tasks/${task.id}`, undefined, { as });
    const endedDaysAgo = (days: number) =>
      stack.db.query(`UPDATE tasks SET completed_at = now() - make_interval(days => $2) WHERE id = $1`, [
        task.id,
        days,
      ]);
    const audits = async () =>
      Number((await stack.db.query('SELECT count(*) AS n FROM audit_log WHERE task_id = $1', [task.id]))[0].n);

    await endedDaysAgo(29);
    const recent = await read('ssp-sagsbehandler');
    expect([recent.status, recent.body.task.status, recent.body.person.name]).toEqual([200, 'DONE', 'Fund Testesen']);

    await endedDaysAgo(31);
    const before = await audits();
    const late = await read('ssp-sagsbehandler');
    expect([late.status, late.body.task.id, late.body.person, late.body.context]).toEqual([
      200,
      task.id,
      undefined,
      undefined,
    ]);
    expect(JSON.stringify(late.body)).not.toContain('Fund');
    // Nobody's data was read, so nothing is audited; the coordinators still see the pathway whole.
    expect(await audits()).toBe(before);
    expect((await read('koordinator')).body.person.name).toBe('Fund Testesen');
  });

  it('dead letters and requeue are for administrators only', async () => {
    for (const as of ['koordinator', 'operativ-gruppe', 'ssp-sagsbehandler']) {
      expect((await http(stack, 'GET', '/notifications/dead-letters', undefined, { as })).status).toBe(403);
      expect((await http(stack, 'POST', '/notifications/some-id/requeue', undefined, { as })).status).toBe(403);
    }
    expect((await http(stack, 'GET', '/notifications/dead-letters', undefined, { as: 'admin' })).status).toBe(200);
    expect((await http(stack, 'POST', '/notifications/some-id/requeue', undefined, { as: 'admin' })).status).toBe(404);
  });

  it('300 fast reads of one person by one caseworker → 429 with Retry-After past the limit', async () => {
    const task = pathway.tasks.find((t) => t.agency === 'POLICE_EAS')!;
    const token = await stack.tokenFor('eas-sagsbehandler');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    // As a script would: 30 at a time.
    for (let batch = 0; batch < 10; batch++) {
      const responses = await Promise.all(
        Array.from({ length: 30 }, () =>
          fetch(`${stack.baseUrl}/tasks/${task.id}`, { headers: { authorization: `Bearer ${token}` } }),
        ),
      );
      for (const r of responses) {
        statuses.push(r.status);
        if (r.status === 429) retryAfter ??= r.headers.get('retry-after');
        await r.body?.cancel();
      }
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(DEFAULT_RATE_LIMIT.limit);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(300 - DEFAULT_RATE_LIMIT.limit);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Each read that was answered is audited in the reader's agency's name.
    const audited = await stack.db.query(
      `SELECT count(*) AS n FROM audit_log WHERE task_id = $1 AND actor_agency = 'POLICE_EAS'`,
      [task.id],
    );
    expect(Number(audited[0].n)).toBe(statuses.filter((s) => s === 200).length);
  });
});
