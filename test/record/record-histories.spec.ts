// Records the histories the replay test guards (test/fixtures/histories). Not part of `npm test`: run it with
// `npm run record:histories` when a path changes on purpose, and commit what it writes.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  cancelTaskUpdate,
  claimTaskUpdate,
  correctPersonUpdate,
  decideClosureUpdate,
  holdTaskUpdate,
  migratePlaybookUpdate,
  reassignTaskUpdate,
  resolveEscalationUpdate,
  resumeTaskUpdate,
  unclaimTaskUpdate,
} from '../../workflows/pathway/messages';
import type { EventData, Playbook } from '../../libs/domain/src';
import playbookV2 from '../../libs/domain/playbooks/v2.json';
import playbookV3 from '../../libs/domain/playbooks/v3.json';
import { drillPlaybook, eventually, publish, startDrill, type Drill } from '../support/drill';
import { FIXTURE_KEYS_SUFFIX, FIXTURE_PAYLOAD_KEYS } from '../support/fixture-key';
import { http, pathwayRequest, startStack, type TestStack } from '../support/stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureTemporal } = require('../../scripts/dev-stack/ensure-temporal.js') as { ensureTemporal: () => string };

const OUT = path.join(__dirname, '..', 'fixtures', 'histories');
const playbook = drillPlaybook(1001);
/** Who works a CONTACT task's agency: the coordinator registers, the caseworkers of SSP and DKS visit. */
const CONTACT_WORKER: Record<string, string> = {
  POLICE_EAS: 'koordinator',
  SSP: 'ssp-sagsbehandler',
  POLICE_DKS: 'dks-sagsbehandler',
};

/**
 * CLOSED asks for a closure that a second coordinator confirms (four eyes); the workflow then stays open for the
 * reopening window (REOPEN_WITHIN_DAYS), so the history is saved once the pathway is closed, not when its run ends.
 */
async function closeWithFourEyes(drill: Drill, outcome: string): Promise<void> {
  await drill.event({ type: 'CLOSED', outcome } as EventData);
  await drill.handle.executeUpdate(decideClosureUpdate, {
    args: [{ decision: 'CONFIRM', requestedBy: 'POLICE_EAS', requestedByUser: 'koordinator2' }],
  });
  await eventually(
    () => drill.status(),
    (s) => s.stage === 'CLOSED',
    15000,
  );
}

async function save(stack: TestStack, pathwayId: string, name: string, runId?: string): Promise<void> {
  // The CLI writes the same JSON form `temporal workflow show -o json` gives anyone debugging a pathway.
  const json = execFileSync(ensureTemporal(), [
    'workflow',
    'show',
    '--address',
    stack.temporal.address,
    '--namespace',
    stack.temporal.namespace,
    '--workflow-id',
    `pathway-${pathwayId}`,
    ...(runId ? ['--run-id', runId] : []),
    '--output',
    'json',
  ]);
  writeFileSync(path.join(OUT, `${name}.json`), json);
  // The history's payloads are encrypted with the pathway's person key: its row goes beside it, as stored — wrapped
  // by the public fixture master key, never unwrapped — so the replay test can read it. Fixtures are test data about
  // made-up persons; a real pathway's key never leaves its database.
  const rows: { id: string; master_key_id: string; wrapped: Buffer }[] = await stack.db.query(
    `SELECT id, master_key_id, wrapped FROM person_keys WHERE pathway_id = $1 AND wrapped IS NOT NULL ORDER BY id`,
    [pathwayId],
  );
  const keys = rows.map((r) => ({ id: r.id, masterKeyId: r.master_key_id, wrapped: r.wrapped.toString('base64') }));
  writeFileSync(path.join(OUT, `${name}${FIXTURE_KEYS_SUFFIX}`), `${JSON.stringify(keys, null, 2)}\n`);
}

describe('record histories', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ payloadKeys: FIXTURE_PAYLOAD_KEYS });
    await publish(stack, playbook);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('contact to assessment, a 16-year-old, through the API', async () => {
    await stack.db.query('DELETE FROM playbooks WHERE version = $1', [playbook.version]);
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 16, name: 'Fixture Person' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    await publish(stack, playbook);
    expect(created.status).toBe(201);
    const [first, ...rest] = created.body.tasks;
    // Each task done by its agency: the coordinator registers, the caseworkers of SSP and DKS visit.
    const worker = (task: any) => ({ as: CONTACT_WORKER[task.agency] });
    expect((await http(stack, 'POST', `/tasks/${first.id}/complete`, { outcome: 'DONE' }, worker(first))).status).toBe(
      200,
    );
    expect((await http(stack, 'POST', `/tasks/${first.id}/complete`, { outcome: 'DONE' }, worker(first))).status).toBe(
      409,
    );
    for (const task of rest) await http(stack, 'POST', `/tasks/${task.id}/complete`, { outcome: 'DONE' }, worker(task));

    expect(
      (await http(stack, 'GET', `/pathways/${created.body.id}`, undefined, { as: 'koordinator' })).body.stage,
    ).toBe('ASSESSMENT');
    await save(stack, created.body.id, 'contact-to-assessment');
  });

  it('exit: consent, custody, release planning by timer, release, placement, follow-ups, completed', async () => {
    const drill = await startDrill(stack, { age: 22, playbook });
    await drill.complete('eas-registration');
    await drill.complete('joint-assessment');
    await drill.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker at komme ud' });
    await drill.event({ type: 'CONSENT_GIVEN' });
    await drill.event({ type: 'ARRESTED' });
    await drill.event({ type: 'SENTENCED', expectedReleaseDate: new Date(Date.now() + 7000).toISOString() });
    await eventually(
      () => drill.status(),
      (s) => s.stage === 'RELEASE_PLANNING',
    );
    await drill.event({
      type: 'RELEASE_DATE_CHANGED',
      expectedReleaseDate: new Date(Date.now() + 60000).toISOString(),
    });
    await drill.event({ type: 'RELEASED' });
    await drill.event({ type: 'ARRESTED' });
    await drill.event({ type: 'RELEASED' });
    await drill.event({ type: 'PLACED', kind: 'JOB' });
    await drill.complete('placement-confirmed');
    await eventually(
      () => drill.status(),
      (s) => s.waitingTasks.length === 0,
      15000,
    );
    await drill.event({ type: 'CONSENT_WITHDRAWN' });
    await closeWithFourEyes(drill, 'COMPLETED');
    await save(stack, drill.id, 'exit-full-path');
  });

  it('prevention, the 18th birthday, reassessment to another track', async () => {
    const drill = await startDrill(stack, { age: 15, playbook, adultAt: new Date(Date.now() + 3000) });
    await drill.complete('eas-registration');
    await eventually(
      () => drill.status(),
      (s) => s.tasks.some((t) => t.agency === 'CFR'),
    );
    await drill.complete('ssp-home-visit');
    await drill.complete('dks-home-visit');
    await drill.complete('joint-assessment');
    await drill.event({ type: 'ASSESSED', track: 'PREVENTION', reasons: 'Forebyggelse' });
    await drill.event({ type: 'ASSESSED', track: 'EXIT_NATIONAL', reasons: 'Ønsker exit' });
    await drill.event({ type: 'CONSENT_GIVEN' });
    await drill.event({ type: 'MOTIVATION_ASSESSED', motivated: true });
    await drill.event({ type: 'MOVED', district: 'TINGBJERG' });
    await save(stack, drill.id, 'prevention-turns-18');
  });

  it('continue-as-new: the first run, which ends by continuing', async () => {
    const drill = await startDrill(stack, { age: 16, playbook, maxHistoryEvents: 40 });
    await drill.complete('eas-registration');
    await drill.complete('ssp-home-visit');
    await drill.complete('dks-home-visit');
    await drill.complete('joint-assessment');
    await drill.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende' });
    await eventually(
      () => drill.status(),
      (s) => s.runs > 0,
    );
    await save(stack, drill.id, 'continue-as-new-first-run', drill.handle.firstExecutionRunId);
  });

  it('second-session rules: adult work kept at 18, a cancelled acknowledgement, consent after a start time, a late deadline moved', async () => {
    const rules = drillPlaybook(1101);
    rules.stages.CONTACT!.tasks.push({
      key: 'contact-handover',
      agency: 'KRIMINALFORSORGEN',
      type: 'HANDOVER',
      title: 'Overdragelse til EKI',
      due: { kind: 'duration', seconds: 600 },
      handoverTo: 'EKI',
      acknowledgeWithin: { kind: 'duration', seconds: 600 },
    });
    rules.stages.INTERVENTION!.tasks.find((t) => t.key === 'eki-exit-intake')!.startAfter = {
      kind: 'duration',
      seconds: 1,
    };
    await publish(stack, rules);
    // 20 and living with parents: SSP's parent work stays SSP's when the (past) birthday timer fires.
    const drill = await startDrill(stack, { age: 20, playbook: rules, livesWithParents: true });
    await new Promise((r) => setTimeout(r, 1000));
    await drill.complete('contact-handover');
    const ack = (await drill.status()).tasks.find((t) => t.key === 'contact-handover-ack')!;
    await drill.handle.executeUpdate(cancelTaskUpdate, {
      args: [{ taskId: ack.id, requestedBy: 'OPERATIVE_GROUP', reason: 'Forkert modtager' }],
    });
    await drill.complete('contact-handover');
    await drill.complete('contact-handover-ack');
    await drill.complete('eas-registration');
    await drill.complete('parent-involvement');
    await drill.complete('joint-assessment');
    await drill.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker exit' });
    await new Promise((r) => setTimeout(r, 2000));
    await drill.event({ type: 'CONSENT_GIVEN' });
    await drill.event({ type: 'ARRESTED' }, 'POLICE_LOCAL');
    await drill.event({ type: 'SENTENCED', expectedReleaseDate: new Date(Date.now() + 3000).toISOString() });
    await eventually(
      () => drill.status(),
      (s) => s.tasks.some((t) => t.key === 'release-income' && t.escalationLevel === 1),
      15000,
    );
    await drill.event({
      type: 'RELEASE_DATE_CHANGED',
      expectedReleaseDate: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect((await drill.status()).tasks.find((t) => t.key === 'release-income')).toMatchObject({ overdue: false });
    await save(stack, drill.id, 'second-session-rules');
  });

  it('playbook v2: registration decided, arrest without remand, remand, Exit assessed in custody, a sentence with both dates, parole refused, contact difficult', async () => {
    // Recorded with playbook v2 (issue 10): spans in real days, so no timer fires during the recording.
    const v2 = { ...structuredClone(playbookV2 as Playbook), version: 1301, name: 'drill 1301 (v2)' };
    await publish(stack, v2);
    const drill = await startDrill(stack, { age: 22, playbook: v2, livesWithParents: true });
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    await drill.complete('eas-analysis');
    // The decision completes the joint assessment's task and plans the registration it decided.
    await drill.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende', register: true });
    await drill.event({ type: 'ARRESTED' }, 'POLICE_LOCAL');
    await drill.event({ type: 'RELEASED_AFTER_ARREST' }, 'POLICE_LOCAL');
    await drill.event({ type: 'ARRESTED' }, 'POLICE_LOCAL');
    await drill.event({ type: 'REMANDED' }, 'POLICE_LOCAL');
    await drill.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Motiveret i varetægt' });
    await drill.event({ type: 'CONSENT_GIVEN' });
    await drill.event({ type: 'SENTENCED', earliestParoleDate: inDays(200), fullTermDate: inDays(300) });
    await drill.event({ type: 'PAROLE_DECIDED', granted: false });
    await drill.event({ type: 'CONTACT_DIFFICULT' });
    const status = await drill.status();
    expect(status.stage).toBe('CUSTODY');
    expect(status.tasks.map((t) => t.key)).toEqual(
      expect.arrayContaining(['eas-registration', 'arrest-follow-up', 'custody-exit', 'release-housing']),
    );
    await save(stack, drill.id, 'playbook-v2-custody');
  });

  it('task outcomes: not reached until the operative group is asked, an offer declined, not relevant', async () => {
    // Recorded 2026-12-06 with patch task-outcomes (issue 10, item 8), on playbook v2.
    const v2 = { ...structuredClone(playbookV2 as Playbook), version: 1302, name: 'drill 1302 (v2)' };
    await publish(stack, v2);
    const drill = await startDrill(stack, { age: 16, playbook: v2 });
    for (let attempt = 1; attempt <= 3; attempt++) await drill.complete('ssp-home-visit', 'NOT_REACHED');
    await drill.complete('dks-home-visit', 'DECLINED');
    await drill.complete('underretning', 'NOT_RELEVANT');
    await drill.complete('eas-analysis');
    const status = await drill.status();
    expect(status.stage).toBe('ASSESSMENT');
    expect(status.escalations.map((e) => [e.kind, e.escalatedTo])).toEqual([['TASK_NOT_REACHED', 'OPERATIVE_GROUP']]);
    await save(stack, drill.id, 'task-outcomes');
  });

  it('person correction: an "adult" in Exit found to be 16 (Exit work cancelled), then a corrected name', async () => {
    // Recorded 2026-12-06 with patch people-person-correction (issue 10, item 7), on playbook v2.
    const v2 = { ...structuredClone(playbookV2 as Playbook), version: 1303, name: 'drill 1303 (v2)' };
    await publish(stack, v2);
    const drill = await startDrill(stack, { age: 21, playbook: v2 });
    await drill.complete('eas-analysis');
    await drill.event({ type: 'ASSESSED', track: 'EXIT_KK', reasons: 'Ønsker exit' });
    await drill.event({ type: 'CONSENT_GIVEN' });
    const correct = (fields: { name?: string; birthDate?: string }, reason: string) =>
      drill.handle.executeUpdate(correctPersonUpdate, {
        args: [
          {
            ...fields,
            reason,
            requestedBy: 'POLICE_EAS',
            requestedByUser: 'koordinator',
            requestedByRoles: ['COORDINATOR'],
          },
        ],
      });
    const sixteen = new Date(Date.now() - (16 * 365 + 40) * 86_400_000).toISOString().slice(0, 10);
    const corrected = await correct({ birthDate: sixteen }, 'Fødselsdato fra CPR');
    expect(corrected.tasks.filter((t) => t.cancelCode === 'NOT_NEEDED').map((t) => t.key)).toEqual(
      expect.arrayContaining(['eki-exit-intake', 'jobcenter-exit-plan']),
    );
    await correct({ name: 'Fixture Rettet' }, 'Stavefejl');
    await save(stack, drill.id, 'person-correction');
  });

  it('on hold: held until a day, held again, resumed now, held again and completed while held', async () => {
    // Recorded 2026-12-06 with patch on-hold-tasks (issue 10, item 8), on playbook v2. The return at the date itself
    // is days away; the fake-clock tests cover it (test/unit/pathway-machine-hold.spec.ts).
    const v2 = { ...structuredClone(playbookV2 as Playbook), version: 1303, name: 'drill 1303 (v2)' };
    await publish(stack, v2);
    const drill = await startDrill(stack, { age: 16, playbook: v2 });
    const taskId = (await drill.status()).tasks.find((t) => t.key === 'ssp-home-visit')!.id;
    const day = (days: number) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(
        new Date(Date.now() + days * 86_400_000),
      );
    const hold = (until: string, reason: string, note?: string) =>
      drill.handle.executeUpdate(holdTaskUpdate, {
        args: [{ taskId, requestedBy: 'SSP', until, reason, ...(note ? { note } : {}) }],
      });
    await hold(day(7), 'AWAITING_PERSON', 'Mor ringer efter ferien');
    await hold(day(14), 'OTHER', 'Venter på skolen');
    await drill.handle.executeUpdate(resumeTaskUpdate, { args: [{ taskId, requestedBy: 'SSP' }] });
    await hold(day(3), 'PERSON_AWAY');
    await drill.complete('ssp-home-visit');
    const status = await drill.status();
    const visit = status.tasks.find((t) => t.id === taskId)!;
    expect([visit.status, visit.hold]).toEqual(['DONE', undefined]);
    await save(stack, drill.id, 'on-hold');
  });

  it('playbook v3 through the API: charged, an ad-hoc task, remanded, a suggested task added, held and resumed', async () => {
    // Recorded 2026-12-06 on playbook v3 (suggested tasks, CHARGED) with person keys: the history's payloads are
    // encrypted with the pathway's own key, saved wrapped beside it (v3-charged-adhoc-suggested-hold.keys.json).
    const v3 = { ...structuredClone(playbookV3 as Playbook), version: 1304, name: 'drill 1304 (v3)' };
    await publish(stack, v3);
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 30, name: 'Fixture Person' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect([created.status, created.body.playbookVersion]).toEqual([201, 1304]);
    const id = created.body.id as string;
    const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
    const record = (type: string) =>
      http(stack, 'POST', `/pathways/${id}/events`, { type, occurredAt: hourAgo() }, { as: 'operativ-koordinator' });
    expect((await record('CHARGED')).body.stage).toBe('CONTACT');
    const adHoc = await http(
      stack,
      'POST',
      `/pathways/${id}/tasks`,
      { agency: 'CFR', title: 'Frivillig mentor', dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString() },
      { as: 'koordinator' },
    );
    expect(adHoc.status).toBe(201);
    expect((await record('REMANDED')).body.stage).toBe('CUSTODY');
    const url = `/pathways/${id}/suggested-tasks`;
    const listed = await http(stack, 'GET', url, undefined, { as: 'koordinator' });
    expect(listed.body.suggestions.map((t: any) => t.key)).toEqual(['tidlig-plan']);
    const added = await http(stack, 'POST', url, { key: 'tidlig-plan' }, { as: 'koordinator' });
    expect(added.status).toBe(201);
    const tidlig = added.body.task.id as string;
    const until = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(
      new Date(Date.now() + 7 * 86_400_000),
    );
    const held = await http(
      stack,
      'POST',
      `/tasks/${tidlig}/hold`,
      { until, reason: 'AWAITING_PERSON' },
      { as: 'tidlig-sagsbehandler' },
    );
    expect(held.status).toBe(200);
    const resumed = await http(stack, 'POST', `/tasks/${tidlig}/resume`, undefined, { as: 'tidlig-sagsbehandler' });
    expect(resumed.status).toBe(200);
    const pathway = (await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).body;
    expect(pathway.stage).toBe('CUSTODY');
    expect(pathway.tasks.filter((t: any) => t.status === 'OPEN').map((t: any) => t.key)).toEqual(
      expect.arrayContaining(['ad-hoc', 'tidlig-plan']),
    );
    await save(stack, id, 'v3-charged-adhoc-suggested-hold');
  });

  it('playbook pinned through the API: the input carries the pin, the run loads v3 once; charged, an ad-hoc task, remanded, consent', async () => {
    // Recorded 2026-12-06 with the playbook pinned by version and content hash (issue 14, item 7): the start input
    // has no document, the loadPlaybook local activity's marker holds it.
    const v3 = { ...structuredClone(playbookV3 as Playbook), version: 1405, name: 'drill 1405 (v3)' };
    await publish(stack, v3);
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 30, name: 'Fixture Person' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect([created.status, created.body.playbookVersion]).toEqual([201, 1405]);
    const id = created.body.id as string;
    const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
    const record = (type: string) =>
      http(stack, 'POST', `/pathways/${id}/events`, { type, occurredAt: hourAgo() }, { as: 'operativ-koordinator' });
    expect((await record('CHARGED')).body.stage).toBe('CONTACT');
    const adHoc = await http(
      stack,
      'POST',
      `/pathways/${id}/tasks`,
      { agency: 'CFR', title: 'Frivillig mentor', dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString() },
      { as: 'koordinator' },
    );
    expect(adHoc.status).toBe(201);
    expect((await record('REMANDED')).body.stage).toBe('CUSTODY');
    expect((await record('CONSENT_GIVEN')).status).toBe(200);
    await save(stack, id, 'playbook-pinned-through-api');
  });

  it('continue-as-new from a run started with the whole playbook: the next run carries the pin', async () => {
    // Recorded 2026-12-06 (patch playbook-pinned): the run was started whole, as before pins; its playbook is
    // published as is, so it continues as new with the pin (the isPlaybookPublished local activity's marker).
    const drill = await startDrill(stack, { age: 16, playbook, maxHistoryEvents: 60 });
    await drill.complete('eas-registration');
    await drill.complete('ssp-home-visit');
    await drill.complete('dks-home-visit');
    await drill.complete('joint-assessment');
    await drill.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende' });
    await eventually(
      () => drill.status(),
      (s) => s.runs > 0,
    );
    await save(stack, drill.id, 'continue-as-new-to-pinned', drill.handle.firstExecutionRunId);
  });

  it('the operative group’s meeting: a NOTE, the pathway prioritized, a closure it asks for confirmed by a coordinator', async () => {
    // Recorded 2026-12-06 (issue 12): the recordMeetingDecision Update with NOTE, CHANGE_PRIORITY and CLOSE behind the
    // patch meeting-priority-and-close, then decideClosure by a coordinator other than the member who recorded it.
    const created = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 30, name: 'Fixture Person' }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const og = { as: 'operativ-koordinator' };
    const meeting = await http(stack, 'POST', '/meetings', { date: '2026-12-10' }, og);
    expect([201, 200]).toContain(meeting.status);
    const decide = async (title: string, body: Record<string, string>) => {
      const added = await http(
        stack,
        'POST',
        `/meetings/${meeting.body.id}/items`,
        { title, why: 'Drøftes', pathwayId: id },
        og,
      );
      const item = added.body.items.at(-1);
      const res = await http(stack, 'POST', `/meetings/${meeting.body.id}/items/${item.id}/decision`, body, og);
      expect(res.status).toBe(200);
    };
    await decide('Status', { decision: 'NOTE', note: 'Følges' });
    await decide('Prioritet', { decision: 'CHANGE_PRIORITY', priority: 'HIGH', note: 'Prioriteres' });
    await decide('Lukning', { decision: 'CLOSE', outcome: 'COMPLETED', note: 'Ude af miljøet' });
    const confirmed = await http(stack, 'POST', `/pathways/${id}/closure/confirm`, undefined, { as: 'koordinator2' });
    expect(confirmed.status).toBe(200);
    const pathway = (await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).body;
    expect([pathway.stage, pathway.priority]).toEqual(['CLOSED', 'HIGH']);
    await save(stack, id, 'meeting-priority-close');
  });

  it('machine shell: a claim given back, the ladder to level 2 answered by an extension, a reassignment, a stall cleared, a migration, closed', async () => {
    // Recorded after the rules moved into PathwayMachine and the workflow became its shell.
    const rules = drillPlaybook(1201);
    const eas = rules.stages.CONTACT!.tasks.find((t) => t.key === 'eas-registration')!;
    eas.due = { kind: 'duration', seconds: 3 };
    eas.reminderShare = [0.5];
    eas.escalateAfter = { kind: 'duration', seconds: 2 };
    rules.stallAfter = { kind: 'duration', seconds: 4 };
    const next = { ...structuredClone(rules), version: 1202, name: 'drill 1202' };
    await publish(stack, rules);
    await publish(stack, next);
    const drill = await startDrill(stack, { age: 17, playbook: rules });
    const idOf = async (key: string) => (await drill.status()).tasks.find((t) => t.key === key)!.id;
    const easId = await idOf('eas-registration');
    await drill.handle.executeUpdate(claimTaskUpdate, {
      args: [{ taskId: easId, requestedBy: 'POLICE_EAS', assignee: 'analytiker-1' }],
    });
    // Refused by the validator: leaves no trace in the history.
    await expect(
      drill.handle.executeUpdate(claimTaskUpdate, {
        args: [{ taskId: easId, requestedBy: 'POLICE_EAS', assignee: 'en-anden' }],
      }),
    ).rejects.toMatchObject({ cause: { type: 'TaskConflict' } });
    await drill.handle.executeUpdate(unclaimTaskUpdate, { args: [{ taskId: easId, requestedBy: 'OPERATIVE_GROUP' }] });
    const late = await eventually(
      () => drill.status(),
      (s) => s.tasks.some((t) => t.key === 'eas-registration' && t.escalationLevel === 2),
      15000,
    );
    await drill.handle.executeUpdate(resolveEscalationUpdate, {
      args: [
        {
          escalationId: late.escalations.find((e) => e.level === 1)!.id,
          decision: 'EXTEND',
          note: 'Afventer svar',
          requestedBy: 'OPERATIVE_GROUP',
          dueAt: new Date(Date.now() + 3600_000).toISOString(),
        },
      ],
    });
    await drill.handle.executeUpdate(reassignTaskUpdate, {
      args: [
        { taskId: await idOf('ssp-home-visit'), requestedBy: 'OPERATIVE_GROUP', toAgency: 'CFR', reason: 'Kendt' },
      ],
    });
    await drill.complete('eas-registration');
    await drill.complete('dks-home-visit');
    await drill.complete('ssp-home-visit');
    await eventually(
      () => drill.status(),
      (s) => s.stage === 'ASSESSMENT' && s.stalled,
      15000,
    );
    await drill.handle.executeUpdate(migratePlaybookUpdate, {
      args: [{ playbook: next, reason: 'Ny aftale', requestedBy: 'OPERATIVE_GROUP' }],
    });
    await drill.complete('joint-assessment');
    expect((await drill.status()).stalled).toBe(false);
    await drill.event({ type: 'ASSESSED', track: 'OUTREACH', reasons: 'Opsøgende' });
    await closeWithFourEyes(drill, 'OTHER');
    await save(stack, drill.id, 'machine-shell');
  });
});
