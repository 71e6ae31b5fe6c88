// Playbook 3 (playbook 2 with Tidlig helhedsindsats by need) and the issue-10 rules left, through HTTP on the real
// stack (API, worker, Temporal dev server, PostgreSQL): suggested tasks a coordinator adds, CHARGED as its own fact,
// a 17½-year-old's transition plan, SSP+ taking SSP's work at 18, and Exit begun in custody handed over at release.
import type { Playbook } from '../../../libs/domain/src';
import playbookV3 from '../../../libs/domain/playbooks/v3.json';
import { eventually, queueKeys, startDrill } from '../../support/drill';
import { CONTACT_WORKER, http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
const event = (type: string, data?: unknown) => ({ type, occurredAt: hourAgo(), ...(data ? { data } : {}) });
const COORDINATOR = { as: 'koordinator' };

describe('playbook 3 and the rules left from issue 10 on the real stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ playbook: 3 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const get = async (id: string) => (await http(stack, 'GET', `/pathways/${id}`, undefined, COORDINATOR)).body;
  const record = (id: string, type: string, data?: unknown) =>
    http(stack, 'POST', `/pathways/${id}/events`, event(type, data), { as: 'operativ-koordinator' });
  const complete = (task: any, as: string) =>
    http(stack, 'POST', `/tasks/${task.id}/complete`, { outcome: 'DONE' }, { as });
  const openKeys = (pathway: any, agency: string) =>
    pathway.tasks
      .filter((t: any) => t.agency === agency && t.status === 'OPEN')
      .map((t: any) => t.key)
      .sort();

  async function opened(body: unknown): Promise<any> {
    const created = await http(stack, 'POST', '/pathways', body, { as: 'lokalpoliti-sagsbehandler' });
    expect(created.status).toBe(201);
    return created.body;
  }

  /** An adult's pathway with its first contact done: in ASSESSMENT. */
  async function atAssessment(age: number): Promise<any> {
    const pathway = await opened(pathwayRequest({ age }));
    for (const task of pathway.tasks) expect((await complete(task, CONTACT_WORKER[task.agency])).status).toBe(200);
    expect((await get(pathway.id)).stage).toBe('ASSESSMENT');
    return pathway;
  }

  it('custody offers Tidlig helhedsindsats as a suggestion; a coordinator adds it and it is in Tidlig’s queue', async () => {
    const pathway = await opened(pathwayRequest({ age: 30 }));
    expect(pathway.playbookVersion).toBe(3);
    const url = `/pathways/${pathway.id}/suggested-tasks`;
    expect((await http(stack, 'GET', url, undefined, COORDINATOR)).body).toEqual({ suggestions: [] });

    expect((await record(pathway.id, 'REMANDED')).body.stage).toBe('CUSTODY');
    const custody = await get(pathway.id);
    expect(openKeys(custody, 'TIDLIG')).toEqual([]);
    const listed = await http(stack, 'GET', url, undefined, COORDINATOR);
    expect(listed.status).toBe(200);
    expect(listed.body.suggestions).toEqual([
      {
        key: 'tidlig-plan',
        stage: 'CUSTODY',
        // Why it is offered: the playbook's condition the person meets (Tidlig helhedsindsats is for adults).
        when: { minAge: 18 },
        agency: 'TIDLIG',
        type: 'EDUCATION_JOB_PLAN',
        title: 'Uddannelses- og jobplan bag murene (Tidlig helhedsindsats)',
        dueAt: expect.any(String),
      },
    ]);
    // Not for a caseworker; a key that is no suggestion now, or no key at all, is refused with why.
    expect((await http(stack, 'GET', url, undefined, { as: 'tidlig-sagsbehandler' })).status).toBe(403);
    expect((await http(stack, 'POST', url, { key: 'tidlig-plan' }, { as: 'tidlig-sagsbehandler' })).status).toBe(403);
    const wrong = await http(stack, 'POST', url, { key: 'eas-registration' }, COORDINATOR);
    expect(wrong.status).toBe(409);
    expect(wrong.body.message).toBe('eas-registration is not suggested for this pathway now; suggested: tidlig-plan');
    const bad = await http(stack, 'POST', url, { key: 'Tidlig plan!' }, COORDINATOR);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('key');

    const added = await http(
      stack,
      'POST',
      url,
      { key: 'tidlig-plan' },
      { ...COORDINATOR, 'idempotency-key': 'tidlig-plan-1' },
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      pathwayStage: 'CUSTODY',
      task: { key: 'tidlig-plan', agency: 'TIDLIG', status: 'OPEN', stage: 'CUSTODY' },
    });
    // The same request again gets the first answer, not a second task.
    const repeat = await http(
      stack,
      'POST',
      url,
      { key: 'tidlig-plan' },
      { ...COORDINATOR, 'idempotency-key': 'tidlig-plan-1' },
    );
    expect(repeat.body.task.id).toBe(added.body.task.id);
    expect(await queueKeys(stack, 'TIDLIG', pathway.id, 'tidlig-sagsbehandler')).toEqual(['tidlig-plan']);
    expect((await http(stack, 'GET', url, undefined, COORDINATOR)).body).toEqual({ suggestions: [] });
    const again = await http(stack, 'POST', url, { key: 'tidlig-plan' }, COORDINATOR);
    expect(again.status).toBe(409);
    const timeline = (await get(pathway.id)).timeline.map((e: any) => e.kind);
    expect(timeline.filter((k: string) => k === 'SUGGESTION_ADDED')).toHaveLength(1);
  });

  it('CHARGED is a fact on the timeline: the pathway stays where it was and nothing is planned', async () => {
    const pathway = await opened(pathwayRequest({ age: 30 }));
    const charged = await record(pathway.id, 'CHARGED');
    expect(charged.status).toBe(200);
    expect(charged.body.stage).toBe('CONTACT');
    const after = await get(pathway.id);
    expect(after.tasks.map((t: any) => t.key)).toEqual(['eas-analysis']);
    expect(after.timeline.at(-1)).toMatchObject({ kind: 'EVENT_RECORDED', detail: { type: 'CHARGED' } });
    // A charge is no arrest: there is nothing to be released from.
    expect((await record(pathway.id, 'RELEASED_AFTER_ARREST')).status).toBe(409);
  });

  it('a 17½-year-old: SSP gets the transition plan at once (six months before the 18th birthday)', async () => {
    // The 18th birthday in six months less three days: the transition plan's moment was three days ago.
    const birthday = new Date();
    birthday.setUTCMonth(birthday.getUTCMonth() + 6);
    birthday.setUTCDate(birthday.getUTCDate() - 3);
    birthday.setUTCFullYear(birthday.getUTCFullYear() - 18);
    const request = pathwayRequest({ age: 17 });
    request.person.birthDate = birthday.toISOString().slice(0, 10);
    const pathway = await opened(request);
    const withPlan = await eventually(
      () => get(pathway.id),
      (p) => p.tasks.some((t: any) => t.key === 'transition-plan'),
    );
    expect(withPlan.tasks.find((t: any) => t.key === 'transition-plan')).toMatchObject({
      agency: 'SSP',
      status: 'OPEN',
      stage: 'CONTACT',
    });
    expect(await queueKeys(stack, 'SSP', pathway.id, 'ssp-sagsbehandler')).toEqual(
      expect.arrayContaining(['ssp-home-visit', 'transition-plan']),
    );
  });

  it('at 18 SSP’s open work goes to SSP+ and DKS’s to the local police (a pathway turning adult in seconds)', async () => {
    const drill = await startDrill(stack, {
      age: 17,
      playbook: playbookV3 as Playbook,
      adultAt: new Date(Date.now() + 8000),
    });
    const before = await drill.status();
    expect(before.tasks.filter((t) => t.agency === 'SSP').map((t) => t.key)).toEqual(
      expect.arrayContaining(['ssp-home-visit', 'transition-plan']),
    );
    const keys = await eventually(
      () => queueKeys(stack, 'SSP_PLUS', drill.id, 'sspplus-sagsbehandler'),
      (k) => k.includes('ssp-home-visit'),
    );
    expect(keys.sort()).toEqual(['ssp-home-visit', 'transition-plan']);
    expect(await queueKeys(stack, 'SSP', drill.id, 'ssp-sagsbehandler')).toEqual([]);
    expect(await queueKeys(stack, 'POLICE_LOCAL', drill.id, 'lokalpoliti-sagsbehandler')).toContain('dks-home-visit');
  });

  it('Exit begun in custody: Kriminalforsorgen’s Exit work with consent, handed over to EKI at release', async () => {
    const pathway = await atAssessment(30);
    expect((await record(pathway.id, 'REMANDED')).body.stage).toBe('CUSTODY');
    const assessed = await record(pathway.id, 'ASSESSED', { track: 'EXIT_KK', reasons: 'Motiveret under varetægt' });
    expect(assessed.status).toBe(200);
    expect(assessed.body.stage).toBe('CUSTODY');
    expect(openKeys(await get(pathway.id), 'KRIMINALFORSORGEN')).toEqual([]);
    expect((await record(pathway.id, 'CONSENT_GIVEN')).status).toBe(200);
    const kf = 'kriminalforsorgen-sagsbehandler';
    expect(await queueKeys(stack, 'KRIMINALFORSORGEN', pathway.id, kf)).toEqual(['custody-exit']);

    expect((await record(pathway.id, 'RELEASED')).body.stage).toBe('REINTEGRATION');
    // Released: Kriminalforsorgen hands its Exit work to EKI, which acknowledges it.
    const exit = (await get(pathway.id)).tasks.find((t: any) => t.key === 'custody-exit');
    expect((await complete(exit, kf)).status).toBe(200);
    const eki = await queueKeys(stack, 'EKI', pathway.id, 'eki-sagsbehandler');
    expect(eki).toContain('custody-exit-ack');
    const ack = (await get(pathway.id)).tasks.find((t: any) => t.key === 'custody-exit-ack');
    expect((await complete(ack, 'eki-sagsbehandler')).status).toBe(200);
    const after = await get(pathway.id);
    expect(after.tasks.find((t: any) => t.key === 'custody-exit')).toMatchObject({ status: 'DONE' });
    expect(after.timeline.map((e: any) => e.kind)).toEqual(
      expect.arrayContaining(['HANDOVER_REQUESTED', 'HANDOVER_ACKNOWLEDGED']),
    );
    expect(await queueKeys(stack, 'KRIMINALFORSORGEN', pathway.id, kf)).toEqual([]);
  });
});
