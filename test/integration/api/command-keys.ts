// Commands on a running pathway are safe to retry (issue 14): under one Idempotency-Key a command is applied once,
// however many times and however concurrently it is sent, and every repeat gets the first answer. Facts that may not
// repeat are refused by the rules even without a key. Real API, worker, Temporal, PostgreSQL.
import { temporal } from '@temporalio/proto';
import { PersonKeys } from '../../../libs/persistence/src';
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

  it('keeps the first answer sealed once, under the person’s key: the name is nowhere in command_keys; a clear answer is no answer', async () => {
    const pathway = await open();
    const body = event('CONSENT_GIVEN');
    const first = await record(pathway.id, body, 'sealed-answer-0001');
    expect(first.status).toBe(200);
    expect(first.body.person.name).toBe('Testperson Nørrebro');
    const answerRow = async () =>
      (await stack.db.query(`SELECT answer::text AS answer FROM command_keys WHERE pathway_id = $1`, [pathway.id]))[0]
        .answer as string;
    const row = await answerRow();
    // Sealed under the person's key (libs/persistence/src/idempotency.repository.ts), and only there: opened with that
    // key it is the answer itself, not another ciphertext.
    const stored = JSON.parse(row);
    expect(stored).toEqual({ keyId: expect.any(String), sealed: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    const [personKey] = await stack.db.query(`SELECT id FROM person_keys WHERE pathway_id = $1`, [pathway.id]);
    expect(stored.keyId).toBe(personKey.id);
    const keys = new PersonKeys(stack.db, stack.temporal.payloadKeys);
    expect(await keys.open(stored.keyId, Buffer.from(stored.sealed, 'base64'))).toEqual({ answer: first.body });
    expect(row).not.toContain('Testperson');
    expect(row).not.toContain(pathway.id);
    expect(await record(pathway.id, body, 'sealed-answer-0001')).toEqual(first);

    // An answer written before answers were sealed once (the client codec's encrypted payload inside the person-key
    // seal) is still served for the day it is kept.
    const { payloadConverter, payloadCodecs } = stack.client.options.loadedDataConverter;
    let payloads = [payloadConverter.toPayload({ ...first.body, keptBefore: true })];
    for (const codec of payloadCodecs) payloads = await codec.encode(payloads);
    const legacy = {
      sealed: Buffer.from(temporal.api.common.v1.Payload.encode(payloads[0]).finish()).toString('base64'),
    };
    const key = await keys.ensure(pathway.id);
    await stack.db.query(`UPDATE command_keys SET answer = $2 WHERE pathway_id = $1`, [
      pathway.id,
      JSON.stringify({ sealed: keys.seal(key, legacy).toString('base64'), keyId: key.keyId }),
    ]);
    const fromLegacy = await record(pathway.id, body, 'sealed-answer-0001');
    expect(fromLegacy).toEqual({ status: 200, body: { ...first.body, keptBefore: true } });

    // An answer kept in clear (written by hand, in either shape) is not served: the Update is sent again under its
    // id, Temporal applies it once, and the answer is read afresh.
    for (const clear of [{ forged: true }, { answer: { ...first.body, forged: true } }]) {
      await stack.db.query(`UPDATE command_keys SET answer = $2 WHERE pathway_id = $1`, [
        pathway.id,
        JSON.stringify(clear),
      ]);
      const again = await record(pathway.id, body, 'sealed-answer-0001');
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: pathway.id, consent: true });
      expect(again.body.forged).toBeUndefined();
    }
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

  it('a start repeated with its key → one pathway, the repeat 200; the same key with another person → 409', async () => {
    const body = pathwayRequest({ age: 19 });
    const key = `start-key-${Date.now()}`;
    const start = (sent: unknown) =>
      http(stack, 'POST', '/pathways', sent, { as: 'lokalpoliti-sagsbehandler', 'Idempotency-Key': key });
    const first = await start(body);
    expect(first.status).toBe(201);
    const repeat = await start(body);
    expect(repeat.status).toBe(200);
    // As a read answers the local police: the id and stage, not the person or the work since.
    expect(repeat.body).toMatchObject({ id: first.body.id, stage: 'CONTACT' });
    expect(repeat.body.person).toBeUndefined();
    const other = await start(pathwayRequest({ age: 21 }));
    expect([other.status, other.body.message]).toEqual([
      409,
      'this Idempotency-Key was already used for a different request',
    ]);
    const rows: { n: string }[] = await stack.db.query(`SELECT count(*) AS n FROM pathways WHERE id = $1`, [
      first.body.id,
    ]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('a closure confirm, reject and reopen retried with their keys → the first answer; without a key the retry is refused', async () => {
    const ask = async (id: string) => {
      const asked = await http(stack, 'POST', `/pathways/${id}/events`, event('CLOSED', { outcome: 'DEREGISTERED' }), {
        as: 'koordinator',
      });
      expect(asked.status).toBe(200);
    };
    const closure = (id: string, path: string, body: unknown, key?: string) =>
      http(stack, 'POST', `/pathways/${id}/${path}`, body, {
        as: 'koordinator2',
        ...(key ? { 'Idempotency-Key': key } : {}),
      });

    // Reject: a retry under the key is the first answer, not "no closure waits".
    const rejected = await open();
    await ask(rejected.id);
    const reason = { reason: 'Forløbet fortsætter' };
    const [r1, r2] = await Promise.all([
      closure(rejected.id, 'closure/reject', reason, `reject-${rejected.id}`),
      closure(rejected.id, 'closure/reject', reason, `reject-${rejected.id}`),
    ]);
    expect(r1.status).toBe(200);
    expect(r2).toEqual(r1);
    expect(r1.body.pendingClosure).toBeUndefined();
    expect((await closure(rejected.id, 'closure/reject', reason)).status).toBe(409);

    // Confirm, then reopen, each retried.
    const pathway = await open();
    await ask(pathway.id);
    const confirm = () => closure(pathway.id, 'closure/confirm', undefined, `confirm-${pathway.id}`);
    const [c1, c2] = await Promise.all([confirm(), confirm()]);
    expect(c1.status).toBe(200);
    expect(c1.body.stage).toBe('CLOSED');
    expect(c2).toEqual(c1);
    expect(await confirm()).toEqual(c1);
    const unkeyed = await closure(pathway.id, 'closure/confirm', undefined);
    expect(unkeyed.status).toBe(409);

    const reopen = () => closure(pathway.id, 'reopen', { reason: 'Ny henvendelse' }, `reopen-${pathway.id}`);
    const [o1, o2] = await Promise.all([reopen(), reopen()]);
    expect(o1.status).toBe(200);
    expect(o1.body.stage).toBe('CONTACT');
    expect(o2).toEqual(o1);
    expect(await reopen()).toEqual(o1);
    const other = await closure(pathway.id, 'reopen', { reason: 'Noget andet' }, `reopen-${pathway.id}`);
    expect(other.status).toBe(409);
    const kinds = await timelineKinds(pathway.id);
    expect(kinds.filter((k) => k === 'PATHWAY_CLOSED')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'PATHWAY_REOPENED')).toHaveLength(1);
  });

  it('a bulk assignment retried with its key → the same results; each task claimed once', async () => {
    const [a, b] = [await open(16), await open(16)];
    const taskIds = [a, b].map((p) => p.tasks.find((t: any) => t.agency === 'SSP').id);
    for (let i = 0; i < 50; i++) {
      const users = await http(stack, 'GET', '/agencies/SSP/users', undefined, { as: 'ssp-teamleder' });
      if (users.body.some((u: any) => u.userId === 'ssp-teamleder')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const bulk = (userId = 'ssp-teamleder') =>
      http(
        stack,
        'POST',
        '/agencies/SSP/tasks/assign',
        { userId, taskIds },
        {
          as: 'ssp-teamleder',
          'Idempotency-Key': `bulk-assign-${taskIds[0]}`,
        },
      );
    const [first, second] = await Promise.all([bulk(), bulk()]);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: any) => r.status)).toEqual([200, 200]);
    expect(second).toEqual(first);
    expect(await bulk()).toEqual(first);
    for (const p of [a, b]) {
      const claimed = (await timelineKinds(p.id)).filter((k) => k === 'TASK_CLAIMED');
      expect(claimed).toHaveLength(1);
    }
  });
});
