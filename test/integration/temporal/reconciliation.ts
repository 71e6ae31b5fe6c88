// Reconciliation (issue 14, item 5): a read model broken behind the workflow's back is found by comparing it with the
// workflow's status, repaired from the workflow's state, and counted (the run's row, the drift metric). Real API,
// worker, Temporal, PostgreSQL.
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

describe('reconciliation of the read model with the workflows', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  const reconcile = () => http(stack, 'POST', '/admin/reconciliation', undefined, { as: 'admin' });
  const driftGauge = async () => {
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    return /^exit_reconciliation_drift\{[^}]*\} (\d+)$/m.exec(metrics)?.[1];
  };

  it('a row broken by SQL → found, repaired from the workflow and counted; the next run finds nothing', async () => {
    const opened = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(opened.status).toBe(201);
    const { id, tasks } = opened.body;
    const clean = await reconcile();
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ drifted: 0, repaired: 0, missing: 0, unreachable: 0 });
    expect(clean.body.checked).toBeGreaterThanOrEqual(1);
    expect(await driftGauge()).toBe('0');

    // A fault the workflow never saw: the stage moved, a task marked done, a stray task row added.
    await stack.db.query(`UPDATE pathways SET stage = 'INTERVENTION', version = version + 5 WHERE id = $1`, [id]);
    await stack.db.query(`UPDATE tasks SET status = 'DONE' WHERE id = $1`, [tasks[0].id]);
    await stack.db.query(
      `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at, version)
       SELECT gen_random_uuid(), pathway_id, task_key, stage, agency_code, type, title, 'OPEN', created_at, due_at, version
         FROM tasks WHERE id = $1`,
      [tasks[1].id],
    );
    const broken = await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' });
    expect(broken.body.stage).toBe('INTERVENTION');

    const run = await reconcile();
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ drifted: 1, repaired: 1, missing: 0 });
    expect(run.body.drift).toEqual([
      {
        pathwayId: id,
        fields: expect.arrayContaining([
          'stage',
          'version',
          `task ${tasks[0].id}: status`,
          expect.stringMatching(/^task .*: not in the workflow$/),
        ]),
      },
    ]);
    // As a user sees it: the pathway as the workflow has it again.
    const repaired = await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' });
    expect(repaired.body.stage).toBe('CONTACT');
    expect(repaired.body.tasks.map((t: any) => [t.id, t.status]).sort()).toEqual(
      tasks.map((t: any) => [t.id, 'OPEN']).sort(),
    );
    expect(await driftGauge()).toBe('1');
    const runs: { trigger: string; drifted: number; repaired: number }[] = await stack.db.query(
      `SELECT trigger, drifted, repaired FROM reconciliation_runs ORDER BY id DESC LIMIT 1`,
    );
    expect(runs).toEqual([{ trigger: 'ADMIN', drifted: 1, repaired: 1 }]);

    // The pathway still answers commands, and the next run finds nothing.
    const event = await http(
      stack,
      'POST',
      `/pathways/${id}/events`,
      { type: 'CONSENT_GIVEN', occurredAt: new Date(Date.now() - 60_000).toISOString() },
      { as: 'koordinator' },
    );
    expect(event.status).toBe(200);
    expect((await reconcile()).body).toMatchObject({ drifted: 0, repaired: 0 });
    expect(await driftGauge()).toBe('0');
  });

  it('only administrators may run it', async () => {
    expect((await http(stack, 'POST', '/admin/reconciliation', undefined, { as: 'koordinator' })).status).toBe(403);
    expect((await http(stack, 'POST', '/admin/reconciliation', undefined, { as: 'anonymous' })).status).toBe(401);
  });
});
