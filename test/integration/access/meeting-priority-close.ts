// The operative group's meeting decides a pathway's priority and its closure (issue 12, item 1), over HTTP against
// real Temporal and PostgreSQL. CHANGE_PRIORITY: MEETING_DECISION and PRIORITY_CHANGED on the timeline, the priority in
// the read model (the pathway, the list's filter, the agenda), the pathway's task marked and first in its agency's queue
// and in "Næste opgave" ahead of an earlier deadline. CLOSE: a closure waiting for a coordinator (the meeting as the
// proposer, the member who recorded it unable to confirm it), confirmed by another coordinator, the pathway closed;
// refused with 409 while a closure waits and once the pathway is closed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { eventually, publish, quickJobcenterPlaybook, startDrill, type Drill } from '../../support/drill';
import { http, startStack, type TestStack } from '../../support/stack';

const OG = { as: 'operativ-koordinator' };
const DATE = '2026-12-09';

let stack: TestStack;
let meeting: any;

// Deadlines far enough off that no ladder step interferes.
const playbook = quickJobcenterPlaybook('meeting priority drill', {
  dueSeconds: 5 * 86400,
  reminderShare: 0.9,
  escalateAfterSeconds: 30 * 86400,
});

async function addItem(pathwayId: string, title: string): Promise<any> {
  const res = await http(stack, 'POST', `/meetings/${meeting.id}/items`, { title, why: 'Drøftes', pathwayId }, OG);
  expect(res.status).toBe(201);
  return res.body.items.at(-1);
}

const decide = (item: any, body: unknown) =>
  http(stack, 'POST', `/meetings/${meeting.id}/items/${item.id}/decision`, body, OG);

const timeline = async (id: string): Promise<any[]> => {
  const res = await http(stack, 'GET', `/pathways/${id}/timeline`, undefined, { as: 'koordinator' });
  expect(res.status).toBe(200);
  return res.body.items;
};

const pathwayOf = async (id: string): Promise<any> =>
  (await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).body;

/** The drill's one open task, once the read model has it. */
async function taskOf(drill: Drill): Promise<any> {
  const res = await eventually(
    () => pathwayOf(drill.id),
    (p) => p.tasks?.some((t: any) => t.status === 'OPEN'),
    15000,
  );
  return res.tasks.find((t: any) => t.status === 'OPEN');
}

beforeAll(async () => {
  stack = await startStack();
  await publish(stack, playbook);
  const created = await http(stack, 'POST', '/meetings', { date: DATE }, OG);
  expect(created.status).toBe(201);
  meeting = created.body;
});

afterAll(async () => {
  await stack?.stop();
});

describe('the meeting’s CHANGE_PRIORITY', () => {
  let earlier: Drill;
  let later: Drill;

  beforeAll(async () => {
    // Two pathways with a Jobcenter task each; `earlier`'s deadline comes first.
    earlier = await startDrill(stack, { age: 30, playbook });
    await taskOf(earlier);
    await new Promise((r) => setTimeout(r, 1100));
    later = await startDrill(stack, { age: 30, playbook });
    await taskOf(later);
  });

  it('goes onto the timeline, into the read model, and puts the pathway’s task first in the queue and Næste opgave', async () => {
    const queueOrder = async () =>
      (await http(stack, 'GET', '/agencies/JOBCENTER/tasks', undefined, { as: 'jobcenter-sagsbehandler' })).body.items
        .filter((t: any) => [earlier.id, later.id].includes(t.pathwayId))
        .map((t: any) => [t.pathwayId, t.prioritized ?? false]);
    // Before: by deadline.
    expect(await queueOrder()).toEqual([
      [earlier.id, false],
      [later.id, false],
    ]);
    expect((await pathwayOf(later.id)).priority).toBe('NORMAL');

    const item = await addItem(later.id, 'Trusler mod familien');
    expect(item.priority).toBe('NORMAL');
    const body = { decision: 'CHANGE_PRIORITY', priority: 'HIGH', note: 'Prioriteres: trusler mod familien' };
    // A missing priority names the field; the same priority the pathway has is a 409 saying so.
    const missing = await decide(item, { decision: 'CHANGE_PRIORITY', note: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: any) => e.field)).toEqual(['priority']);
    const same = await decide(item, { decision: 'CHANGE_PRIORITY', priority: 'NORMAL', note: 'x' });
    expect(same.status).toBe(409);
    expect(same.body.message).toContain('already NORMAL');
    for (let i = 0; i < 2; i++) {
      const res = await decide(item, body);
      expect(res.status).toBe(200);
      const decided = res.body.items.find((x: any) => x.id === item.id);
      expect(decided.decision).toMatchObject(body);
      expect(decided.priority).toBe('HIGH');
    }

    const entries = (await timeline(later.id)).filter((e) => ['MEETING_DECISION', 'PRIORITY_CHANGED'].includes(e.kind));
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'MEETING_DECISION',
        detail: { meetingId: meeting.id, itemId: item.id, decision: 'CHANGE_PRIORITY', note: body.note },
      }),
      expect.objectContaining({
        kind: 'PRIORITY_CHANGED',
        agency: 'OPERATIVE_GROUP',
        detail: { from: 'NORMAL', to: 'HIGH', meetingId: meeting.id, itemId: item.id },
      }),
    ]);
    expect((await pathwayOf(later.id)).priority).toBe('HIGH');
    // A retry after the minutes lost the decision and the key's answer is gone (a crash, then a day): the pathway
    // already has it, so it is recorded again without a 409 and without a second change.
    await stack.db.query(`DELETE FROM meeting_decisions WHERE item_id = $1`, [item.id]);
    await stack.db.query(`DELETE FROM command_keys WHERE pathway_id = $1`, [later.id]);
    const retried = await decide(item, body);
    expect(retried.status).toBe(200);
    expect(retried.body.items.find((x: any) => x.id === item.id).decision).toMatchObject(body);
    expect((await timeline(later.id)).filter((e) => e.kind === 'PRIORITY_CHANGED')).toHaveLength(1);
    const listed = await http(stack, 'GET', '/pathways?priority=HIGH', undefined, { as: 'koordinator' });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((p: any) => p.id)).toEqual([later.id]);
    expect(listed.body.items[0].priority).toBe('HIGH');
    const bad = await http(stack, 'GET', '/pathways?priority=URGENT', undefined, { as: 'koordinator' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['priority']);

    // The prioritized pathway's task comes first, ahead of the earlier deadline, and is marked.
    expect(await queueOrder()).toEqual([
      [later.id, true],
      [earlier.id, false],
    ]);
    const next = await http(stack, 'POST', '/agencies/JOBCENTER/tasks/next', {}, { as: 'jobcenter-sagsbehandler' });
    expect(next.status).toBe(200);
    expect(next.body.task).toMatchObject({ pathwayId: later.id, prioritized: true });
    const second = await http(stack, 'POST', '/agencies/JOBCENTER/tasks/next', {}, { as: 'jobcenter-sagsbehandler' });
    expect(second.status).toBe(200);
    expect(second.body.task.pathwayId).toBe(earlier.id);
    expect(second.body.task.prioritized).toBeUndefined();
  });
});

describe('the meeting’s CLOSE', () => {
  it('starts the four-eyes closure: the member who recorded it cannot confirm, another coordinator does', async () => {
    const drill = await startDrill(stack, { age: 30, playbook });
    await taskOf(drill);
    const item = await addItem(drill.id, 'Ude af miljøet');
    const missing = await decide(item, { decision: 'CLOSE', note: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: any) => e.field)).toEqual(['outcome']);

    const body = { decision: 'CLOSE', outcome: 'COMPLETED', note: 'Har fået job og er flyttet fra området' };
    expect((await decide(item, body)).status).toBe(200);
    // Waiting, not closed: the pathway runs on with its work open.
    const waiting = await pathwayOf(drill.id);
    expect(waiting.stage).toBe('CONTACT');
    expect(waiting.pendingClosure).toMatchObject({
      outcome: 'COMPLETED',
      requestedBy: 'OPERATIVE_GROUP',
      meetingId: meeting.id,
    });
    expect(waiting.tasks.filter((t: any) => t.status === 'OPEN')).toHaveLength(1);
    expect((await timeline(drill.id)).slice(-2)).toEqual([
      expect.objectContaining({ kind: 'MEETING_DECISION', detail: expect.objectContaining({ decision: 'CLOSE' }) }),
      expect.objectContaining({
        kind: 'CLOSURE_REQUESTED',
        agency: 'OPERATIVE_GROUP',
        detail: { outcome: 'COMPLETED', meetingId: meeting.id, itemId: item.id },
      }),
    ]);

    // A second CLOSE while it waits: 409, and nothing recorded for that item.
    const again = await addItem(drill.id, 'Lukning igen');
    const refused = await decide(again, { decision: 'CLOSE', outcome: 'MOVED', note: 'Flyttet' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('a closure already waits');
    const current = (await http(stack, 'GET', `/meetings/${meeting.id}`, undefined, OG)).body;
    expect(current.items.find((x: any) => x.id === again.id).decision).toBeUndefined();

    // The member who recorded it is a coordinator too, but may not be the second pair of eyes.
    const self = await http(stack, 'POST', `/pathways/${drill.id}/closure/confirm`, undefined, OG);
    expect(self.status).toBe(403);
    expect(self.body.message).toContain('four eyes');
    expect((await pathwayOf(drill.id)).stage).toBe('CONTACT');

    const confirmed = await http(stack, 'POST', `/pathways/${drill.id}/closure/confirm`, undefined, {
      as: 'koordinator',
    });
    expect(confirmed.status).toBe(200);
    const closed = await pathwayOf(drill.id);
    expect(closed).toMatchObject({ stage: 'CLOSED', closingOutcome: 'COMPLETED' });
    expect(closed.pendingClosure).toBeUndefined();
    expect(closed.tasks.filter((t: any) => t.status === 'OPEN')).toHaveLength(0);
    expect((await timeline(drill.id)).map((e) => e.kind).slice(-3)).toEqual(
      expect.arrayContaining(['CLOSURE_CONFIRMED', 'PATHWAY_CLOSED']),
    );

    // Closed: another CLOSE is a 409 saying so.
    const late = await addItem(drill.id, 'Efterværn');
    const closedAlready = await decide(late, { decision: 'CLOSE', outcome: 'COMPLETED', note: 'x' });
    expect(closedAlready.status).toBe(409);
    expect(closedAlready.body.message).toContain('already closed');
  });

  it('is refused on an item about no pathway (400 on decision)', async () => {
    const res = await http(stack, 'POST', `/meetings/${meeting.id}/items`, { title: 'Generelt', why: 'x' }, OG);
    const item = res.body.items.at(-1);
    const refused = await decide(item, { decision: 'CLOSE', outcome: 'COMPLETED', note: 'x' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'decision', reason: 'CLOSE needs an item about a pathway' }]);
  });

  it('writes the decisions into the minutes in Danish', async () => {
    const res = await fetch(`${stack.baseUrl}/meetings/${meeting.id}/minutes`, {
      headers: { authorization: `Bearer ${await stack.tokenFor('operativ-gruppe')}` },
    });
    expect(res.status).toBe(200);
    const dir = mkdtempSync(path.join(tmpdir(), 'exit-minutes-'));
    try {
      const file = path.join(dir, 'referat.pdf');
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('Beslutning: Prioriteten ændres til prioriteret. Prioriteres: trusler mod familien');
      expect(text).toContain(
        'Beslutning: Forløbet lukkes med udfaldet »Gennemført« (afventer en koordinators bekræftelse).',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
