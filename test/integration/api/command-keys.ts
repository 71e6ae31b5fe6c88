// Commands on a running pathway are safe to retry (issue 14): under one Idempotency-Key a command is applied once,
// however many times and however concurrently it is sent, and every repeat gets the first answer. Facts that may not
// repeat are refused by the rules even without a key. Real API, worker, Temporal, PostgreSQL.
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);
const event = (type: string, data?: unknown) => ({ type, occurredAt: hourAgo(), ...(data ? { data } : {}) });

describe('Idempotency-Key on commands', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  async function open(age = 20): Promise<any> {
    const res = await http(stack, 'POST', '/pathways', pathwayRequest({ age }), { as: 'lokalpoliti-sagsbehandler' });
    expect(res.status).toBe(201);
    return res.body;
  }

  const record = (id: string, body: unknown, key?: string) =>
    http(stack, 'POST', `/pathways/${id}/events`, body, {
      as: 'koordinator',
      ...(key ? { 'Idempotency-Key': key } : {}),
    });

  const timelineKinds = async (id: string): Promise<string[]> => {
    const res = await http(stack, 'GET', `/pathways/${id}/timeline`, undefined, { as: 'koordinator' });
    return res.body.items.map((e: any) => e.kind);
  };

  it('the same event sent 10× at once with one key → one timeline entry and 10 identical answers', async () => {
    const pathway = await open();
    const before = await timelineKinds(pathway.id);
    const body = event('CONSENT_GIVEN');
    const answers = await Promise.all(Array.from({ length: 10 }, () => record(pathway.id, body, 'consent-retry-0001')));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers[0].body).toMatchObject({ id: pathway.id, consent: true });
    for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
    const after = await timelineKinds(pathway.id);
    expect(after.length - before.length).toBe(1);
    // A late retry (the first answer was lost) gets the same answer, not a refusal of consent given twice.
    const late = await record(pathway.id, body, 'consent-retry-0001');
    expect(late).toEqual({ status: 200, body: answers[0].body });
    expect(await timelineKinds(pathway.id)).toEqual(after);
  });

  it('keeps the first answer encrypted: the person’s name is nowhere in command_keys; a clear answer is no answer', async () => {
    const pathway = await open();
    const body = event('CONSENT_GIVEN');
    const first = await record(pathway.id, body, 'sealed-answer-0001');
    expect(first.status).toBe(200);
    expect(first.body.person.name).toBe('Testperson Nørrebro');
    const [row] = await stack.db.query(`SELECT answer::text AS answer FROM command_keys WHERE pathway_id = $1`, [
      pathway.id,
    ]);
    expect(JSON.parse(row.answer)).toEqual({ sealed: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    expect(row.answer).not.toContain('Testperson');
    expect(row.answer).not.toContain(pathway.id);
    expect(await record(pathway.id, body, 'sealed-answer-0001')).toEqual(first);
    // An answer kept in clear (as before answers were sealed) is not served: the Update is sent again under its id,
    // Temporal applies it once, and the answer is read afresh.
    await stack.db.query(`UPDATE command_keys SET answer = $2 WHERE pathway_id = $1`, [
      pathway.id,
      JSON.stringify({ forged: true }),
    ]);
    const again = await record(pathway.id, body, 'sealed-answer-0001');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: pathway.id, consent: true });
    expect(again.body.forged).toBeUndefined();
  });

  it('the same key with another body → 409, nothing recorded', async () => {
    const pathway = await open();
    const first = await record(pathway.id, event('MOVED', { district: 'TINGBJERG' }), 'move-key-0001');
    expect(first.status).toBe(200);
    const before = await timelineKinds(pathway.id);
    const other = await record(pathway.id, event('MOVED', { district: 'BISPEBJERG' }), 'move-key-0001');
    expect(other.status).toBe(409);
    expect(other.body.message).toBe('this Idempotency-Key was already used for a different request');
    expect(await timelineKinds(pathway.id)).toEqual(before);
  });

  it('a key is the pathway’s: the same key on another pathway is another command', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const body = event('MOVED', { district: 'TINGBJERG' });
    expect((await record(a.id, body, 'shared-key-0001')).status).toBe(200);
    const onB = await record(b.id, body, 'shared-key-0001');
    expect(onB.status).toBe(200);
    expect(onB.body).toMatchObject({ id: b.id, district: 'TINGBJERG' });
  });

  it('a refused command frees its key: the client may send the corrected request under it', async () => {
    const pathway = await open();
    const refused = await record(pathway.id, event('PLACED', { kind: 'JOB' }), 'refused-key-01');
    expect(refused.status).toBe(409);
    const next = await record(pathway.id, event('CONSENT_GIVEN'), 'refused-key-01');
    expect(next.status).toBe(200);
  });

  it('a malformed key → 400 naming the header', async () => {
    const pathway = await open();
    const res = await record(pathway.id, event('CONSENT_GIVEN'), 'short');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'Idempotency-Key', reason: 'must be 8-200 visible ASCII characters' }]);
  });

  it('an integration without a key still records; consent given twice → 409 by the rules', async () => {
    const pathway = await open();
    expect((await record(pathway.id, event('CONSENT_GIVEN'))).status).toBe(200);
    const again = await record(pathway.id, event('CONSENT_GIVEN'));
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('consent is already given; record CONSENT_WITHDRAWN first');
    expect((await record(pathway.id, event('CONSENT_WITHDRAWN'))).status).toBe(200);
    expect((await record(pathway.id, event('CONSENT_GIVEN'))).status).toBe(200);
  });

  it('without a key, 10 concurrent CONSENT_GIVEN → one applied, the other 9 refused (409)', async () => {
    const pathway = await open();
    const before = await timelineKinds(pathway.id);
    const answers = await Promise.all(Array.from({ length: 10 }, () => record(pathway.id, event('CONSENT_GIVEN'))));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    expect((await timelineKinds(pathway.id)).length - before.length).toBe(1);
  });

  it('a second SENTENCED with the same dates → 409; with other dates it is a new sentence', async () => {
    const pathway = await open();
    const sentence = { earliestParoleDate: inDays(200), fullTermDate: inDays(300) };
    expect((await record(pathway.id, event('SENTENCED', sentence))).status).toBe(200);
    const again = await record(pathway.id, event('SENTENCED', sentence));
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('this sentence is already recorded (the same dates)');
    const other = await record(pathway.id, event('SENTENCED', { ...sentence, fullTermDate: inDays(330) }));
    expect(other.status).toBe(200);
  });

  it('a task command repeated with its key → the first answer; the task is completed once', async () => {
    const pathway = await open(16);
    const task = pathway.tasks.find((t: any) => t.agency === 'SSP');
    const complete = () =>
      http(
        stack,
        'POST',
        `/tasks/${task.id}/complete`,
        { outcome: 'DONE', note: 'Hjemmebesøg gennemført' },
        { as: 'ssp-sagsbehandler', 'Idempotency-Key': `complete-${task.id}` },
      );
    const [first, second] = await Promise.all([complete(), complete()]);
    expect(first.status).toBe(200);
    expect(second).toEqual(first);
    expect(first.body.task).toMatchObject({ id: task.id, status: 'DONE' });
    const third = await complete();
    expect(third).toEqual(first);
    const timeline = await http(stack, 'GET', `/pathways/${pathway.id}/timeline`, undefined, { as: 'koordinator' });
    const done = timeline.body.items.filter((e: any) => e.kind === 'TASK_COMPLETED' && e.taskId === task.id);
    expect(done).toHaveLength(1);
  });

  it('a team lead’s assignment repeated with its key → the first answer; the task is claimed once', async () => {
    const pathway = await open(16);
    const task = pathway.tasks.find((t: any) => t.agency === 'SSP');
    // A person is assignable once the API has seen them sign in (recorded beside the request, so ask until listed).
    for (let i = 0; i < 50; i++) {
      const users = await http(stack, 'GET', '/agencies/SSP/users', undefined, { as: 'ssp-teamleder' });
      if (users.body.some((u: any) => u.userId === 'ssp-teamleder')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const assign = () =>
      http(
        stack,
        'POST',
        `/tasks/${task.id}/assign`,
        { userId: 'ssp-teamleder' },
        { as: 'ssp-teamleder', 'Idempotency-Key': `assign-${task.id}` },
      );
    const [first, second] = await Promise.all([assign(), assign()]);
    expect(first.status).toBe(200);
    expect(first.body.task).toMatchObject({ id: task.id, status: 'CLAIMED', assignee: 'ssp-teamleder' });
    expect(second).toEqual(first);
    // A late repeat under the key gets the first answer; without a key the same assignment is refused (409).
    expect(await assign()).toEqual(first);
    const unkeyed = await http(
      stack,
      'POST',
      `/tasks/${task.id}/assign`,
      { userId: 'ssp-teamleder' },
      { as: 'ssp-teamleder' },
    );
    expect([unkeyed.status, unkeyed.body.message]).toEqual([409, 'the task is already assigned to that person']);
    const timeline = await http(stack, 'GET', `/pathways/${pathway.id}/timeline`, undefined, { as: 'koordinator' });
    const claims = timeline.body.items.filter((e: any) => e.kind === 'TASK_CLAIMED' && e.taskId === task.id);
    expect(claims).toHaveLength(1);
  });
});
