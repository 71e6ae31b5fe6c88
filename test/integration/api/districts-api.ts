// Districts and focus areas as data (issue 10, item 9), through HTTP on the real stack: the steering group adds and
// changes them (audited), a pathway is opened and moved only into a district in use, the list filters by any known
// district, and the workflow's district search attribute carries the code. And the first contact's target group as a
// category.
import { pathwayDistrictKey } from '../../../workflows/pathway/search-attributes';
import { http, pathwayRequest, startStack, type TestStack } from '../../support/stack';

const STEERING = { as: 'sikker-by' };
const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();

describe('districts as data', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ playbook: 3 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const put = (code: string, body: unknown, as = STEERING) => http(stack, 'PUT', `/districts/${code}`, body, as);
  const open = (district: string) =>
    http(stack, 'POST', '/pathways', { ...pathwayRequest({ age: 20, district }) }, { as: 'lokalpoliti-sagsbehandler' });

  it('the first contact’s target group is a category: FRINGE is stored sealed and shown with the task; free text is a 400', async () => {
    const request = pathwayRequest({ age: 20 });
    const bad = await http(
      stack,
      'POST',
      '/pathways',
      { ...request, contact: { ...request.contact, targetGroup: 'rocker i periferien' } },
      { as: 'lokalpoliti-sagsbehandler' },
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('contact.targetGroup');
    const body = { ...request, contact: { ...request.contact, targetGroup: 'FRINGE' } };
    const key = { as: 'lokalpoliti-sagsbehandler', 'idempotency-key': 'target-group-1' };
    const opened = await http(stack, 'POST', '/pathways', body, key);
    expect(opened.status).toBe(201);
    // About the person, so sealed with their other fields under their key: the column stays empty.
    const rows: { contact_target_group: string | null; sealed: Buffer | null }[] = await stack.db.query(
      `SELECT contact_target_group, sealed FROM persons WHERE pathway_id = $1`,
      [opened.body.id],
    );
    expect(rows).toEqual([{ contact_target_group: null, sealed: expect.any(Buffer) }]);
    expect(rows[0].sealed!.toString('latin1')).not.toContain('FRINGE');
    const task = await http(stack, 'GET', `/tasks/${opened.body.tasks[0].id}`, undefined, { as: 'koordinator' });
    expect(task.body.context).toMatchObject({ contactTargetGroup: 'FRINGE' });
    // The same request again is the same pathway (the sealed target group is compared); another target group is not.
    const again = await http(stack, 'POST', '/pathways', body, key);
    expect([again.status, again.body.id]).toEqual([200, opened.body.id]);
    const other = { ...request, contact: { ...request.contact, targetGroup: 'MEMBER' } };
    expect((await http(stack, 'POST', '/pathways', other, key)).status).toBe(409);
  });

  it('lists the five seeded districts to anyone signed in', async () => {
    const res = await http(stack, 'GET', '/districts', undefined, { as: 'ssp-sagsbehandler' });
    expect(res.status).toBe(200);
    expect(res.body.map((d: any) => [d.code, d.focus, d.active])).toEqual([
      ['BISPEBJERG_NORDVEST', true, true],
      ['INDRE_NORREBRO', true, true],
      ['OTHER', false, true],
      ['TINGBJERG', true, true],
      ['YDRE_NORREBRO', true, true],
    ]);
    expect((await http(stack, 'GET', '/districts', undefined, { as: 'anonymous' })).status).toBe(401);
  });

  it('the steering group adds a focus area (201), changes it (200), audited; others 403; bad input 400', async () => {
    const added = await put('MJOLNERPARKEN', { name: 'Mjølnerparken', focus: true });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ code: 'MJOLNERPARKEN', name: 'Mjølnerparken', focus: true, active: true });
    expect(added.body.updatedBy).toBe('SIKKER_BY');
    const changed = await put('MJOLNERPARKEN', { name: 'Mjølnerparken og omegn', focus: true });
    expect(changed.status).toBe(200);
    expect(changed.body.name).toBe('Mjølnerparken og omegn');
    const audited: { action: string }[] = await stack.db.query(
      `SELECT action FROM audit_log WHERE action IN ('ADD_DISTRICT', 'CHANGE_DISTRICT') ORDER BY at, id`,
    );
    expect(audited.map((r) => r.action)).toEqual(['ADD_DISTRICT', 'CHANGE_DISTRICT']);

    expect((await put('AMAGER', { name: 'Amager', focus: true }, { as: 'koordinator' })).status).toBe(403);
    const badCode = await put('amager', { name: 'Amager', focus: true });
    expect(badCode.status).toBe(400);
    expect(JSON.stringify(badCode.body)).toContain('code');
    const blank = await put('AMAGER', { name: '  ', focus: true });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body)).toContain('name');
    const noFocus = await put('AMAGER', { name: 'Amager' });
    expect(noFocus.status).toBe(400);
    expect(JSON.stringify(noFocus.body)).toContain('focus');
    const list = await http(stack, 'GET', '/districts', undefined, STEERING);
    expect(list.body.map((d: any) => d.code)).not.toContain('AMAGER');
  });

  it('a pathway opens in a district in use only; the list filter and the search attribute carry the new code', async () => {
    await put('NORDHAVN', { name: 'Nordhavn', focus: false });
    const refused = await open('AMAGER');
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('person.district');
    expect(JSON.stringify(refused.body)).toContain("unknown district 'AMAGER'");

    const opened = await open('NORDHAVN');
    expect(opened.status).toBe(201);
    expect(opened.body.district).toBe('NORDHAVN');
    const listed = await http(stack, 'GET', '/pathways?district=NORDHAVN', undefined, { as: 'koordinator' });
    expect(listed.body.items.map((p: any) => p.id)).toEqual([opened.body.id]);
    const described = await stack.client.workflow.getHandle(`pathway-${opened.body.id}`).describe();
    expect(described.typedSearchAttributes.get(pathwayDistrictKey)).toBe('NORDHAVN');

    // Out of use: no new pathway there and no MOVED into it; the pathway filed under it keeps it and can move away.
    expect((await put('NORDHAVN', { name: 'Nordhavn', focus: false, active: false })).status).toBe(200);
    expect((await open('NORDHAVN')).status).toBe(400);
    const move = (district: string) =>
      http(
        stack,
        'POST',
        `/pathways/${opened.body.id}/events`,
        { type: 'MOVED', occurredAt: hourAgo(), data: { district } },
        { as: 'operativ-koordinator' },
      );
    const intoInactive = await move('NORDHAVN');
    expect(intoInactive.status).toBe(400);
    expect(JSON.stringify(intoInactive.body)).toContain('data.district');
    expect((await move('TINGBJERG')).status).toBe(200);
    const after = await http(stack, 'GET', `/pathways/${opened.body.id}`, undefined, { as: 'koordinator' });
    expect(after.body.district).toBe('TINGBJERG');
    // Filtering by a district no longer in use still works; by one that never existed is a 400.
    expect((await http(stack, 'GET', '/pathways?district=NORDHAVN', undefined, { as: 'koordinator' })).status).toBe(
      200,
    );
    expect((await http(stack, 'GET', '/pathways?district=AMAGER', undefined, { as: 'koordinator' })).status).toBe(400);
  });
});
