// Reconciliation (issue 14, item 5): a read model broken behind the workflow's back is found by comparing it with the
// workflow's status, repaired from the workflow's state, and counted (the run's row, the drift metric). Real API,
// worker, Temporal, PostgreSQL.
import { PersonKeys } from '../../../libs/persistence/src';
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

  it('the person: a missing, unreadable or changed row and missing or stale search tokens are drift, repaired from the workflow; an erased person is left alone', async () => {
    const names = [
      'Rasmus Rekonsil',
      'Ulla Ulaeselig',
      'Søren Søgeløs',
      'Tina Tokenhalv',
      'Dorte Differ',
      'Emil Slettet',
    ];
    const opened: { id: string; name: string }[] = [];
    for (const name of names) {
      const res = await http(stack, 'POST', '/pathways', pathwayRequest({ name, age: 17 }), {
        as: 'lokalpoliti-sagsbehandler',
      });
      expect(res.status).toBe(201);
      opened.push({ id: res.body.id, name });
    }
    const [missing, unreadable, untokened, stale, differs, erased] = opened;
    // No false alarm: every person as the workflow has it.
    expect((await reconcile()).body).toMatchObject({ drifted: 0, repaired: 0 });

    const search = (name: string) =>
      http(stack, 'GET', `/persons?name=${encodeURIComponent(name)}`, undefined, { as: 'koordinator' });
    const view = (id: string) => http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' });
    // Faults the workflow never saw.
    await stack.db.query(`DELETE FROM persons WHERE pathway_id = $1`, [missing.id]);
    await stack.db.query(`UPDATE persons SET sealed = decode(repeat('ab', 80), 'hex') WHERE pathway_id = $1`, [
      unreadable.id,
    ]);
    await stack.db.query(`DELETE FROM person_search_tokens WHERE pathway_id = $1`, [untokened.id]);
    await stack.db.query(
      `DELETE FROM person_search_tokens
        WHERE pathway_id = $1 AND token = (SELECT min(token) FROM person_search_tokens WHERE pathway_id = $1)`,
      [stale.id],
    );
    // Another person's sealed fields, under this person's own key: it opens, but it is not who the workflow follows.
    const keys = new PersonKeys(stack.db, stack.temporal.payloadKeys);
    const key = await keys.ensure(differs.id);
    const other = { name: 'Helt Anden', birthDate: '2001-01-01', livesWithParents: null, contactContext: 'x' };
    await stack.db.query(`UPDATE persons SET sealed = $2, key_id = $3 WHERE pathway_id = $1`, [
      differs.id,
      keys.seal(key, other),
      key.keyId,
    ]);
    // An erased person: their row and tokens are gone for good (as the erasure leaves them), the workflow runs on.
    await stack.db.query(`UPDATE pathways SET erased_at = now() WHERE id = $1`, [erased.id]);
    await stack.db.query(`DELETE FROM persons WHERE pathway_id = $1`, [erased.id]);
    await stack.db.query(`DELETE FROM person_search_tokens WHERE pathway_id = $1`, [erased.id]);
    // As a coordinator sees it before the repair: not found by name, the person's name not shown.
    expect((await search('Søren Søgeløs')).body.items).toEqual([]);
    // Found by the tokens of her name, but shown with another person's name and birth date.
    expect((await search('Dorte Differ')).body.items.map((p: { name: string }) => p.name)).toEqual(['Helt Anden']);
    const unreadableView = await view(unreadable.id);
    expect(unreadableView.status).toBe(200);
    expect(JSON.stringify(unreadableView.body)).not.toContain(unreadable.name);

    const run = await reconcile();
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ drifted: 5, repaired: 5, unreachable: 0 });
    const drift = Object.fromEntries(
      run.body.drift.map((d: { pathwayId: string; fields: string[] }) => [d.pathwayId, [...d.fields].sort()]),
    );
    expect(drift).toEqual({
      [missing.id]: ['person: missing'],
      [unreadable.id]: ['person: unreadable'],
      [untokened.id]: ['person search tokens: missing'],
      [stale.id]: ['person search tokens: stale'],
      [differs.id]: ['person: differs'],
    });
    // The drift names fields, never a person.
    for (const { name } of opened) expect(JSON.stringify(run.body)).not.toContain(name.split(' ')[0]);

    // As a coordinator sees it after: each found by name, with their own name and birth date.
    for (const { id, name } of [missing, unreadable, untokened, stale, differs]) {
      const found = await search(name);
      expect(found.body.items.map((p: { personId: string }) => p.personId)).toEqual([id]);
      expect(found.body.items[0].name).toBe(name);
      expect((await view(id)).body.person.name).toBe(name);
    }
    // Sealed under the person's own key, no field in clear.
    const rows: { name: string | null; sealed: Buffer | null; key_id: string }[] = await stack.db.query(
      `SELECT name, sealed, key_id::text AS key_id FROM persons WHERE pathway_id = ANY($1::uuid[])`,
      [[missing.id, unreadable.id, differs.id]],
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.name).toBeNull();
      expect(row.sealed).toBeInstanceOf(Buffer);
    }
    // The erased person stays erased: no row, no tokens, no key made again.
    expect(await stack.db.query(`SELECT 1 FROM persons WHERE pathway_id = $1`, [erased.id])).toEqual([]);
    expect(await stack.db.query(`SELECT 1 FROM person_search_tokens WHERE pathway_id = $1`, [erased.id])).toEqual([]);
    expect((await search('Emil Slettet')).body.items).toEqual([]);

    expect((await reconcile()).body).toMatchObject({ drifted: 0, repaired: 0 });
  });

  it('only administrators may run it', async () => {
    expect((await http(stack, 'POST', '/admin/reconciliation', undefined, { as: 'koordinator' })).status).toBe(403);
    expect((await http(stack, 'POST', '/admin/reconciliation', undefined, { as: 'anonymous' })).status).toBe(401);
  });
});
