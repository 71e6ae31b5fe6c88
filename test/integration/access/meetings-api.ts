// The operative group's meeting over HTTP: the agenda generated from open escalations (level 2 first), pathways
// awaiting the joint assessment, stalled pathways, releases within 8 weeks, people turning 18 within 6 months and items
// members add, a decision per item (an escalation's goes to the pathway's workflow and onto its timeline, once however
// often it is sent; a NOTE or RECOMMEND on another item about a pathway goes there as MEETING_DECISION, once too; one
// on a closed pathway is refused), approval with who was present, and the minutes as a Danish PDF read back with
// pdftotext. The pathways written straight into the read model have no workflow: their items stay undecided here.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decideClosureUpdate } from '../../../workflows/pathway/messages';
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
const awaitingId = randomUUID();
const releaseId = randomUUID();
const laterReleaseId = randomUUID();
const turningId = randomUUID();
const laterTurningId = randomUUID();

/** A pathway and its person written straight into the read model. */
async function seedPathway(id: string, stage: string, extra: { releaseAt?: string; birthDate?: string } = {}) {
  const since = new Date(Date.now() - 5 * 86400_000).toISOString();
  await stack.db.query(
    `INSERT INTO pathways (id, workflow_id, stage, district, playbook_version, opened_at, last_progress_at, version,
                           stage_entered_at, expected_release_at)
     VALUES ($1, $2, $3, 'TINGBJERG', 0, $4, $4, 1, $4, $5)`,
    [id, `pathway-${id}`, stage, since, extra.releaseAt ?? null],
  );
  await stack.db.query(
    `INSERT INTO persons (pathway_id, name, birth_date, contact_source_agency, contact_occurred_at, contact_context)
     VALUES ($1, $2, $3, 'POLICE_LOCAL', $4, 'Kontekst')`,
    [id, CANARY, extra.birthDate ?? '2001-02-02', since],
  );
}

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

/** The meeting's decisions on a pathway's timeline, as a coordinator reads it. */
async function meetingDecisions(id: string): Promise<any[]> {
  const res = await http(stack, 'GET', `/pathways/${id}/timeline`, undefined, { as: 'koordinator' });
  expect(res.status).toBe(200);
  return res.body.items.filter((e: any) => e.kind === 'MEETING_DECISION');
}

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
  // Awaiting the joint assessment since 3 December; in custody, released 20 days after the meeting (on the agenda)
  // and 70 days after (not); turning 18 on 8 March 2027 (on) and 8 August 2027 (not).
  await seedPathway(awaitingId, 'ASSESSMENT');
  await stack.db.query(
    `INSERT INTO tasks (id, pathway_id, task_key, stage, agency_code, type, title, status, created_at, due_at, version)
     VALUES ($1, $2, 'joint-assessment', 'ASSESSMENT', 'SSP', 'JOINT_ASSESSMENT', 'Fælles vurdering', 'OPEN',
             '2026-12-03T09:00:00Z', $3, 1)`,
    [randomUUID(), awaitingId, new Date(Date.now() + 10 * 86400_000).toISOString()],
  );
  await seedPathway(releaseId, 'CUSTODY', { releaseAt: '2026-12-28T10:00:00Z' });
  await seedPathway(laterReleaseId, 'CUSTODY', { releaseAt: '2027-02-16T10:00:00Z' });
  await seedPathway(turningId, 'INTERVENTION', { birthDate: '2009-03-08' });
  await seedPathway(laterTurningId, 'INTERVENTION', { birthDate: '2009-08-08' });
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

  it('generates the agenda: escalations, awaiting assessment, stalled, releases, turning 18, each with why', async () => {
    const created = await http(stack, 'POST', '/meetings', { date: DATE }, OG);
    expect(created.status).toBe(201);
    meeting = created.body;
    expect(meeting).toMatchObject({ date: DATE, status: 'OPEN', present: [], createdBy: 'OPERATIVE_GROUP' });
    expect(meeting.items.map((i: any) => [i.position, i.reason, i.pathwayId])).toEqual([
      [1, 'ESCALATED_L1', expect.any(String)],
      [2, 'ESCALATED_L1', expect.any(String)],
      [3, 'AWAITING_ASSESSMENT', awaitingId],
      [4, 'STALLED', stalledId],
      [5, 'RELEASE_WITHIN_8_WEEKS', releaseId],
      [6, 'TURNS_18_WITHIN_6_MONTHS', turningId],
    ]);
    expect(
      meeting.items
        .slice(0, 2)
        .map((i: any) => i.pathwayId)
        .sort(),
    ).toEqual([extended.id, noted.id].sort());
    expect(meeting.items[2]).toMatchObject({
      kind: 'AWAITING_ASSESSMENT',
      taskTitle: 'Fælles vurdering',
      agency: 'SSP',
      since: '2026-12-03T09:00:00.000Z',
    });
    expect(meeting.items[4]).toMatchObject({ kind: 'RELEASE_SOON', stage: 'CUSTODY', onDate: '2026-12-28' });
    expect(meeting.items[5]).toMatchObject({ kind: 'TURNING_18', onDate: '2027-03-08' });
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
    expect(list.body.items).toEqual([{ id: meeting.id, date: DATE, status: 'OPEN', items: 6, decided: 0 }]);
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
      {
        field: 'decision',
        reason: 'an item without an escalation is decided with NOTE, RECOMMEND, CHANGE_PRIORITY or CLOSE',
      },
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
    expect((await http(stack, 'GET', `/meetings/${meeting.id}`, undefined, OG)).body.items[3].decision).toBeUndefined();
  });

  it('takes items members add, last on the agenda, once however often they are sent', async () => {
    const url = `/meetings/${meeting.id}/items`;
    const body = {
      title: 'Bolig efter løsladelse',
      why: 'Kriminalforsorgen har ingen bolig i udsigt',
      pathwayId: noted.id,
    };
    const added = await http(stack, 'POST', url, body, OG);
    expect(added.status).toBe(201);
    const item = added.body.items[6];
    expect(item).toMatchObject({ position: 7, kind: 'MANUAL', reason: 'ADDED_BY_MEMBER', ...body });
    expect(item.addedBy).toBe('OPERATIVE_GROUP');
    const again = await http(stack, 'POST', url, body, OG);
    expect(again.status).toBe(200);
    expect(again.body.items).toHaveLength(7);
    const general = await http(
      stack,
      'POST',
      url,
      { title: 'Samarbejdet med boligselskaberne', why: 'Ønske fra SSP' },
      OG,
    );
    expect(general.status).toBe(201);
    expect(general.body.items[7]).toMatchObject({ position: 8, kind: 'MANUAL' });
    expect(general.body.items[7].pathwayId).toBeUndefined();
    const unknown = await http(stack, 'POST', url, { ...body, pathwayId: randomUUID() }, OG);
    expect(unknown.status).toBe(404);
    const bad = await http(stack, 'POST', url, { title: ' ', why: 'x', pathwayId: 'Kanariefugl' }, OG);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['pathwayId', 'title']);
    expect(JSON.stringify(bad.body)).not.toContain('Kanariefugl');
    expect((await http(stack, 'POST', `/meetings/${randomUUID()}/items`, body, OG)).status).toBe(404);
    expect((await http(stack, 'GET', `/meetings/${meeting.id}`, undefined, OG)).body.items).toHaveLength(8);
  });

  it('collects recommendations to Sikker By from the meetings, without resolving an escalation', async () => {
    const current = (await http(stack, 'GET', `/meetings/${meeting.id}`, undefined, OG)).body;
    const manual = current.items.find((i: any) => i.kind === 'MANUAL' && i.pathwayId === noted.id);
    const general = current.items.find((i: any) => i.kind === 'MANUAL' && !i.pathwayId);
    const turning = current.items.find((i: any) => i.kind === 'TURNING_18');
    const decide = (item: any, body: unknown) =>
      http(stack, 'POST', `/meetings/${meeting.id}/items/${item.id}/decision`, body, OG);
    const extend = await decide(turning, { decision: 'EXTEND', note: 'x', dueAt: new Date(Date.now() + 86400_000) });
    expect(extend.status).toBe(400);
    // On an item about a pathway: to its workflow, onto its timeline once, however often it is sent.
    const first = { decision: 'RECOMMEND', note: 'Indstilles: bolig uden for området før løsladelsen' };
    for (let i = 0; i < 2; i++) expect((await decide(manual, first)).status).toBe(200);
    expect(await meetingDecisions(noted.id)).toEqual([
      expect.objectContaining({
        kind: 'MEETING_DECISION',
        agency: 'OPERATIVE_GROUP',
        detail: { meetingId: meeting.id, itemId: manual.id, decision: 'RECOMMEND', note: first.note },
      }),
    ]);
    // On an item about no pathway: in the minutes only.
    const second = { decision: 'RECOMMEND', note: 'Indstilles: overgang til voksenindsats planlægges nu' };
    expect((await decide(general, second)).status).toBe(200);
    const list = await http(stack, 'GET', '/meetings/recommendations?from=2026-12-01', undefined, OG);
    expect(list.status).toBe(200);
    expect(list.body.from).toBe('2026-12-01');
    expect(list.body.items.map((r: any) => [r.meetingDate, r.meetingStatus, r.kind, r.pathwayId, r.note])).toEqual([
      [DATE, 'OPEN', 'MANUAL', noted.id, first.note],
      [DATE, 'OPEN', 'MANUAL', undefined, second.note],
    ]);
    expect(list.body.items[0].title).toBe('Bolig efter løsladelse');
    const later = await http(stack, 'GET', '/meetings/recommendations?from=2026-12-09', undefined, OG);
    expect(later.body.items).toEqual([]);
    const bad = await http(stack, 'GET', '/meetings/recommendations?from=2026-13-01', undefined, OG);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['from']);
    for (const as of ['sikker-by', 'leder']) {
      expect((await http(stack, 'GET', '/meetings/recommendations', undefined, { as })).status).toBe(403);
    }
    const audit = await stack.db.query(
      `SELECT actor_agency, item_count FROM audit_log WHERE action = 'LIST_RECOMMENDATIONS' ORDER BY id`,
    );
    expect(audit[0]).toEqual({ actor_agency: 'OPERATIVE_GROUP', item_count: 2 });
  });

  it('puts a NOTE on an item about a pathway onto its timeline once; refuses one on a closed pathway (409)', async () => {
    const addItem = async (pathwayId: string, title: string) => {
      const res = await http(stack, 'POST', `/meetings/${meeting.id}/items`, { title, why: 'Drøftes', pathwayId }, OG);
      expect(res.status).toBe(201);
      return res.body.items.at(-1);
    };
    const item = await addItem(extended.id, 'Opfølgning på jobcenter');
    const body = { decision: 'NOTE', note: 'Gruppen følger op på næste møde' };
    const url = `/meetings/${meeting.id}/items/${item.id}/decision`;
    for (let i = 0; i < 2; i++) {
      const res = await http(stack, 'POST', url, body, OG);
      expect(res.status).toBe(200);
      expect(res.body.items.find((x: any) => x.id === item.id).decision).toMatchObject(body);
    }
    expect(await meetingDecisions(extended.id)).toEqual([
      expect.objectContaining({
        detail: { meetingId: meeting.id, itemId: item.id, decision: 'NOTE', note: body.note },
      }),
    ]);
    expect((await http(stack, 'POST', url, { decision: 'RECOMMEND', note: 'Andet' }, OG)).status).toBe(409);
    expect(await meetingDecisions(extended.id)).toHaveLength(1);

    // A closed pathway (asked for and confirmed by a second coordinator): refused, nothing in the minutes either.
    const closed = await startDrill(stack, { age: 30, playbook: quick, name: CANARY });
    await closed.event({ type: 'CLOSED', outcome: 'COMPLETED' });
    await closed.handle.executeUpdate(decideClosureUpdate, {
      args: [{ decision: 'CONFIRM', requestedBy: 'EKI', requestedByUser: 'koordinator2' }],
    });
    await eventually(
      () => http(stack, 'GET', `/pathways/${closed.id}`, undefined, { as: 'koordinator' }),
      (res) => res.body.stage === 'CLOSED',
      15000,
    );
    const late = await addItem(closed.id, 'Efterværn');
    const refused = await http(
      stack,
      'POST',
      `/meetings/${meeting.id}/items/${late.id}/decision`,
      { decision: 'NOTE', note: 'For sent' },
      OG,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('the pathway is closed');
    expect(
      (await http(stack, 'GET', `/meetings/${meeting.id}`, undefined, OG)).body.items.find((x: any) => x.id === late.id)
        .decision,
    ).toBeUndefined();
    expect(await meetingDecisions(closed.id)).toEqual([]);
  });

  it('lists resolved escalations with their decisions, filtered by decision', async () => {
    const all = await http(stack, 'GET', '/escalations/resolved', undefined, OG);
    expect(all.status).toBe(200);
    const mine = all.body.items.filter((e: any) => [extended.id, noted.id].includes(e.pathwayId));
    expect(mine.map((e: any) => [e.pathwayId, e.status, e.decision]).sort()).toEqual(
      [
        [extended.id, 'RESOLVED', 'EXTEND'],
        [noted.id, 'RESOLVED', 'NOTE'],
      ].sort(),
    );
    for (const e of mine) expect(typeof e.resolvedAt).toBe('string');
    const extendedOnly = await http(stack, 'GET', '/escalations/resolved?decision=EXTEND', undefined, OG);
    expect(extendedOnly.body.items.map((e: any) => e.pathwayId)).toEqual([extended.id]);
    const paged = await http(stack, 'GET', '/escalations/resolved?limit=1', undefined, OG);
    expect(paged.body.items).toHaveLength(1);
    const next = await http(
      stack,
      'GET',
      `/escalations/resolved?limit=1&cursor=${paged.body.nextCursor}`,
      undefined,
      OG,
    );
    expect(next.body.items[0].id).not.toBe(paged.body.items[0].id);
    const bad = await http(stack, 'GET', '/escalations/resolved?decision=MAYBE', undefined, OG);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['decision']);
    expect((await http(stack, 'GET', '/escalations/resolved', undefined, { as: 'sikker-by' })).status).toBe(403);
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
    const added = await http(stack, 'POST', `/meetings/${meeting.id}/items`, { title: 'For sent', why: 'x' }, OG);
    expect(added.status).toBe(409);
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
      expect(text).toContain('3. Nyt forløb venter på fælles vurdering siden 3. december 2026');
      expect(text).toContain('4. Forløb uden fremdrift siden');
      expect(text).toContain('5. Løsladelse ventes 28. december 2026 (Varetægt/afsoning)');
      expect(text).toContain('6. Fylder 18 år i marts 2027');
      expect(text).toContain('7. Bolig efter løsladelse (sat på af Den operative styregruppe)');
      expect(text).toContain('Beslutning: Indstilles til Sikker By. Indstilles: bolig uden for området');
      expect(text).toContain('Ingen beslutning.');
      expect(text).toContain('Indstillinger til Sikker By');
      expect(text).toContain('Punkt 7: Indstilles: bolig uden for området før løsladelsen');
      expect(text).toContain('Punkt 8: Indstilles: overgang til voksenindsats planlægges nu');
      expect(text).toContain('Beslutning: Noteret. Gruppen følger op på næste møde');
      expect(text).not.toContain(CANARY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
