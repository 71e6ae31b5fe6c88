// Agency queues and task commands over HTTP: claim, unclaim, complete, reassign, extend, cancel, "next", the
// operative group's escalation board, need-to-know task details, and bad input on every endpoint.
import { randomUUID } from 'node:crypto';
import { eventually, publish, quickJobcenterPlaybook, startDrill } from '../../support/drill';
import { http, pathwayRequest, rowCounts, startStack, type RequestHeaders, type TestStack } from '../../support/stack';

const EKI = { as: 'eki-sagsbehandler' };
const OG = { as: 'operativ-koordinator' };

const quick = quickJobcenterPlaybook('queue drill');

describe('queue API', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  async function adultPathway(): Promise<{ id: string; taskId: string }> {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 25, name: 'Kø Testperson' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, taskId: created.body.tasks[0].id };
  }
  const timelineKinds = async (id: string) =>
    (await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).body.timeline.map(
      (e: any) => e.kind,
    ) as string[];

  it('claims, unclaims, reassigns, extends and completes a task, each on the timeline', async () => {
    const { id, taskId } = await adultPathway();
    // Taken in the signed-in person's name.
    const claimed = await http(stack, 'POST', `/tasks/${taskId}/claim`, {}, { as: 'koordinator' });
    expect(claimed.status).toBe(200);
    expect(claimed.body.task).toMatchObject({ status: 'CLAIMED', assignee: 'koordinator' });
    const mine = await http(stack, 'GET', '/agencies/POLICE_EAS/tasks?assignee=koordinator&status=CLAIMED', undefined, {
      as: 'koordinator',
    });
    expect(mine.body.items.map((t: any) => t.id)).toEqual([taskId]);
    const twice = await http(stack, 'POST', `/tasks/${taskId}/claim`, {}, { as: 'koordinator' });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toContain('already claimed');

    expect(
      (await http(stack, 'POST', `/tasks/${taskId}/unclaim`, undefined, { as: 'koordinator' })).body.task.status,
    ).toBe('OPEN');
    const notOg = await http(
      stack,
      'POST',
      `/tasks/${taskId}/reassign`,
      { toAgency: 'POLICE_LOCAL', reason: 'kendt' },
      EKI,
    );
    expect(notOg.status).toBe(403);
    const moved = await http(
      stack,
      'POST',
      `/tasks/${taskId}/reassign`,
      { toAgency: 'POLICE_LOCAL', reason: 'Lokalkendskab' },
      OG,
    );
    expect(moved.status).toBe(200);
    expect(moved.body.task.agency).toBe('POLICE_LOCAL');
    expect(
      (
        await http(stack, 'GET', '/agencies/POLICE_LOCAL/tasks', undefined, { as: 'lokalpoliti-sagsbehandler' })
      ).body.items.map((t: any) => t.id),
    ).toContain(taskId);

    const dueAt = new Date(Date.now() + 30 * 86400_000).toISOString();
    const extended = await http(stack, 'POST', `/tasks/${taskId}/extend`, { dueAt, reason: 'Afventer dom' }, OG);
    expect(extended.status).toBe(200);
    expect(extended.body.task.dueAt).toBe(dueAt);
    const done = await http(
      stack,
      'POST',
      `/tasks/${taskId}/complete`,
      { outcome: 'DONE', note: 'Analyseret' },
      { as: 'lokalpoliti-sagsbehandler' },
    );
    expect(done.status).toBe(200);
    expect(await timelineKinds(id)).toEqual(
      expect.arrayContaining([
        'TASK_CLAIMED',
        'TASK_UNCLAIMED',
        'TASK_REASSIGNED',
        'DEADLINE_EXTENDED',
        'TASK_COMPLETED',
      ]),
    );
  });

  it('cancels only with the operative group and a reason', async () => {
    const { taskId } = await adultPathway();
    expect((await http(stack, 'POST', `/tasks/${taskId}/cancel`, { reason: 'dublet' }, EKI)).status).toBe(403);
    expect((await http(stack, 'POST', `/tasks/${taskId}/cancel`, {}, OG)).status).toBe(400);
    const cancelled = await http(stack, 'POST', `/tasks/${taskId}/cancel`, { reason: 'Registreret i anden sag' }, OG);
    expect(cancelled.body.task).toMatchObject({ status: 'CANCELLED', cancelCode: 'NOT_NEEDED' });
    expect(JSON.stringify(cancelled.body)).not.toContain('Registreret i anden sag');
    expect((await http(stack, 'POST', `/tasks/${taskId}/cancel`, { reason: 'igen' }, OG)).status).toBe(409);
  });

  it('shows a task’s person only to its agency and the overseers, context only on need to know, and audits it', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16, name: 'Synlig Testperson' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    const ssp = created.body.tasks.find((t: any) => t.agency === 'SSP');
    const asSsp = await http(stack, 'GET', `/tasks/${ssp.id}`, undefined, { as: 'ssp-sagsbehandler' });
    expect(asSsp.status).toBe(200);
    expect(asSsp.body.person.name).toBe('Synlig Testperson');
    expect(asSsp.body.context).toBeUndefined();
    expect(JSON.stringify(asSsp.body)).not.toContain('kendte medlemmer');
    const asEas = await http(stack, 'GET', `/tasks/${ssp.id}`, undefined, { as: 'koordinator' });
    expect(asEas.body.context).toMatchObject({
      stage: 'CONTACT',
      contactContext: expect.stringContaining('kendte medlemmer'),
    });
    expect((await http(stack, 'GET', `/tasks/${ssp.id}`, undefined, { as: 'jobcenter-sagsbehandler' })).status).toBe(
      403,
    );
    expect((await http(stack, 'GET', `/tasks/${ssp.id}`, undefined, { as: 'anonymous' })).status).toBe(401);
    const audit: { actor_agency: string; legal_basis: string }[] = await stack.db.query(
      'SELECT actor_agency, legal_basis FROM audit_log WHERE task_id = $1 ORDER BY id',
      [ssp.id],
    );
    expect(audit).toEqual([
      { actor_agency: 'SSP', legal_basis: 'Retsplejeloven § 115 (SSP-samarbejdet)' },
      { actor_agency: 'POLICE_EAS', legal_basis: 'Retsplejeloven § 115 (SSP-samarbejdet)' },
      // JOBCENTER's attempt, refused.
      { actor_agency: 'JOBCENTER', legal_basis: 'Retsplejeloven § 115 (SSP-samarbejdet)' },
    ]);
    // The queue row names the person to the queue's own agency (every queued task is open), never the context, and
    // each name shown is audited for the person who saw it.
    const sspQueue = await http(stack, 'GET', '/agencies/SSP/tasks', undefined, { as: 'ssp-sagsbehandler' });
    expect(sspQueue.body.items.find((t: any) => t.id === ssp.id).personName).toBe('Synlig Testperson');
    expect(JSON.stringify(sspQueue.body)).not.toContain('kendte medlemmer');
    const queueAudit = await stack.db.query(
      `SELECT actor_agency, actor_user_id, purpose, legal_basis_code, legal_basis FROM audit_log
        WHERE action = 'READ_QUEUE_PERSON' AND pathway_id = $1`,
      [created.body.id],
    );
    expect(queueAudit).toEqual([
      {
        actor_agency: 'SSP',
        actor_user_id: 'ssp-sagsbehandler',
        purpose: 'PREVENTION',
        legal_basis_code: 'SSP',
        legal_basis: 'Retsplejeloven § 115 (SSP-samarbejdet)',
      },
    ]);
    // The queue's rows (one per name shown, and the list itself) are links of the hash chain like any other.
    const verified = await http(stack, 'GET', '/audit/verify', undefined, { as: 'revisor' });
    expect(verified.body).toMatchObject({ intact: true });
    // An external partner's queue never names the person: test/unit/queue-person.spec.ts.
  });

  it('two concurrent "next" callers are never given the same task', async () => {
    const agency = 'POLICE_EAS';
    const before = new Set(
      (
        await http(stack, 'GET', `/agencies/${agency}/tasks?status=OPEN&limit=200`, undefined, { as: 'koordinator' })
      ).body.items.map((t: any) => t.id),
    );
    for (let i = 0; i < 6; i++) await adultPathway();
    const open = (
      await http(stack, 'GET', `/agencies/${agency}/tasks?status=OPEN&limit=200`, undefined, { as: 'koordinator' })
    ).body.items.length;
    const results = await Promise.all(
      Array.from({ length: open + 4 }, () =>
        http(stack, 'POST', `/agencies/${agency}/tasks/next`, {}, { as: 'koordinator' }),
      ),
    );
    const given = results.filter((r) => r.status === 200).map((r) => r.body.task.id);
    expect(new Set(given).size).toBe(given.length);
    expect(given.length).toBe(open);
    expect(results.filter((r) => r.status === 204)).toHaveLength(4);
    expect(before.size).toBeLessThan(open);
    expect(
      (await http(stack, 'GET', `/agencies/${agency}/tasks?status=OPEN`, undefined, { as: 'koordinator' })).body.items,
    ).toEqual([]);
  });

  it('orders a queue of 10,000 tasks by urgency and pages through it without a gap or a repeat', async () => {
    const agency = 'UU';
    await stack.db.query(
      `INSERT INTO playbooks (version, name, definition) VALUES (-1, 'seed', '{}') ON CONFLICT DO NOTHING`,
    );
    const pathwayId = randomUUID();
    await stack.db.query(
      `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version, stage_entered_at)
       VALUES ($1, $2, 'INTERVENTION', 'OTHER', -1, now(), now(), 1, now())`,
      [pathwayId, `pathway-${pathwayId}`],
    );
    await stack.db.query(
      `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at, overdue,
                          escalation_level, version)
       SELECT gen_random_uuid(), $1, 'seed-' || n, 'INTERVENTION', $2, 'SEED', 'Seed', 'OPEN', now(),
              now() + ((n * 7919) % 10000) * interval '1 minute', n % 10 < 2, CASE WHEN n % 10 = 0 THEN 2 WHEN n % 10 = 1 THEN 1 ELSE 0 END, 1
         FROM generate_series(1, 10000) n`,
      [pathwayId, agency],
    );
    const expected: string[] = (
      await stack.db.query(
        `SELECT id FROM tasks WHERE agency_code = $1 AND status IN ('OPEN','CLAIMED')
          ORDER BY escalation_level DESC, overdue DESC, due_at, id`,
        [agency],
      )
    ).map((r: { id: string }) => r.id);
    expect(expected).toHaveLength(10000);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await http(
        stack,
        'GET',
        `/agencies/${agency}/tasks?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        { as: 'uu-sagsbehandler' },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((t: any) => t.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    const overdue = await http(stack, 'GET', `/agencies/${agency}/tasks?overdue=true&limit=5`, undefined, {
      as: 'uu-sagsbehandler',
    });
    expect(overdue.body.items.every((t: any) => t.overdue === true && t.escalationLevel >= 1)).toBe(true);
    expect(overdue.body.items[0].escalationLevel).toBe(2);
  });

  it('shows escalations on the board and takes the operative group’s decision back into the workflow', async () => {
    await publish(stack, quick);
    const drill = await startDrill(stack, { age: 30, playbook: quick });
    const board = await eventually(
      () => http(stack, 'GET', '/escalations?agency=JOBCENTER', undefined, OG),
      (res) => res.body.items.some((e: any) => e.pathwayId === drill.id),
      10000,
    );
    const escalation = board.body.items.find((e: any) => e.pathwayId === drill.id);
    expect(escalation).toMatchObject({
      kind: 'TASK_OVERDUE',
      level: 1,
      agency: 'JOBCENTER',
      escalatedTo: 'OPERATIVE_GROUP',
      status: 'OPEN',
    });
    const path = `/escalations/${encodeURIComponent(escalation.id)}/resolve`;
    expect((await http(stack, 'POST', path, { decision: 'EXTEND', note: 'mere tid' }, OG)).status).toBe(400);
    expect((await http(stack, 'POST', path, { decision: 'NOTE', note: 'set' }, EKI)).status).toBe(403);
    const dueAt = new Date(Date.now() + 86400_000).toISOString();
    const resolved = await http(stack, 'POST', path, { decision: 'EXTEND', note: 'Ny sagsbehandler', dueAt }, OG);
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'RESOLVED', decision: 'EXTEND' });
    expect((await drill.status()).tasks[0].dueAt).toBe(dueAt);
    expect((await http(stack, 'POST', path, { decision: 'NOTE', note: 'igen' }, OG)).status).toBe(409);
    const after = await http(stack, 'GET', '/escalations?agency=JOBCENTER', undefined, OG);
    expect(after.body.items.some((e: any) => e.id === escalation.id)).toBe(false);
  });

  describe('bad input changes nothing', () => {
    let taskId: string;
    beforeAll(async () => {
      taskId = (await adultPathway()).taskId;
    });
    const unknown = '0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11';
    // Every row has all seven values: jest treats a missing last argument as a `done` callback.
    const cases: [string, string, string, unknown, RequestHeaders, number, string | undefined][] = [
      ['claim in another person’s name', 'POST', 'claim', { assignee: 'a' }, { as: 'koordinator' }, 403, undefined],
      [
        'claim with an unknown field',
        'POST',
        'claim',
        { assignee: 'a', priority: 1 },
        { as: 'koordinator' },
        400,
        'priority',
      ],
      [
        'claim by another agency',
        'POST',
        'claim',
        { assignee: 'a' },
        { as: 'jobcenter-sagsbehandler' },
        403,
        undefined,
      ],
      ['claim without a token', 'POST', 'claim', { assignee: 'a' }, { as: 'anonymous' }, 401, undefined],
      ['unclaim an unclaimed task', 'POST', 'unclaim', undefined, { as: 'koordinator' }, 409, undefined],
      ['unclaim by another agency', 'POST', 'unclaim', undefined, { as: 'jobcenter-sagsbehandler' }, 403, undefined],
      ['reassign to an unknown agency', 'POST', 'reassign', { toAgency: 'NOPE', reason: 'x' }, OG, 400, 'toAgency'],
      ['reassign to its own agency', 'POST', 'reassign', { toAgency: 'POLICE_EAS', reason: 'x' }, OG, 409, undefined],
      ['extend into the past', 'POST', 'extend', { dueAt: '2020-01-01T00:00:00Z', reason: 'x' }, OG, 400, 'dueAt'],
      ['extend without a reason', 'POST', 'extend', { dueAt: '2099-01-01T00:00:00Z' }, OG, 400, 'reason'],
      ['extend with a bad date', 'POST', 'extend', { dueAt: 'tomorrow', reason: 'x' }, OG, 400, 'dueAt'],
      ['extend to a week date', 'POST', 'extend', { dueAt: '2030-W50-1', reason: 'x' }, OG, 400, 'dueAt'],
      [
        'extend past the year 9999',
        'POST',
        'extend',
        { dueAt: '9999-12-31T12:00:00-12:00', reason: 'x' },
        OG,
        400,
        'dueAt',
      ],
      ['extend without a time zone', 'POST', 'extend', { dueAt: '2099-01-01T00:00:00', reason: 'x' }, OG, 400, 'dueAt'],
      ['complete with a blank outcome', 'POST', 'complete', { outcome: ' ' }, { as: 'koordinator' }, 400, 'outcome'],
      [
        'complete by another agency',
        'POST',
        'complete',
        { outcome: 'DONE' },
        { as: 'ssp-sagsbehandler' },
        403,
        undefined,
      ],
      ['complete by the operative group', 'POST', 'complete', { outcome: 'DONE' }, OG, 403, undefined],
    ];
    it.each(cases)('%s → %s', async (_name, method, action, body, headers, status, field) => {
      const before = await rowCounts(stack);
      const res = await http(stack, method, `/tasks/${taskId}/${action}`, body, headers);
      expect(res.status).toBe(status);
      if (field) expect(res.body.errors.map((e: any) => e.field)).toContain(field);
      expect(await rowCounts(stack)).toEqual(before);
    });
    it.each<[string, unknown]>([
      ['claim', { assignee: 'a' }],
      ['unclaim', undefined],
      ['complete', { outcome: 'DONE' }],
      ['reassign', { toAgency: 'EKI', reason: 'x' }],
      ['extend', { dueAt: '2099-01-01T00:00:00Z', reason: 'x' }],
      ['cancel', { reason: 'x' }],
    ])('%s on an unknown task → 404', async (action, body) => {
      const res = await http(stack, 'POST', `/tasks/${unknown}/${action}`, body, OG);
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('no task');
    });
    it('queue filters and next: bad values → 400, unknown agency → 404', async () => {
      expect((await http(stack, 'GET', '/agencies/EKI/tasks?status=DONE', undefined, EKI)).status).toBe(400);
      expect((await http(stack, 'GET', '/agencies/EKI/tasks?overdue=maybe', undefined, EKI)).status).toBe(400);
      // Only an agency itself takes from its queue: for anyone else an unknown agency is as refused as a known one.
      expect(
        (await http(stack, 'POST', '/agencies/NOPE/tasks/next', { assignee: 'a' }, { as: 'koordinator' })).status,
      ).toBe(403);
      expect((await http(stack, 'POST', '/agencies/EKI/tasks/next', { assignee: ' ' }, EKI)).status).toBe(400);
      expect(
        (await http(stack, 'POST', '/agencies/EKI/tasks/next', { assignee: 'a' }, { as: 'ssp-sagsbehandler' })).status,
      ).toBe(403);
      expect((await http(stack, 'GET', '/escalations?level=3', undefined, OG)).status).toBe(400);
      expect((await http(stack, 'GET', '/escalations?level=0x2', undefined, OG)).status).toBe(400);
      expect((await http(stack, 'GET', '/escalations?cursor=nope', undefined, OG)).status).toBe(400);
      expect((await http(stack, 'POST', '/escalations/nope/resolve', { decision: 'NOTE', note: 'x' }, OG)).status).toBe(
        404,
      );
      expect(
        (await http(stack, 'POST', '/escalations/nope/resolve', { decision: 'MAYBE', note: 'x' }, OG)).status,
      ).toBe(400);
      const weekDate = await http(
        stack,
        'POST',
        '/escalations/nope/resolve',
        { decision: 'EXTEND', note: 'x', dueAt: '2030-W50-1' },
        OG,
      );

      expect([weekDate.status, weekDate.body.errors.map((e: any) => e.field)]).toEqual([400, ['dueAt']]);
    });
  });
});
