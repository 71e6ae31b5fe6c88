// Closing a pathway takes two coordinators (four eyes), a closed pathway can be reopened within 30 days, and
// gang-related context is shown by role and agency (issue 9). Real API and worker on real Temporal and PostgreSQL;
// every call is a demo account signed in at the development issuer.
import { CONTACT_WORKER, http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

type Pathway = {
  id: string;
  stage: string;
  tasks: { id: string; key: string; agency: string; status: string }[];
  pendingClosure?: { outcome: string; requestedAt: string; requestedBy: string };
  closedAt?: string;
  closingOutcome?: string;
  reopenableUntil?: string;
  consent?: boolean;
  track?: string;
};

describe('four eyes, reopening and gang-related context', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ playbook: 2 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const now = () => new Date().toISOString();
  const open = async (name: string): Promise<Pathway> => {
    const created = await http(
      stack,
      'POST',
      '/pathways',
      pathwayRequest({ name, age: 21, sourceAgency: 'POLICE_EAS' }),
      {
        as: 'koordinator',
      },
    );
    expect(created.status).toBe(201);
    return created.body;
  };
  const event = (id: string, type: string, data: object, as: string) =>
    http<Pathway & { message?: string }>(
      stack,
      'POST',
      `/pathways/${id}/events`,
      { type, occurredAt: now(), data },
      { as },
    );
  const read = async (id: string, as = 'koordinator2'): Promise<Pathway> =>
    (await http(stack, 'GET', `/pathways/${id}`, undefined, { as })).body;
  const analysis = (p: Pathway) => p.tasks.filter((t) => t.key === 'eas-analysis');

  it('a coordinator’s CLOSED waits for a second coordinator: visible on the pathway, which runs on', async () => {
    const pathway = await open('Fire Øjne');
    const asked = await event(pathway.id, 'CLOSED', { outcome: 'DEREGISTERED' }, 'koordinator');
    expect(asked.status).toBe(200);
    expect(asked.body.stage).toBe('CONTACT');
    expect(asked.body.pendingClosure).toMatchObject({ outcome: 'DEREGISTERED', requestedBy: 'POLICE_EAS' });
    const seen = await read(pathway.id);
    expect(seen.pendingClosure?.outcome).toBe('DEREGISTERED');
    expect(analysis(seen).map((t) => t.status)).toEqual(['OPEN']);
    // The EAS caseworker's queue still holds the work.
    const queue = await http(stack, 'GET', '/agencies/POLICE_EAS/tasks', undefined, { as: 'eas-sagsbehandler' });
    expect(queue.body.items.map((t: { pathwayId: string }) => t.pathwayId)).toContain(pathway.id);

    // The coordinator who asked cannot confirm: 403 with the reason; nothing changes.
    const self = await http(stack, 'POST', `/pathways/${pathway.id}/closure/confirm`, undefined, { as: 'koordinator' });
    expect([self.status, self.body.message]).toEqual([
      403,
      'you asked for this closure: a second, different coordinator must confirm it (four eyes)',
    ]);
    // A caseworker is refused by the policy; a second CLOSED while one waits is a 409 saying so.
    const caseworker = await http(stack, 'POST', `/pathways/${pathway.id}/closure/confirm`, undefined, {
      as: 'eki-sagsbehandler',
    });
    expect(caseworker.status).toBe(403);
    const again = await event(pathway.id, 'CLOSED', { outcome: 'DECEASED' }, 'koordinator2');
    expect([again.status, again.body.message]).toEqual([
      409,
      'a closure (DEREGISTERED) already waits for a second coordinator to confirm or reject it',
    ]);
    expect((await read(pathway.id)).stage).toBe('CONTACT');

    // A second, different coordinator confirms: closed, its work cancelled, reopenable for 30 days.
    const confirmed = await http<Pathway>(stack, 'POST', `/pathways/${pathway.id}/closure/confirm`, undefined, {
      as: 'koordinator2',
    });
    expect(confirmed.status).toBe(200);
    expect([confirmed.body.stage, confirmed.body.closingOutcome, confirmed.body.pendingClosure]).toEqual([
      'CLOSED',
      'DEREGISTERED',
      undefined,
    ]);
    expect(analysis(confirmed.body).map((t) => t.status)).toEqual(['CANCELLED']);
    expect(Date.parse(confirmed.body.reopenableUntil!) - Date.parse(confirmed.body.closedAt!)).toBe(30 * 86_400_000);
    const twice = await http(stack, 'POST', `/pathways/${pathway.id}/closure/confirm`, undefined, {
      as: 'koordinator',
    });
    expect([twice.status, twice.body.message]).toEqual([409, 'the pathway is already closed']);

    // Reopened within 30 days: back in CONTACT, its work planned again; the cancelled task stays cancelled.
    const blank = await http(stack, 'POST', `/pathways/${pathway.id}/reopen`, { reason: ' ' }, { as: 'koordinator' });
    expect([blank.status, blank.body.errors?.[0]?.field]).toEqual([400, 'reason']);
    const byCaseworker = await http(
      stack,
      'POST',
      `/pathways/${pathway.id}/reopen`,
      { reason: 'x' },
      {
        as: 'eas-sagsbehandler',
      },
    );
    expect(byCaseworker.status).toBe(403);
    const reopened = await http<Pathway>(
      stack,
      'POST',
      `/pathways/${pathway.id}/reopen`,
      {
        reason: 'Afregistreringen var en fejl',
      },
      { as: 'koordinator' },
    );
    expect(reopened.status).toBe(200);
    expect([reopened.body.stage, reopened.body.closedAt, reopened.body.closingOutcome]).toEqual([
      'CONTACT',
      undefined,
      undefined,
    ]);
    expect(analysis(reopened.body).map((t) => t.status)).toEqual(['CANCELLED', 'OPEN']);
    const timeline = await http(stack, 'GET', `/pathways/${pathway.id}/timeline`, undefined, { as: 'koordinator' });
    expect(timeline.body.items.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['CLOSURE_REQUESTED', 'CLOSURE_CONFIRMED', 'PATHWAY_CLOSED', 'PATHWAY_REOPENED']),
    );
    const notClosed = await http(
      stack,
      'POST',
      `/pathways/${pathway.id}/reopen`,
      { reason: 'x' },
      { as: 'koordinator' },
    );
    expect([notClosed.status, notClosed.body.message]).toEqual([409, 'the pathway is not closed']);
  });

  it('a closure can be rejected with a reason (by the one who asked, too); the pathway runs on', async () => {
    const pathway = await open('Fortrudt Lukning');
    expect((await event(pathway.id, 'CLOSED', { outcome: 'OTHER' }, 'koordinator')).status).toBe(200);
    const noReason = await http(stack, 'POST', `/pathways/${pathway.id}/closure/reject`, {}, { as: 'koordinator' });
    expect([noReason.status, noReason.body.errors?.[0]?.field]).toEqual([400, 'reason']);
    const rejected = await http<Pathway>(
      stack,
      'POST',
      `/pathways/${pathway.id}/closure/reject`,
      {
        reason: 'Fejlregistrering',
      },
      { as: 'koordinator' },
    );
    expect([rejected.status, rejected.body.stage, rejected.body.pendingClosure]).toEqual([200, 'CONTACT', undefined]);
    const nothing = await http(stack, 'POST', `/pathways/${pathway.id}/closure/confirm`, undefined, {
      as: 'koordinator2',
    });
    expect([nothing.status, nothing.body.message]).toEqual([
      409,
      'no closure waits for confirmation: a coordinator records CLOSED first',
    ]);
  });

  it('confirm, reject and reopen apply once per Idempotency-Key: a repeat gets the first answer', async () => {
    const pathway = await open('Nøgle Lukning');
    expect((await event(pathway.id, 'CLOSED', { outcome: 'OTHER' }, 'koordinator')).status).toBe(200);
    const reject = (key: string, reason: string) =>
      http<Pathway & { message?: string }>(
        stack,
        'POST',
        `/pathways/${pathway.id}/closure/reject`,
        { reason },
        {
          as: 'koordinator2',
          'Idempotency-Key': key,
        },
      );
    const rejected = await reject('afvis-noegle-1', 'Forløbet fortsætter');
    expect([rejected.status, rejected.body.pendingClosure]).toEqual([200, undefined]);
    // The answer was lost, the browser sends it again: the first answer, not "no closure waits".
    expect(await reject('afvis-noegle-1', 'Forløbet fortsætter')).toMatchObject({ status: 200, body: rejected.body });
    const other = await reject('afvis-noegle-1', 'Noget andet');
    expect([other.status, other.body.message]).toEqual([
      409,
      'this Idempotency-Key was already used for a different request',
    ]);

    expect((await event(pathway.id, 'CLOSED', { outcome: 'MOVED' }, 'koordinator')).status).toBe(200);
    const confirm = () =>
      http<Pathway>(stack, 'POST', `/pathways/${pathway.id}/closure/confirm`, undefined, {
        as: 'koordinator2',
        'Idempotency-Key': 'bekraeft-noegle-1',
      });
    const confirmed = await confirm();
    expect([confirmed.status, confirmed.body.stage]).toEqual([200, 'CLOSED']);
    expect(await confirm()).toMatchObject({
      status: 200,
      body: { stage: 'CLOSED', closedAt: confirmed.body.closedAt },
    });

    const reopen = () =>
      http<Pathway>(
        stack,
        'POST',
        `/pathways/${pathway.id}/reopen`,
        { reason: 'Flyttede ikke alligevel' },
        {
          as: 'koordinator',
          'Idempotency-Key': 'genaabn-noegle-1',
        },
      );
    const reopened = await reopen();
    expect([reopened.status, reopened.body.stage]).toEqual([200, 'CONTACT']);
    expect(await reopen()).toMatchObject({ status: 200, body: { stage: 'CONTACT' } });
    // Once each in the pathway's history.
    const timeline = await http(stack, 'GET', `/pathways/${pathway.id}/timeline`, undefined, { as: 'koordinator' });
    const kinds = timeline.body.items.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'PATHWAY_REOPENED')).toHaveLength(1);
    expect(kinds.filter((k: string) => k === 'CLOSURE_CONFIRMED')).toHaveLength(1);
  });

  it('more than 30 days after closing, a reopen is refused with why', async () => {
    const pathway = await open('Lukket Længe');
    await event(pathway.id, 'CLOSED', { outcome: 'MOVED' }, 'koordinator2');
    expect(
      (await http(stack, 'POST', `/pathways/${pathway.id}/closure/confirm`, undefined, { as: 'koordinator' })).status,
    ).toBe(200);
    // The read model says it closed 31 days ago (the workflow's own 29/31-day rule is in the machine's unit tests).
    const closedAt = new Date(Date.now() - 31 * 86_400_000);
    await stack.db.query('UPDATE pathways SET closed_at = $2 WHERE id = $1', [pathway.id, closedAt]);
    const late = await http(
      stack,
      'POST',
      `/pathways/${pathway.id}/reopen`,
      { reason: 'For sent' },
      { as: 'koordinator' },
    );
    expect(late.status).toBe(409);
    expect(late.body.message).toBe(
      `the pathway was closed on ${closedAt.toISOString().slice(0, 10)}: a pathway can be reopened only within 30 ` +
        `days of closing (until ${new Date(closedAt.getTime() + 30 * 86_400_000).toISOString()})`,
    );
  });

  it('after the track changes to investigation only, SSP sees its task cancelled with a code, never why', async () => {
    const created = await http<Pathway>(
      stack,
      'POST',
      '/pathways',
      pathwayRequest({ name: 'Kodet Årsag', age: 16, sourceAgency: 'POLICE_EAS' }),
      { as: 'koordinator' },
    );
    for (const task of created.body.tasks) {
      const done = await http(
        stack,
        'POST',
        `/tasks/${task.id}/complete`,
        { outcome: 'DONE' },
        { as: CONTACT_WORKER[task.agency] },
      );
      expect(done.status).toBe(200);
    }
    const id = created.body.id;
    const prevention = await event(id, 'ASSESSED', { track: 'PREVENTION', reasons: 'Forebyggelse' }, 'koordinator');
    expect(prevention.body.stage).toBe('INTERVENTION');
    const sspTask = prevention.body.tasks.find((t) => t.agency === 'SSP' && t.status === 'OPEN')!;
    const investigation = await event(
      id,
      'ASSESSED',
      { track: 'INVESTIGATION_ONLY', reasons: 'Personen følges alene efterforskningsmæssigt' },
      'koordinator',
    );
    expect([investigation.body.stage, investigation.body.closingOutcome]).toEqual([
      'CLOSED',
      'REFERRED_TO_INVESTIGATION',
    ]);
    const queue = await http(stack, 'GET', '/agencies/SSP/tasks', undefined, { as: 'ssp-sagsbehandler' });
    expect(queue.body.items.map((t: { id: string }) => t.id)).not.toContain(sspTask.id);
    const read = await http(stack, 'GET', `/tasks/${sspTask.id}`, undefined, { as: 'ssp-sagsbehandler' });
    expect(read.status).toBe(200);
    expect(read.body.task).toMatchObject({ status: 'CANCELLED', cancelCode: 'PATHWAY_CLOSED' });
    expect(read.body.task).not.toHaveProperty('cancelReason');
    const text = JSON.stringify(read.body);
    for (const secret of ['INVESTIGATION', 'REFERRED', 'efterforsk', 'track']) expect(text).not.toContain(secret);
  });

  describe('gang-related context by role and agency', () => {
    let pathway: Pathway;
    const task = (agency: string) => pathway.tasks.find((t) => t.agency === agency)!;

    beforeAll(async () => {
      pathway = await open('Kontekst Testesen');
      // A sentence gives EKI and Jobcenter work (playbook v2's køreplan notices).
      const sentenced = await event(pathway.id, 'SENTENCED', {}, 'koordinator');
      expect(sentenced.status).toBe(200);
      pathway = sentenced.body;
      expect([task('JOBCENTER'), task('EKI')].every(Boolean)).toBe(true);
    });

    it('a Jobcenter caseworker reading its task sees the person, not the context; an EKI caseworker sees both', async () => {
      const jobcenter = await http(stack, 'GET', `/tasks/${task('JOBCENTER').id}`, undefined, {
        as: 'jobcenter-sagsbehandler',
      });
      expect(jobcenter.status).toBe(200);
      expect(jobcenter.body.person.name).toBe('Kontekst Testesen');
      expect(jobcenter.body.context).toBeUndefined();
      expect(JSON.stringify(jobcenter.body)).not.toContain('kendte medlemmer');
      const eki = await http(stack, 'GET', `/tasks/${task('EKI').id}`, undefined, { as: 'eki-sagsbehandler' });
      expect(eki.status).toBe(200);
      expect(eki.body.context).toMatchObject({
        contactSourceAgency: 'POLICE_EAS',
        contactContext: 'Set sammen med kendte medlemmer af en gruppering',
      });
    });

    it('the answer to an event: consent and track for EKI, not for Jobcenter nor the investigation unit', async () => {
      const answer = async (as: string) => (await event(pathway.id, 'CONTACT_DIFFICULT', {}, as)).body;
      expect(await answer('eki-sagsbehandler')).toHaveProperty('consent', false);
      for (const as of ['jobcenter-sagsbehandler', 'oc-sagsbehandler']) {
        const body = await answer(as);
        expect(body.stage).toBe('CUSTODY');
        expect(body).not.toHaveProperty('consent');
        expect(body).not.toHaveProperty('track');
      }
    });
  });
});
