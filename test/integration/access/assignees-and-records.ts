// Issue 9's access records, over real HTTP with real sign-ins (the development issuer), a real worker, Temporal and
// PostgreSQL: assignees are user ids shown by name only within their agency; a team lead assigns and reassigns within
// its agency (one task or several), from the people the API has seen sign in; queue and board reads are audited;
// notification ids are random while the outbox stays idempotent; and requests without a valid token are rate-limited
// per address.
import { DEV_USERS } from '../../../scripts/dev-stack/dev-accounts';
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const nameOf = (username: string) => DEV_USERS.find((u) => u.username === username)!.name;

interface Pathway {
  id: string;
  tasks: { id: string; agency: string }[];
}

describe('assignees, team leads, audited lists and notification ids', () => {
  let stack: TestStack;
  const pathways: Pathway[] = [];
  const sspTask = (i: number) => pathways[i].tasks.find((t) => t.agency === 'SSP')!;

  beforeAll(async () => {
    stack = await startStack();
    for (const name of ['Tildelt Testesen', 'Anden Testesen', 'Tredje Testesen']) {
      const created = await http(stack, 'POST', '/pathways', pathwayRequest({ name, age: 16 }), {
        as: 'lokalpoliti-sagsbehandler',
      });
      expect(created.status).toBe(201);
      pathways.push(created.body);
    }
    expect(sspTask(0)).toBeDefined();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a caseworker takes a task in its own name; its agency sees the name, the coordinators only CLAIMED', async () => {
    const task = sspTask(0);
    const foreign = await http(
      stack,
      'POST',
      `/tasks/${task.id}/claim`,
      { assignee: 'ssp-teamleder' },
      {
        as: 'ssp-sagsbehandler',
      },
    );
    expect(foreign.status).toBe(403);
    const claimed = await http(stack, 'POST', `/tasks/${task.id}/claim`, {}, { as: 'ssp-sagsbehandler' });
    expect(claimed.status).toBe(200);
    expect(claimed.body.task).toMatchObject({
      status: 'CLAIMED',
      assignee: 'ssp-sagsbehandler',
      assigneeName: nameOf('ssp-sagsbehandler'),
    });
    const queue = await http(stack, 'GET', '/agencies/SSP/tasks?status=CLAIMED', undefined, { as: 'ssp-teamleder' });
    expect(queue.body.items.find((t: any) => t.id === task.id)).toMatchObject({
      assignee: 'ssp-sagsbehandler',
      assigneeName: nameOf('ssp-sagsbehandler'),
    });

    const read = await http(stack, 'GET', `/pathways/${pathways[0].id}`, undefined, { as: 'koordinator' });
    expect(read.status).toBe(200);
    const seen = read.body.tasks.find((t: any) => t.id === task.id);
    expect(seen.status).toBe('CLAIMED');
    expect(seen).not.toHaveProperty('assignee');
    expect(seen).not.toHaveProperty('assigneeName');
    const claimEntry = read.body.timeline.find((e: any) => e.kind === 'TASK_CLAIMED' && e.taskId === task.id);
    expect(claimEntry.detail).not.toHaveProperty('assignee');
    expect(JSON.stringify(read.body)).not.toContain('ssp-sagsbehandler');
    const overseer = await http(stack, 'GET', '/agencies/SSP/tasks?status=CLAIMED', undefined, { as: 'koordinator' });
    expect(overseer.status).toBe(200);
    expect(JSON.stringify(overseer.body)).not.toContain('ssp-sagsbehandler');
  });

  it('lists an agency’s signed-in people for its team lead only', async () => {
    await http(stack, 'GET', '/agencies', undefined, { as: 'eki-sagsbehandler' });
    const listed = await http(stack, 'GET', '/agencies/SSP/users', undefined, { as: 'ssp-teamleder' });
    expect(listed.status).toBe(200);
    const people = listed.body.map((u: any) => [u.userId, u.displayName]);
    expect(people).toEqual(
      expect.arrayContaining([
        ['ssp-sagsbehandler', nameOf('ssp-sagsbehandler')],
        ['ssp-teamleder', nameOf('ssp-teamleder')],
      ]),
    );
    expect(listed.body.map((u: any) => u.userId)).not.toContain('eki-sagsbehandler');
    expect(listed.body[0].lastSeenAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    for (const as of ['ssp-sagsbehandler', 'koordinator', 'operativ-gruppe']) {
      expect((await http(stack, 'GET', '/agencies/SSP/users', undefined, { as })).status).toBe(403);
    }
    expect((await http(stack, 'GET', '/agencies/EKI/users', undefined, { as: 'ssp-teamleder' })).status).toBe(403);
  });

  it('a team lead assigns and reassigns within its agency; a caseworker may not', async () => {
    const task = sspTask(0);
    const byCaseworker = await http(
      stack,
      'POST',
      `/tasks/${task.id}/assign`,
      { userId: 'ssp-teamleder' },
      {
        as: 'ssp-sagsbehandler',
      },
    );
    expect(byCaseworker.status).toBe(403);
    // Reassigned from the colleague who claimed it.
    const moved = await http(
      stack,
      'POST',
      `/tasks/${task.id}/assign`,
      { userId: 'ssp-teamleder' },
      {
        as: 'ssp-teamleder',
      },
    );
    expect(moved.status).toBe(200);
    expect(moved.body.task).toMatchObject({
      status: 'CLAIMED',
      assignee: 'ssp-teamleder',
      assigneeName: nameOf('ssp-teamleder'),
    });
    const again = await http(
      stack,
      'POST',
      `/tasks/${task.id}/assign`,
      { userId: 'ssp-teamleder' },
      {
        as: 'ssp-teamleder',
      },
    );
    expect([again.status, again.body.message]).toEqual([409, 'the task is already assigned to that person']);
    // Nobody of another agency, and nobody the API has not seen sign in.
    for (const userId of ['eki-sagsbehandler', 'ssp-ukendt']) {
      const refused = await http(stack, 'POST', `/tasks/${task.id}/assign`, { userId }, { as: 'ssp-teamleder' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((e: any) => e.field)).toEqual(['userId']);
    }
    const timeline = await http(stack, 'GET', `/pathways/${pathways[0].id}/timeline`, undefined, {
      as: 'koordinator',
    });
    const claims = timeline.body.items.filter((e: any) => e.kind === 'TASK_CLAIMED' && e.taskId === task.id);
    expect(claims).toHaveLength(2);
    // The coordinator sees that it was claimed twice, not by whom nor who assigned it.
    expect(claims.map((e: any) => Object.keys(e.detail))).toEqual([['key'], ['key']]);
    expect(JSON.stringify(claims)).not.toMatch(/ssp-(sagsbehandler|teamleder)/);
  });

  it('assigns several tasks in one call and reports each', async () => {
    const other = pathways[1].tasks.find((t) => t.agency !== 'SSP')!;
    const unknown = '0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11';
    const body = { userId: 'ssp-sagsbehandler', taskIds: [sspTask(1).id, sspTask(2).id, unknown, other.id] };
    expect((await http(stack, 'POST', '/agencies/SSP/tasks/assign', body, { as: 'ssp-sagsbehandler' })).status).toBe(
      403,
    );
    expect((await http(stack, 'POST', '/agencies/EKI/tasks/assign', body, { as: 'ssp-teamleder' })).status).toBe(403);
    const bulk = await http(stack, 'POST', '/agencies/SSP/tasks/assign', body, { as: 'ssp-teamleder' });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results.map((r: any) => [r.taskId, r.status])).toEqual([
      [sspTask(1).id, 200],
      [sspTask(2).id, 200],
      [unknown, 404],
      [other.id, 403],
    ]);
    expect(bulk.body.results[0].task).toMatchObject({ status: 'CLAIMED', assignee: 'ssp-sagsbehandler' });
    expect(bulk.body.results[3].message).toBe('this is not for your agency');
    const mine = await http(stack, 'GET', '/agencies/SSP/tasks?assignee=ssp-sagsbehandler', undefined, {
      as: 'ssp-sagsbehandler',
    });
    expect(mine.body.items.map((t: any) => t.id)).toEqual(expect.arrayContaining([sspTask(1).id, sspTask(2).id]));
    const badBody = await http(
      stack,
      'POST',
      '/agencies/SSP/tasks/assign',
      { userId: 'ssp-sagsbehandler', taskIds: [] },
      {
        as: 'ssp-teamleder',
      },
    );
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors.map((e: any) => e.field)).toContain('taskIds');
  });

  async function auditRows(action: string) {
    return (await stack.db.query(
      `SELECT actor_user_id, actor_agency, detail, item_count, pathway_id FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    )) as { actor_user_id: string; actor_agency: string; detail: any; item_count: number; pathway_id: string }[];
  }

  it('a queue read by a caseworker writes one audit row per person named: who, which queue, how many, no name', async () => {
    const before = (await auditRows('READ_QUEUE_PERSON')).length;
    const listedBefore = (await auditRows('LIST_QUEUE')).length;
    const queue = await http(stack, 'GET', '/agencies/SSP/tasks?status=CLAIMED', undefined, {
      as: 'ssp-sagsbehandler',
    });
    expect(queue.status).toBe(200);
    expect(queue.body.items.length).toBeGreaterThan(0);
    const named = [...new Set(queue.body.items.map((t: any) => t.pathwayId))];
    const rows = (await auditRows('READ_QUEUE_PERSON')).slice(before);
    expect(rows.map((r) => r.pathway_id).sort()).toEqual([...named].sort());
    for (const row of rows) {
      expect(row).toEqual({
        actor_user_id: 'ssp-sagsbehandler',
        actor_agency: 'SSP',
        detail: { agency: 'SSP', status: 'CLAIMED' },
        item_count: queue.body.items.length,
        pathway_id: expect.any(String),
      });
    }
    // A page that names people is those rows, not one more for the list.
    expect((await auditRows('LIST_QUEUE')).slice(listedBefore)).toEqual([]);
    expect(JSON.stringify(rows)).not.toContain('Testesen');
  });

  it('a board read by the operative group writes one audit row naming its user id', async () => {
    const before = (await auditRows('LIST_ESCALATIONS')).length;
    const board = await http(stack, 'GET', '/escalations?level=1', undefined, { as: 'operativ-gruppe' });
    expect(board.status).toBe(200);
    const rows = (await auditRows('LIST_ESCALATIONS')).slice(before);
    expect(rows).toEqual([
      {
        actor_user_id: 'operativ-gruppe',
        actor_agency: 'OPERATIVE_GROUP',
        detail: { level: 1 },
        item_count: board.body.items.length,
        pathway_id: null,
      },
    ]);
    // A refused read is no read: nothing written.
    expect((await http(stack, 'GET', '/escalations', undefined, { as: 'ssp-sagsbehandler' })).status).toBe(403);
    expect(await auditRows('LIST_ESCALATIONS')).toHaveLength(before + 1);
  });

  it('"next task" is audited with the task it gave', async () => {
    const before = (await auditRows('TAKE_NEXT_TASK')).length;
    const next = await http(stack, 'POST', '/agencies/SSP/tasks/next', {}, { as: 'ssp-sagsbehandler' });
    const rows = (await auditRows('TAKE_NEXT_TASK')).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_user_id: 'ssp-sagsbehandler', detail: { agency: 'SSP' } });
    expect(rows[0].item_count).toBe(next.status === 200 ? 1 : 0);
    if (next.status === 200) expect(next.body.task.assignee).toBe('ssp-sagsbehandler');
  });

  it('gives notifications random ids, and the outbox one row per dedup key however often a batch is written', async () => {
    const rows: { id: string; dedup_key: string; agency_code: string }[] = await stack.db.query(
      `SELECT id, dedup_key, agency_code FROM notifications WHERE pathway_id = $1`,
      [pathways[0].id],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.id).toMatch(UUID);
      expect(row.dedup_key).toBe(`${pathways[0].id}:${row.dedup_key.split(':')[1]}:${row.agency_code}`);
      expect(row.id).not.toContain(pathways[0].id);
    }
    // The same message again under a new id (a batch written twice): the dedup key keeps it out.
    const [first] = rows;
    await stack.db.query(
      `INSERT INTO notifications (id, dedup_key, agency_code, kind, pathway_id, status)
       VALUES (gen_random_uuid()::text, $1, $2, 'TASK_ASSIGNED', $3, 'PENDING') ON CONFLICT DO NOTHING`,
      [first.dedup_key, first.agency_code, pathways[0].id],
    );
    const after = await stack.db.query(`SELECT count(*)::int AS n FROM notifications WHERE dedup_key = $1`, [
      first.dedup_key,
    ]);
    expect(after[0].n).toBe(1);
  });
});

describe('requests without a valid token, per client address', () => {
  let stack: TestStack;
  const LIMIT = 5;

  beforeAll(async () => {
    stack = await startStack({ worker: false, api: { anonymousRateLimit: { limit: LIMIT, windowMs: 60_000 } } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 429 with Retry-After after a few fast bad-token requests; signed-in people and /health go on', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < LIMIT + 5; i++) {
      const res = await fetch(`${stack.baseUrl}/agencies/SSP/tasks`, {
        headers: { authorization: `Bearer not.a.token${i}` },
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      await res.body?.cancel();
    }
    expect(statuses.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(statuses.slice(LIMIT)).toEqual(Array(5).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // No token at all, and a public route, count against the same address.
    expect((await fetch(`${stack.baseUrl}/agencies`)).status).toBe(429);
    expect((await fetch(`${stack.baseUrl}/metrics`)).status).toBe(429);
    // A colleague behind the same address with a good token is not held back; nor is the load balancer.
    expect((await http(stack, 'GET', '/agencies', undefined, { as: 'ssp-sagsbehandler' })).status).toBe(200);
    expect((await fetch(`${stack.baseUrl}/health`)).status).not.toBe(429);
  });
});
