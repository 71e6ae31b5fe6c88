// Playbook v2 as the default for new pathways, through HTTP on the real stack (API, worker, Temporal, PostgreSQL):
// a 15-year-old refused Exit, an arrest without remand that leaves the pathway where it was, a remand released
// without a sentence going back, and a sentence with both dates giving the køreplan's steps months ahead.
import { copenhagenDate, monthsBefore } from '../../../libs/domain/src';
import { CONTACT_WORKER, http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const DAY = 86_400_000;
const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const event = (type: string, data?: unknown) => ({ type, occurredAt: hourAgo(), ...(data ? { data } : {}) });
const EAS = { as: 'koordinator' };
/** Who works a CONTACT task's agency: the coordinator analyses, the caseworkers visit and notify. */

describe('playbook v2 on the real stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ playbook: 2 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const get = async (id: string) => (await http(stack, 'GET', `/pathways/${id}`, undefined, EAS)).body;
  /** Events are recorded by the operative group's coordinator. */
  async function record(id: string, type: string, data?: unknown) {
    return http(stack, 'POST', `/pathways/${id}/events`, event(type, data), { as: 'operativ-koordinator' });
  }
  /** Opened on the default playbook, with every CONTACT task done: in ASSESSMENT. */
  async function atAssessment(age: number): Promise<any> {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
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
    const pathway = await get(created.body.id);
    expect(pathway.stage).toBe('ASSESSMENT');
    return pathway;
  }
  const open = (pathway: any, agency: string) =>
    pathway.tasks
      .filter((t: any) => t.agency === agency && t.status === 'OPEN')
      .map((t: any) => t.key)
      .sort();

  it('new pathways start on v2: an adult’s first contact is an analysis, not a registration', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 30 }), {
      as: 'lokalpoliti-sagsbehandler',
    });

    expect(created.status).toBe(201);
    expect(created.body.playbookVersion).toBe(2);
    expect(created.body.tasks.map((t: any) => t.key)).toEqual(['eas-analysis']);
  });

  it('a 15-year-old: the underretning at contact, Exit refused with 409 naming the rule, prevention taken', async () => {
    const pathway = await atAssessment(15);
    expect(pathway.tasks.map((t: any) => t.key).sort()).toEqual(
      ['dks-home-visit', 'eas-analysis', 'joint-assessment', 'ssp-home-visit', 'underretning'].sort(),
    );
    const refused = await record(pathway.id, 'ASSESSED', { track: 'EXIT_KK', reasons: 'Ønsker exit' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/^EXIT_KK is for adults \(18 and over\)/);
    expect((await get(pathway.id)).stage).toBe('ASSESSMENT');
    const taken = await record(pathway.id, 'ASSESSED', { track: 'PREVENTION', reasons: 'Forebyggelse' });
    expect(taken.status).toBe(200);
    const after = await get(pathway.id);
    expect(after.stage).toBe('INTERVENTION');
    // The decision completed the operative group's task.
    expect(after.tasks.find((t: any) => t.key === 'joint-assessment')).toMatchObject({ status: 'DONE' });
  });

  it('an arrest without remand stays where it was; a remand released without a sentence goes back', async () => {
    const pathway = await atAssessment(24);
    expect((await record(pathway.id, 'ASSESSED', { track: 'OUTREACH', reasons: 'Opsøgende' })).status).toBe(200);
    const arrested = await record(pathway.id, 'ARRESTED');
    expect(arrested.status).toBe(200);
    expect(arrested.body.stage).toBe('INTERVENTION');
    expect(open(await get(pathway.id), 'EKI')).toEqual(['arrest-follow-up']);
    expect((await record(pathway.id, 'RELEASED_AFTER_ARREST')).body.stage).toBe('INTERVENTION');
    expect((await record(pathway.id, 'ARRESTED')).status).toBe(200);
    expect((await record(pathway.id, 'REMANDED')).body.stage).toBe('CUSTODY');
    const back = await record(pathway.id, 'RELEASED_AFTER_ARREST');
    expect(back.body.stage).toBe('INTERVENTION');
    const again = await record(pathway.id, 'RELEASED_AFTER_ARREST');
    expect(again.status).toBe(409);
  });

  it('a sentence with both dates: the køreplan notices at once, housing and income months ahead of parole', async () => {
    const pathway = await atAssessment(24);
    await record(pathway.id, 'ASSESSED', { track: 'OUTREACH', reasons: 'Opsøgende' });
    const parole = dateIn(300);
    const sentenced = await record(pathway.id, 'SENTENCED', { earliestParoleDate: parole, fullTermDate: dateIn(450) });
    expect(sentenced.status).toBe(200);
    const after = await get(pathway.id);
    expect(after.stage).toBe('CUSTODY');
    expect(open(after, 'JOBCENTER')).toEqual(['koereplan-notice-jobcenter', 'release-income']);
    expect(open(after, 'EKI')).toEqual(
      ['custody-motivation-talk', 'koereplan-notice-eki', 'release-housing', 'release-plan'].sort(),
    );
    const due = (key: string) => after.tasks.find((t: any) => t.key === key).dueAt;
    expect(copenhagenDate(new Date(due('release-housing')))).toBe(monthsBefore(parole, 3));
    expect(copenhagenDate(new Date(due('release-income')))).toBe(monthsBefore(parole, 2));
    expect(Date.parse(due('release-housing')) - Date.now()).toBeGreaterThan(180 * DAY);
    expect(Date.parse(due('koereplan-notice-eki')) - Date.now()).toBeLessThan(5 * DAY);
  });
});
