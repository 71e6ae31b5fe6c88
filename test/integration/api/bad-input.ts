// Bad input gets a clear answer naming the field or the reason, and changes nothing: not the read model, not
// Temporal.
import playbookV1 from '../../../libs/domain/playbooks/v1.json';

/** v1 without its task for the investigation unit, which any playbook published since is refused for. */
const playbookV1NoOc = {
  ...playbookV1,
  stages: {
    ...playbookV1.stages,
    INTERVENTION: { tasks: playbookV1.stages.INTERVENTION.tasks.filter((t) => t.agency !== 'POLICE_OC') },
  },
};
import { CONTACT_WORKER, http, pathwayRequest, rowCounts, startStack, type TestStack } from '../../support/stack';

type Body = ReturnType<typeof pathwayRequest> & Record<string, any>;

function variant(change: (body: Body) => void): Body {
  const body = pathwayRequest() as Body;
  change(body);
  return body;
}

const tomorrow = () => new Date(Date.now() + 86400_000).toISOString();

describe('bad input', () => {
  let stack: TestStack;
  let openTaskId: string;
  /** The demo account of the open task's agency: a 16-year-old's CONTACT tasks are EAS's, SSP's and DKS's. */
  let openTaskWorker: string;
  let openPathwayId: string;
  beforeAll(async () => {
    stack = await startStack();
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    openTaskId = created.body.tasks[0].id;
    openTaskWorker = CONTACT_WORKER[created.body.tasks[0].agency];
    openPathwayId = created.body.id;
  });
  afterAll(async () => {
    await stack.stop();
  });

  async function historyLength(): Promise<number> {
    const handle = stack.client.workflow.getHandle(`pathway-${openPathwayId}`);
    return (await handle.fetchHistory()).events?.length ?? 0;
  }

  async function workflowCount(): Promise<number> {
    const { count } = await stack.client.workflow.count(`TaskQueue = "${stack.temporal.taskQueue}"`);
    return count;
  }

  const cases: [string, () => unknown, string, RegExp][] = [
    ['an unknown top-level field', () => variant((b) => (b.extra = 1)), 'extra', /should not exist/],
    [
      'an unknown nested field',
      () => variant((b) => ((b.person as any).cpr = '0101011234')),
      'person.cpr',
      /should not exist/,
    ],
    ['a missing person', () => variant((b) => delete (b as any).person), 'person', /is required/],
    ['a missing name', () => variant((b) => delete (b.person as any).name), 'person.name', /is required/],
    ['a blank name', () => variant((b) => (b.person.name = '   ')), 'person.name', /blank/],
    [
      'a birth date that is not a date',
      () => variant((b) => (b.person.birthDate = '2010-02-30')),
      'person.birthDate',
      /real date/,
    ],
    [
      'a birth date in another format',
      () => variant((b) => (b.person.birthDate = '17-05-2010')),
      'person.birthDate',
      /YYYY-MM-DD/,
    ],
    [
      'a birth date in the future',
      () => variant((b) => (b.person.birthDate = tomorrow().slice(0, 10))),
      'person.birthDate',
      /future/,
    ],
    [
      'an unknown district',
      () => variant((b) => (b.person.district = 'VESTERBRO')),
      'person.district',
      /^unknown district 'VESTERBRO'; districts in use are BISPEBJERG_NORDVEST, INDRE_NORREBRO, OTHER, TINGBJERG, YDRE_NORREBRO$/,
    ],
    [
      'an agency code of the wrong shape',
      () => variant((b) => (b.contact.sourceAgency = 'eki; drop')),
      'contact.sourceAgency',
      /agency code/,
    ],
    [
      'an occurredAt without a time zone',
      () => variant((b) => (b.contact.occurredAt = '2026-11-20T10:00:00')),
      'contact.occurredAt',
      /time zone/,
    ],
    [
      'an occurredAt with an offset no time zone has',
      () => variant((b) => (b.contact.occurredAt = '2026-11-20T10:00:00+16:00')),
      'contact.occurredAt',
      /time zone/,
    ],
    [
      'an occurredAt in the future',
      () => variant((b) => (b.contact.occurredAt = tomorrow())),
      'contact.occurredAt',
      /future/,
    ],
    ['a missing context', () => variant((b) => delete (b.contact as any).context), 'contact.context', /is required/],
    // PostgreSQL stores no NUL character: a name carrying one could never reach the read model.
    ['a NUL character in the name', () => variant((b) => (b.person.name = 'Test\u0000Testesen')), 'person.name', /NUL/],
    ['a NUL character in the context', () => variant((b) => (b.contact.context = '\u0000')), 'contact.context', /NUL/],
    ['a contact that is a list', () => variant((b) => ((b as any).contact = [b.contact])), 'contact', /object/],
    ['a person that is a list', () => variant((b) => ((b as any).person = [b.person])), 'person', /object/],
    [
      'a null livesWithParents',
      () => variant((b) => ((b.person as any).livesWithParents = null)),
      'person.livesWithParents',
      /boolean/,
    ],
    [
      'a non-boolean livesWithParents',
      () => variant((b) => ((b.person as any).livesWithParents = 'ja')),
      'person.livesWithParents',
      /boolean/,
    ],
  ];

  it.each(cases)(
    'POST /pathways with %s → 400 naming the field, nothing started',
    async (_name, body, field, reason) => {
      const before = await rowCounts(stack);
      const workflowsBefore = await workflowCount();
      const res = await http(stack, 'POST', '/pathways', body(), { as: 'lokalpoliti-sagsbehandler' });
      expect(res.status).toBe(400);
      const error = res.body.errors.find((e: any) => e.field === field);
      expect(error).toBeDefined();
      expect(error.reason).toMatch(reason);
      expect(res.body.message).toContain(field);
      expect(await rowCounts(stack)).toEqual(before);
      expect(await workflowCount()).toBe(workflowsBefore);
    },
  );

  it('POST /pathways with malformed JSON → 400 that does not quote the body', async () => {
    const res = await http(stack, 'POST', '/pathways', '{"person": {"name": Zelda Quixotefjord', {
      as: 'koordinator',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body', reason: 'is not valid JSON' }]);
    expect(JSON.stringify(res.body)).not.toContain('Zelda');
  });

  it.each([
    ['a body over 1 MB', () => JSON.stringify({ ...pathwayRequest(), pad: 'x'.repeat(1_100_000) }), {}, 413, 'body'],
    [
      'a text/plain body',
      () => JSON.stringify(pathwayRequest()),
      { 'content-type': 'text/plain' },
      415,
      'Content-Type',
    ],
    [
      'a body in latin-1',
      () => JSON.stringify(pathwayRequest()),
      { 'content-type': 'application/json; charset=latin1' },
      415,
      'body',
    ],
    [
      'a gzip header on a plain body',
      () => JSON.stringify(pathwayRequest()),
      { 'content-encoding': 'gzip' },
      400,
      'body',
    ],
    ['an unknown content encoding', () => JSON.stringify(pathwayRequest()), { 'content-encoding': 'br2' }, 415, 'body'],
    ['100,000 nested arrays', () => `{"person": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, {}, 400, 'body'],
  ])(
    'POST /pathways with %s → the status and the field, nothing started',
    async (_name, body, headers, status, field) => {
      const before = await rowCounts(stack);
      const workflowsBefore = await workflowCount();
      const res = await http(stack, 'POST', '/pathways', body(), { ...headers, as: 'koordinator' });
      expect(res.status).toBe(status);
      expect(res.body.errors.map((e: any) => e.field)).toEqual([field]);
      expect(await rowCounts(stack)).toEqual(before);
      expect(await workflowCount()).toBe(workflowsBefore);
    },
  );

  it('POST /pathways with a bad Idempotency-Key → 400 naming the header', async () => {
    const res = await http(stack, 'POST', '/pathways', pathwayRequest(), {
      as: 'lokalpoliti-sagsbehandler',
      'idempotency-key': 'x',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', reason: expect.stringMatching(/8-200/) }]);
  });

  it('POST /pathways naming an agency in X-Agency but without a token → 401, nothing started', async () => {
    const before = await rowCounts(stack);
    const workflowsBefore = await workflowCount();
    const res = await http(stack, 'POST', '/pathways', pathwayRequest(), {
      as: 'anonymous',
      'X-Agency': 'POLICE_LOCAL',
    });
    expect(res.status).toBe(401);
    expect(await rowCounts(stack)).toEqual(before);
    expect(await workflowCount()).toBe(workflowsBefore);
  });

  it('GET /pathways/:id for an unknown or malformed id → 404', async () => {
    for (const id of ['0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11', 'not-a-uuid']) {
      const res = await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' });
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('no pathway');
    }
  });

  it('a 404 does not write back a name typed where an id belongs', async () => {
    for (const path of ['/pathways/Z', '/tasks/Z', '/agencies/Z/tasks', '/playbooks/Z', '/no-such-route/Z']) {
      const res = await http(stack, 'GET', path.replace('Z', 'Zelda%20Quixotefjord'), undefined, {
        as: 'koordinator',
      });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body.message).not.toContain('Zelda');
    }
    const resolve = await http(
      stack,
      'POST',
      '/escalations/Zelda%20Quixotefjord/resolve',
      {
        decision: 'NOTE',
        note: 'x',
      },
      { as: 'operativ-koordinator' },
    );
    expect(resolve.status).toBe(404);
    expect(resolve.body.message).not.toContain('Zelda');
  });

  it('a playbook migration to a version no playbook can have → 400 naming the version', async () => {
    const eventsBefore = await historyLength();
    for (const version of [2147483648, 1e20]) {
      const res = await http(
        stack,
        'POST',
        `/pathways/${openPathwayId}/playbook-migration`,
        { version, reason: 'r' },
        {
          as: 'operativ-koordinator',
        },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toEqual(['version']);
    }
    expect(await historyLength()).toBe(eventsBefore);
  });

  it('GET /agencies/:code/tasks for an unknown agency → 404; a forged cursor or a bad limit → 400', async () => {
    expect((await http(stack, 'GET', '/agencies/NOPE/tasks', undefined, { as: 'koordinator' })).status).toBe(404);
    const cursor = await http(stack, 'GET', '/agencies/POLICE_EAS/tasks?cursor=abc', undefined, { as: 'koordinator' });
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].field).toBe('cursor');
    const limit = await http(stack, 'GET', '/agencies/POLICE_EAS/tasks?limit=0', undefined, { as: 'koordinator' });
    expect(limit.status).toBe(400);
    expect(limit.body.errors[0].field).toBe('limit');
  });

  it('POST /tasks/:id/complete with an unknown task id → 404, nothing changed', async () => {
    const before = await rowCounts(stack);
    const res = await http(
      stack,
      'POST',
      '/tasks/0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11/complete',
      { outcome: 'DONE' },
      { as: 'koordinator' },
    );
    expect(res.status).toBe(404);
    expect(res.body.message).toContain('no task');
    expect(await rowCounts(stack)).toEqual(before);
  });

  it.each([
    ['no outcome', {}, 'outcome'],
    ['a blank outcome', { outcome: '  ' }, 'outcome'],
    ['free text for an outcome', { outcome: 'Udført' }, 'outcome'],
    ['a blank note', { outcome: 'DONE', note: '  ' }, 'note'],
    ['a note that is too long', { outcome: 'DONE', note: 'x'.repeat(501) }, 'note'],
    ['an unknown field', { outcome: 'DONE', status: 'DONE' }, 'status'],
    ['a NUL character in the note', { outcome: 'DONE', note: 'ok\u0000' }, 'note'],
    ['a lone surrogate in the note', { outcome: 'DONE', note: 'visit done \ud800' }, 'note'],
  ])('POST /tasks/:id/complete with %s → 400, the task stays open', async (_name, body, field) => {
    const before = await rowCounts(stack);
    const eventsBefore = await historyLength();
    const res = await http(stack, 'POST', `/tasks/${openTaskId}/complete`, body, { as: openTaskWorker });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    expect(await rowCounts(stack)).toEqual(before);
    expect(await historyLength()).toBe(eventsBefore);
  });

  it('a NUL character anywhere a client can put text → 400 naming where, nothing changed', async () => {
    const before = await rowCounts(stack);
    const eventsBefore = await historyLength();
    const requests: [string, string, unknown, string][] = [
      [
        'POST',
        `/pathways/${openPathwayId}/events`,
        { type: 'CLOSED', data: { outcome: 'slut\u0000' } },
        'data.outcome',
      ],
      ['POST', `/tasks/${openTaskId}/claim`, { assignee: 'a\u0000' }, 'assignee'],
      ['GET', '/agencies/POLICE_EAS/tasks?assignee=a%00b', undefined, 'assignee'],
      ['GET', `/pathways/a%00b`, undefined, 'id'],
      ['POST', '/playbooks', { ...playbookV1NoOc, version: 99, name: 'drill \ud800 v4' }, 'name'],
    ];
    for (const [method, path, body, field] of requests) {
      const res = await http(stack, method, path, body, { as: 'koordinator' });
      expect({ path, status: res.status, errors: res.body.errors }).toEqual({
        path,
        status: 400,
        errors: [{ field, reason: expect.stringMatching(/NUL|surrogate/) }],
      });
    }
    expect(await rowCounts(stack)).toEqual(before);
    expect(await historyLength()).toBe(eventsBefore);
  });
});

describe('forged cursors', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Reads of empty lists: no workflow runs, so no worker.
    stack = await startStack({ worker: false });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const forge = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
  const uuid = '11111111-1111-4111-8111-111111111111';
  // Each is well formed for its list but holds what PostgreSQL would refuse to cast: 400, not a database error.
  it.each([
    ['/agencies/EKI/tasks', ['queue', 0, '1', uuid]],
    ['/agencies/EKI/tasks', ['queue', 0, '2026-02-30 10:00:00+00', uuid]],
    ['/agencies/EKI/tasks', ['queue', 0, '2026-11-25 10:00:00+00', '-'.repeat(36)]],
    ['/escalations', ['escalations', 1, '1', 'x']],
    ['/escalations', ['escalations', 1, '2026-02-30T00:00:00.000Z', 'x']],
    ['/escalations', ['escalations', 1, '+275760-09-13T00:00:00.000Z', 'x']],
    ['/escalations', ['escalations', 1, '2026-11-25T00:00:00.000Z', 'x\u0000']],
    ['/notifications/dead-letters', ['dead-letters', '0000-01-01T00:00:00.000000Z', 'x']],
    ['/pathways', ['pathways', '0000-01-01T00:00:00.000Z', uuid]],
    ['/pathways', ['pathways', '2026-01-01T00:00:00+16:00', uuid]],
    ['/agencies/EKI/tasks', ['queue', 1, '2026-01-01 00:00:00+16', uuid]],
    ['/escalations', ['escalations', 1, '9999-12-31T23:00:00-14:00', 'x']],
  ])('%s with the cursor %j → 400 naming the cursor', async (path, parts) => {
    // Dead letters are an administrator's; the rest the operative group's.
    const as = path.startsWith('/notifications') ? 'admin' : 'operativ-koordinator';
    const res = await http(stack, 'GET', `${path}?cursor=${forge(parts)}`, undefined, { as });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.field)).toEqual(['cursor']);
  });
});
