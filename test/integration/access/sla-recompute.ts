// A forced recompute of a past month's SLA figures (POST /oversight/sla/:month/recompute): a past month is computed
// once and then served as it was, so a task written into it later shows only after a recompute, which only the
// administrators and the steering group may ask for, and which is audited with who asked.
import { randomUUID } from 'node:crypto';
import { http, startStack, type TestStack } from '../../support/stack';

let stack: TestStack;

/** A done task of a pathway of its own: each is another person, so the steering group sees the figures too. */
async function doneTask(dueAt: string, completedAt: string): Promise<void> {
  const pathwayId = randomUUID();
  await stack.db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at)
     VALUES ($1, $2, 'INTERVENTION', 'TINGBJERG', 1, '2025-03-01T08:00:00Z', '2025-03-01T08:00:00Z', 1,
             '2025-03-01T08:00:00Z')`,
    [pathwayId, `pathway-${pathwayId}`],
  );
  const id = randomUUID();
  await stack.db.query(
    `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at,
                        completed_at, version)
     VALUES ($1, $2, $3, 'INTERVENTION', 'SSP', 'PREVENTIVE_HOME_VISIT', 'Hjemmebesøg', 'DONE',
             '2025-03-01T08:00:00Z', $4, $5, 1)`,
    [id, pathwayId, `key-${id}`, dueAt, completedAt],
  );
}

const march = async (as: string) =>
  (await http(stack, 'GET', '/oversight/sla?from=2025-03&to=2025-03', undefined, { as })).body.months[0];

beforeAll(async () => {
  stack = await startStack({ worker: false });
  await stack.db.query(
    `INSERT INTO playbooks (version, name, definition) VALUES (1, 'test', '{}') ON CONFLICT DO NOTHING`,
  );
  for (let i = 0; i < 3; i++) await doneTask('2025-03-20T10:00:00Z', '2025-03-15T10:00:00Z');
});

afterAll(async () => {
  await stack?.stop();
});

describe('POST /oversight/sla/:month/recompute', () => {
  it('recomputes a past month that was computed before the late tasks arrived, audited with who asked', async () => {
    expect(await march('operativ-gruppe')).toMatchObject({ month: '2025-03', done: 3, onTime: 3 });
    // Written into March after its figures were kept (a projection that came late, a data correction).
    await doneTask('2025-03-20T10:00:00Z', '2025-03-22T10:00:00Z');
    expect(await march('operativ-gruppe')).toMatchObject({ done: 3, onTime: 3 });

    for (const as of ['leder', 'operativ-gruppe', 'koordinator', 'revisor']) {
      expect((await http(stack, 'POST', '/oversight/sla/2025-03/recompute', undefined, { as })).status).toBe(403);
    }
    const res = await http(stack, 'POST', '/oversight/sla/2025-03/recompute', undefined, { as: 'admin' });
    expect(res.status).toBe(200);
    // Figures of 4 people: shown to the administrators as well, who get them suppressed below 3.
    expect(res.body).toMatchObject({ from: '2025-03', to: '2025-03', minCell: 3 });
    expect(res.body.months[0]).toMatchObject({ done: 4, onTime: 3, medianLateHours: 48 });
    expect(res.body.rows).toEqual([
      expect.objectContaining({ agency: 'SSP', taskType: 'PREVENTIVE_HOME_VISIT', done: 4, onTime: 3 }),
    ]);
    expect(await march('operativ-gruppe')).toMatchObject({ done: 4, onTime: 3 });
    expect((await http(stack, 'POST', '/oversight/sla/2025-03/recompute', undefined, { as: 'sikker-by' })).status).toBe(
      200,
    );
    const audit = await stack.db.query(
      `SELECT actor_agency, actor_user_id, pathway_id, legal_basis FROM audit_log WHERE action = 'SLA_RECOMPUTE'
        ORDER BY id`,
    );
    expect(audit).toEqual([
      expect.objectContaining({ actor_agency: 'POLICE_EAS', actor_user_id: 'admin', pathway_id: null }),
      expect.objectContaining({ actor_agency: 'SIKKER_BY', actor_user_id: 'sikker-by', pathway_id: null }),
    ]);
    expect(audit[0].legal_basis).toContain('2025-03');
  });

  it.each([
    ['2025-13', 'must be a month as YYYY-MM'],
    ['march', 'must be a month as YYYY-MM'],
    ['2099-01', 'must be a past month (the running month is recomputed every 5 minutes)'],
  ])('refuses %s naming month', async (month, reason) => {
    const res = await http(stack, 'POST', `/oversight/sla/${month}/recompute`, undefined, { as: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'month', reason }]);
  });
});
