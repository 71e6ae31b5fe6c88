// The operative group's meeting over HTTP: the agenda generated from open escalations (level 2 first) and stalled
// pathways, a decision per item (an escalation's goes to the pathway's workflow and onto its timeline, once however
// often it is sent), approval with who was present, and the minutes as a Danish PDF read back with pdftotext.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { eventually, publish, quickJobcenterPlaybook, startDrill, type Drill } from '../../support/drill';
import { http, startStack, type TestStack } from '../../support/stack';

const OG = { as: 'operativ-gruppe' };
const CANARY = 'Kanariefugl Mødesen';
const DATE = '2026-12-08';

const quick = quickJobcenterPlaybook('meeting drill');

let stack: TestStack;
let extended: Drill;
let noted: Drill;
let stalledId: string;

async function escalationOf(drill: Drill): Promise<any> {
  const board = await eventually(
    () => http(stack, 'GET', '/escalations', undefined, OG),
    (res) => res.body.items.some((e: any) => e.pathwayId === drill.id),
    15000,
  );
  return board.body.items.find((e: any) => e.pathwayId === drill.id);
}

const timelineKinds = async (id: string): Promise<string[]> =>
  (await http(stack, 'GET', `/pathways/${id}/timeline`, undefined, OG)).body.items.map((e: any) => e.kind);

beforeAll(async () => {
  stack = await startStack();
  await publish(stack, quick);
  extended = await startDrill(stack, { age: 30, playbook: quick, name: CANARY });
  noted = await startDrill(stack, { age: 30, playbook: quick, name: CANARY });
  // A pathway without progress for 40 days and no escalation open: written straight into the read model.
  stalledId = randomUUID();
  const since = new Date(Date.now() - 40 * 86400_000).toISOString();
  await stack.db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at, stalled)
     VALUES ($1, $2, 'INTERVENTION', 'TINGBJERG', 0, $3, $3, 1, $3, true)`,
    [stalledId, `pathway-${stalledId}`, since],
  );
  await stack.db.query(
    `INSERT INTO persons (pathway_id, name, birth_date, contact_source_agency, contact_occurred_at, contact_context)
     VALUES ($1, $2, '2001-02-02', 'POLICE_LOCAL', $3, 'Kontekst')`,
    [stalledId, CANARY, since],
  );
  await escalationOf(extended);
  await escalationOf(noted);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the operative group’s meeting', () => {
  let meeting: any;

  it('is for the operative group only', async () => {
    for (const as of ['sikker-by', 'leder', 'koordinator', 'ssp-sagsbehandler']) {
      expect((await http(stack, 'POST', '/meetings', { date: DATE }, { as })).status).toBe(403);
      expect((await http(stack, 'GET', '/meetings', undefined, { as })).status).toBe(403);
    }
  });

  it('generates the agenda: open escalations, then stalled pathways without one, each with why', async () => {
    const created = await http(stack, 'POST', '/meetings', { date: DATE }, OG);
    expect(created.status).toBe(201);
    meeting = created.body;
    expect(meeting).toMatchObject({ date: DATE, status: 'OPEN', present: [], createdBy: 'OPERATIVE_GROUP' });
    expect(meeting.items.map((i: any) => [i.position, i.reason, i.pathwayId])).toEqual(
      expect.arrayContaining([
        [expect.any(Number), 'ESCALATED_L1', extended.id],
        [expect.any(Number), 'ESCALATED_L1', noted.id],
        [3, 'STALLED', stalledId],
      ]),
    );
    expect(meeting.items).toHaveLength(3);
    expect(meeting.items[0]).toMatchObject({
      kind: 'ESCALATION',
      escalationKind: 'TASK_OVERDUE',
      level: 1,
      agency: 'JOBCENTER',
      taskTitle: 'Forsørgelse',
      stage: 'CONTACT',
    });
    expect(JSON.stringify(meeting)).not.toContain(CANARY);
    // The same date again is the same meeting, its agenda unchanged.
    const again = await http(stack, 'POST', '/meetings', { date: DATE }, OG);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(meeting.id);
    expect(again.body.items.map((i: any) => i.id)).toEqual(meeting.items.map((i: any) => i.id));
    const list = await http(stack, 'GET', '/meetings', undefined, OG);
    expect(list.body.items).toEqual([{ id: meeting.id, date: DATE, status: 'OPEN', items: 3, decided: 0 }]);
  });

  it('sends an escalation’s decision to the pathway once, however often it is recorded', async () => {
    const item = meeting.items.find((i: any) => i.pathwayId === extended.id);
    const url = `/meetings/${meeting.id}/items/${item.id}/decision`;
    const dueAt = new Date(Date.now() + 14 * 86400_000).toISOString();
    const body = { decision: 'EXTEND', note: 'Jobcenter har fået ny kontaktperson', dueAt };
    for (let i = 0; i < 2; i++) {
      const res = await http(stack, 'POST', url, body, OG);
      expect(res.status).toBe(200);
      expect(res.body.items.find((x: any) => x.id === item.id).decision).toMatchObject({
        decision: 'EXTEND',
        note: body.note,
        dueAt,
        decidedBy: 'OPERATIVE_GROUP',
      });
    }
    expect((await extended.status()).tasks[0].dueAt).toBe(dueAt);
    const kinds = await timelineKinds(extended.id);
    expect(kinds.filter((k) => k === 'ESCALATION_RESOLVED')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'DEADLINE_EXTENDED')).toHaveLength(1);
    const other = await http(stack, 'POST', url, { decision: 'NOTE', note: 'Noget andet' }, OG);
    expect(other.status).toBe(409);
    expect(other.body.message).toContain('already has a decision');
    expect((await http(stack, 'GET', '/escalations', undefined, OG)).body.items.map((e: any) => e.id)).not.toContain(
      item.escalationId,
    );
  });

  it('records a decision the pathway already has (sent before a crash) without sending it again', async () => {
    const item = meeting.items.find((i: any) => i.pathwayId === noted.id);
    const body = { decision: 'NOTE', note: 'Drøftet på mødet' };
    // The decision reached the workflow, but the meeting never recorded it.
    const direct = await http(stack, 'POST', `/escalations/${encodeURIComponent(item.escalationId)}/resolve`, body, OG);
    expect(direct.status).toBe(200);
    const res = await http(stack, 'POST', `/meetings/${meeting.id}/items/${item.id}/decision`, body, OG);
    expect(res.status).toBe(200);
    expect(res.body.items.find((x: any) => x.id === item.id).decision).toMatchObject(body);
    expect((await timelineKinds(noted.id)).filter((k) => k === 'ESCALATION_RESOLVED')).toHaveLength(1);
  });

  it('refuses bad decisions and unknown items, changing nothing', async () => {
    const stalled = meeting.items.find((i: any) => i.kind === 'STALLED_PATHWAY');
    const url = `/meetings/${meeting.id}/items/${stalled.id}/decision`;
    const dueAt = new Date(Date.now() + 86400_000).toISOString();
    const wrong = await http(stack, 'POST', url, { decision: 'EXTEND', note: 'x', dueAt }, OG);
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([
      { field: 'decision', reason: 'a stalled pathway without an escalation is decided with NOTE' },
    ]);
    const blank = await http(stack, 'POST', url, { decision: 'NOTE', note: ' ' }, OG);
    expect(blank.status).toBe(400);
    expect(blank.body.errors.map((e: any) => e.field)).toContain('note');
    const unknown = randomUUID();
    expect(
      (
        await http(
          stack,
          'POST',
          `/meetings/${meeting.id}/items/${unknown}/decision`,
          { decision: 'NOTE', note: 'x' },
          OG,
        )
      ).status,
    ).toBe(404);
    expect((await http(stack, 'GET', `/meetings/${unknown}`, undefined, OG)).status).toBe(404);
    const badDate = await http(stack, 'POST', '/meetings', { date: '2026-02-30' }, OG);
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors.map((e: any) => e.field)).toEqual(['date']);
    expect((await http(stack, 'GET', `/meetings/${meeting.id}`, undefined, OG)).body.items[2].decision).toBeUndefined();
  });

  it('approves the minutes with who was present; after that they cannot change', async () => {
    const present = ['Politiets EAS', 'SSP København', 'Jobcenter København'];
    expect((await http(stack, 'POST', `/meetings/${meeting.id}/approve`, { present: [] }, OG)).status).toBe(400);
    const approved = await http(stack, 'POST', `/meetings/${meeting.id}/approve`, { present }, OG);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'APPROVED', present, approvedBy: 'OPERATIVE_GROUP' });
    expect((await http(stack, 'POST', `/meetings/${meeting.id}/approve`, { present }, OG)).status).toBe(200);
    expect((await http(stack, 'POST', `/meetings/${meeting.id}/approve`, { present: ['Andre'] }, OG)).status).toBe(409);
    const stalled = meeting.items.find((i: any) => i.kind === 'STALLED_PATHWAY');
    const late = await http(
      stack,
      'POST',
      `/meetings/${meeting.id}/items/${stalled.id}/decision`,
      { decision: 'NOTE', note: 'For sent' },
      OG,
    );
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('approved');
  });

  it('prints the minutes as a Danish PDF without any name of a person', async () => {
    const res = await fetch(`${stack.baseUrl}/meetings/${meeting.id}/minutes`, {
      headers: { authorization: `Bearer ${await stack.tokenFor('operativ-gruppe')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="referat-${DATE}.pdf"`);
    const dir = mkdtempSync(path.join(tmpdir(), 'exit-minutes-'));
    try {
      const file = path.join(dir, 'minutes.pdf');
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('Referat af møde i den operative styregruppe 8. december 2026');
      expect(text).toContain('Godkendt');
      expect(text).toContain('Til stede Politiets EAS, SSP København, Jobcenter København');
      expect(text).toContain('Dagsorden og beslutninger');
      expect(text).toContain('Eskalering niveau 1: Forsørgelse, Jobcenter');
      expect(text).toContain('Beslutning: Fristen forlænges til');
      expect(text).toContain('Jobcenter har fået ny kontaktperson');
      expect(text).toContain('Beslutning: Noteret. Drøftet på mødet');
      expect(text).toContain('3. Forløb uden fremdrift siden');
      expect(text).toContain('Ingen beslutning.');
      expect(text).not.toContain(CANARY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
