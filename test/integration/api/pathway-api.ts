// The first slice through HTTP: a coordinator opens a pathway, agencies see and complete their tasks, and the
// pathway moves on. Real API, real worker, real Temporal dev server, real PostgreSQL.
import playbookV1 from '../../../libs/domain/playbooks/v1.json';
import { CONTACT_WORKER, http, pathwayRequest, rowCounts, startStack, type TestStack } from '../../support/stack';

/** The local police report the contact (pathwayRequest's source agency). */
const REPORTER = { as: 'lokalpoliti-sagsbehandler' };
/** Who works a CONTACT task's agency: the coordinator registers, the caseworkers of SSP and DKS visit. */

describe('pathway API', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('opens a pathway for a 16-year-old with EAS, SSP and DKS tasks in their queues', async () => {
    const created = await http(
      stack,
      'POST',
      '/pathways',
      pathwayRequest({ age: 16, name: 'Yusuf Testesen' }),
      REPORTER,
    );
    expect(created.status).toBe(201);
    expect(created.body.stage).toBe('CONTACT');
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.tasks.map((t: any) => t.agency).sort()).toEqual(['POLICE_DKS', 'POLICE_EAS', 'SSP']);
    expect(created.body.tasks.every((t: any) => t.status === 'OPEN')).toBe(true);

    const eas = await http(stack, 'GET', '/agencies/POLICE_EAS/tasks', undefined, { as: 'koordinator' });
    expect(eas.status).toBe(200);
    const mine = eas.body.items.filter((t: any) => t.pathwayId === created.body.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].title).toBe('Registrering og analyse af personen');
    // The queue writes times as the rest of the API does.
    const easTask = created.body.tasks.find((t: any) => t.agency === 'POLICE_EAS');
    expect([mine[0].dueAt, mine[0].createdAt]).toEqual([easTask.dueAt, easTask.createdAt]);
    // The queue shows the task and, to the agency's own people, whom it is about; never the contact's context.
    expect(mine[0].personName).toBe('Yusuf Testesen');
    expect(JSON.stringify(eas.body)).not.toContain('kendte medlemmer');

    const fetched = await http(stack, 'GET', `/pathways/${created.body.id}`, undefined, { as: 'koordinator' });
    expect(fetched.status).toBe(200);
    expect(fetched.body.person.name).toBe('Yusuf Testesen');
    expect(fetched.body.timeline.map((e: any) => e.kind)).toEqual([
      'PATHWAY_OPENED',
      'TASK_CREATED',
      'TASK_CREATED',
      'TASK_CREATED',
    ]);
  });

  it('shows a pathway whole only to the coordinators and the operative group, and audits each read', async () => {
    const created = await http(
      stack,
      'POST',
      '/pathways',
      pathwayRequest({ name: 'Vera Læsetest', age: 16 }),
      REPORTER,
    );
    const id = created.body.id;
    const audited = async () =>
      (await stack.db.query(
        `SELECT actor_agency, actor_user_id, action, legal_basis FROM audit_log
          WHERE pathway_id = $1 AND result = 'ALLOWED' ORDER BY id`,
        [id],
      )) as { actor_agency: string; action: string }[];
    for (const path of [`/pathways/${id}`, `/pathways/${id}/timeline`]) {
      const none = await http(stack, 'GET', path, undefined, { as: 'anonymous' });
      expect(none.status).toBe(401);
      // An agency with a task on the pathway reads its task, not the person's whole history; the steering group
      // sees aggregates, never a person.
      for (const as of ['ssp-sagsbehandler', 'jobcenter-sagsbehandler', 'sikker-by']) {
        const refused = await http(stack, 'GET', path, undefined, { as });
        expect(refused.status).toBe(403);
        expect(JSON.stringify(refused.body)).not.toContain('Vera');
      }
    }
    // Only the opening, by the local police caseworker who reported the contact, was allowed; each refused read is
    // a row of its own.
    const opening = {
      actor_agency: 'POLICE_LOCAL',
      actor_user_id: 'lokalpoliti-sagsbehandler',
      action: 'OPEN_PATHWAY',
      legal_basis: 'Retsplejeloven § 115 (SSP-samarbejdet)',
    };
    expect(await audited()).toEqual([opening]);
    const refusals = await stack.db.query(
      `SELECT actor_user_id, action FROM audit_log WHERE pathway_id = $1 AND result = 'REFUSED' ORDER BY id`,
      [id],
    );
    expect(refusals).toHaveLength(6);
    expect(refusals.slice(0, 3)).toEqual([
      { actor_user_id: 'ssp-sagsbehandler', action: 'pathway.read' },
      { actor_user_id: 'jobcenter-sagsbehandler', action: 'pathway.read' },
      { actor_user_id: 'sikker-by', action: 'pathway.read' },
    ]);
    const overseen = await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'operativ-gruppe' });
    expect(overseen.body.person.name).toBe('Vera Læsetest');
    const timeline = await http(stack, 'GET', `/pathways/${id}/timeline`, undefined, { as: 'koordinator2' });
    expect(timeline.status).toBe(200);
    // Each read names the person (the identity provider's user id) and their agency.
    expect(await audited()).toEqual([
      opening,
      {
        actor_agency: 'OPERATIVE_GROUP',
        actor_user_id: 'operativ-gruppe',
        action: 'READ_PATHWAY',
        legal_basis: 'Retsplejeloven § 115 (SSP-samarbejdet)',
      },
      {
        actor_agency: 'EKI',
        actor_user_id: 'koordinator2',
        action: 'READ_TIMELINE',
        legal_basis: 'Retsplejeloven § 115 (SSP-samarbejdet)',
      },
    ]);
  });

  it('shows each task with the instructions its pathway’s playbook gives the task type, in Danish', async () => {
    const created = await http(
      stack,
      'POST',
      '/pathways',
      pathwayRequest({ age: 16, name: 'Instruks Testesen' }),
      REPORTER,
    );
    expect(created.status).toBe(201);
    const texts = playbookV1.instructions as Record<string, string>;
    for (const task of created.body.tasks as { id: string; agency: string; type: string }[]) {
      const detail = await http(stack, 'GET', `/tasks/${task.id}`, undefined, { as: CONTACT_WORKER[task.agency] });
      expect(detail.status).toBe(200);
      expect(detail.body.instructions).toBe(texts[task.type]);
    }
    const visit = (created.body.tasks as { id: string; type: string; agency: string }[]).find(
      (t) => t.agency === 'SSP',
    )!;
    expect(visit.type).toBe('PREVENTIVE_HOME_VISIT');
    expect(
      (await http(stack, 'GET', `/tasks/${visit.id}`, undefined, { as: 'ssp-sagsbehandler' })).body.instructions,
    ).toMatch(/^Aftal besøget med den anden myndighed/);
    // A playbook without a text for the type: no instructions, not an empty one.
    await stack.db.query(`UPDATE playbooks SET definition = definition #- '{instructions,PREVENTIVE_HOME_VISIT}'`);
    const other = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16, name: 'Uden Instruks' }), REPORTER);
    const otherVisit = (other.body.tasks as { id: string; agency: string }[]).find((t) => t.agency === 'SSP')!;
    const bare = await http(stack, 'GET', `/tasks/${otherVisit.id}`, undefined, { as: 'ssp-sagsbehandler' });
    expect(bare.status).toBe(200);
    expect('instructions' in bare.body).toBe(false);
  });

  it('gives an adult only the EAS task', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 20 }), REPORTER);
    expect(created.status).toBe(201);
    expect(created.body.tasks.map((t: any) => t.agency)).toEqual(['POLICE_EAS']);
  });

  it('moves to ASSESSMENT when every CONTACT task is done, and refuses a second completion', async () => {
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 15 }), REPORTER);
    const tasks: any[] = created.body.tasks;
    for (const [i, task] of tasks.entries()) {
      const done = await http(
        stack,
        'POST',
        `/tasks/${task.id}/complete`,
        { outcome: 'DONE', note: `Udført ${i}` },
        { as: CONTACT_WORKER[task.agency] },
      );
      expect(done.status).toBe(200);
      expect(done.body.task.status).toBe('DONE');
      expect(done.body.pathwayStage).toBe(i === tasks.length - 1 ? 'ASSESSMENT' : 'CONTACT');
    }
    const fetched = await http(stack, 'GET', `/pathways/${created.body.id}`, undefined, { as: 'koordinator' });
    expect(fetched.body.stage).toBe('ASSESSMENT');
    expect(fetched.body.timeline.slice(-2)).toMatchObject([
      { kind: 'STAGE_CHANGED', detail: { from: 'CONTACT', to: 'ASSESSMENT' } },
      { kind: 'TASK_CREATED', agency: 'OPERATIVE_GROUP', detail: { key: 'joint-assessment' } },
    ]);
    const board = await http(stack, 'GET', '/agencies/OPERATIVE_GROUP/tasks', undefined, {
      as: 'operativ-koordinator',
    });
    expect(board.body.items.filter((t: any) => t.pathwayId === created.body.id).map((t: any) => t.key)).toEqual([
      'joint-assessment',
    ]);

    const before = await rowCounts(stack);
    const again = await http(
      stack,
      'POST',
      `/tasks/${tasks[0].id}/complete`,
      { outcome: 'DONE' },
      { as: CONTACT_WORKER[tasks[0].agency] },
    );
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('already DONE');
    expect(await rowCounts(stack)).toEqual(before);

    const queue = await http(stack, 'GET', '/agencies/SSP/tasks', undefined, { as: 'ssp-sagsbehandler' });

    expect(queue.body.items.some((t: any) => t.pathwayId === created.body.id)).toBe(false);
  });
});
