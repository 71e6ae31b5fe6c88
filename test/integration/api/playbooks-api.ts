// Publishing playbook versions through HTTP and moving a running pathway to a newer one. New pathways start on the
// newest version; running pathways keep theirs until a coordinator migrates them. A rejected request changes nothing.
import playbookV1 from '../../../libs/domain/playbooks/v1.json';
import { http, pathwayRequest, rowCounts, startStack, type TestStack } from '../../support/stack';

/** Publishing and migrating is the operative group's coordinator's; reading the playbooks any coordinator's. */
const OG = { as: 'operativ-koordinator' };
const READER = { as: 'koordinator' };
const V2_ASSESSMENT_TITLE = 'Fælles vurdering efter playbook 2';
const V1_ASSESSMENT_TITLE = playbookV1.stages.ASSESSMENT.tasks[0].title;

/** v1 as version 2, with one visible difference: the title of the ASSESSMENT task. */
function playbookV2(): any {
  const doc = structuredClone(playbookV1) as any;
  doc.version = 2;
  doc.name = 'Partnerskabsaftalen For et trygt Nørrebro — anden playbook';
  doc.stages.ASSESSMENT.tasks[0].title = V2_ASSESSMENT_TITLE;
  // Version 1's information task for the investigation unit is refused in any playbook published since.
  doc.stages.INTERVENTION.tasks = doc.stages.INTERVENTION.tasks.filter((t: any) => t.agency !== 'POLICE_OC');
  return doc;
}

describe('playbooks', () => {
  let stack: TestStack;
  /** Opened on v1 before v2 is published: one is migrated, the other left alone. */
  let migrated: any;
  let untouched: any;

  async function open(): Promise<any> {
    const res = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 20 }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function storedVersions(): Promise<number[]> {
    const rows: { version: number }[] = await stack.db.query('SELECT version FROM playbooks ORDER BY version');
    return rows.map((r) => r.version);
  }

  async function historyLength(id: string): Promise<number> {
    return (await stack.client.workflow.getHandle(`pathway-${id}`).fetchHistory()).events?.length ?? 0;
  }

  async function snapshot(id: string) {
    const [rows, history, pathway, versions] = await Promise.all([
      rowCounts(stack),
      historyLength(id),
      http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' }),
      storedVersions(),
    ]);
    return { rows, history, pathway: pathway.body, versions };
  }

  /** Completes the CONTACT tasks, so the pathway plans ASSESSMENT from the playbook it runs on. */
  async function toAssessment(pathway: any): Promise<any> {
    // An adult's only CONTACT task is EAS's, which the coordinator does.
    for (const task of pathway.tasks.filter((t: any) => t.stage === 'CONTACT')) {
      const done = await http(stack, 'POST', `/tasks/${task.id}/complete`, { outcome: 'DONE' }, READER);
      expect(done.status).toBe(200);
    }
    const after = (await http(stack, 'GET', `/pathways/${pathway.id}`, undefined, { as: 'koordinator' })).body;
    expect(after.stage).toBe('ASSESSMENT');
    return after;
  }

  beforeAll(async () => {
    stack = await startStack();
    [migrated, untouched] = await Promise.all([open(), open()]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('publishing', () => {
    it('starts with the bundled v1', async () => {
      const res = await http(stack, 'GET', '/playbooks', undefined, READER);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([{ version: 1, name: playbookV1.name, publishedAt: expect.any(String) }]);
      expect(migrated.playbookVersion).toBe(1);
    });

    it('is published by a coordinator or steering group: another agency → 403, nothing stored', async () => {
      const before = await storedVersions();
      const res = await http(
        stack,
        'POST',
        '/playbooks',
        { ...playbookV2(), version: 50 },
        { as: 'jobcenter-sagsbehandler' },
      );
      expect(res.status).toBe(403);
      expect(await storedVersions()).toEqual(before);
    });

    it('publishes a valid v2 → 201; it is listed newest first and served back exactly as sent', async () => {
      const before = Date.now();
      const res = await http(stack, 'POST', '/playbooks', playbookV2(), OG);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ version: 2, name: playbookV2().name, publishedAt: expect.any(String) });
      expect(Date.parse(res.body.publishedAt)).toBeGreaterThanOrEqual(before - 5000);

      const list = await http(stack, 'GET', '/playbooks', undefined, READER);
      expect(list.body.map((p: any) => p.version)).toEqual([2, 1]);
      const stored = await http(stack, 'GET', '/playbooks/2', undefined, READER);
      expect(stored.status).toBe(200);
      // Nothing was stripped on the way in (the global whitelist pipe leaves this body alone).
      expect(stored.body).toEqual({ ...res.body, definition: playbookV2() });
    });

    it.each([
      ['v2 again', 2, 'playbook version 2 is not newer than the newest published version 2'],
      ['an older version', 1, 'playbook version 1 is not newer than the newest published version 2'],
    ])('refuses %s → 409, nothing stored', async (_name, version, message) => {
      const before = await storedVersions();
      const res = await http(stack, 'POST', '/playbooks', { ...playbookV2(), version, name: 'Igen' }, OG);
      expect(res.status).toBe(409);
      expect(res.body.message).toBe(message);
      expect(await storedVersions()).toEqual(before);
      expect((await http(stack, 'GET', '/playbooks/2', undefined, READER)).body.name).toBe(playbookV2().name);
    });

    it('refuses an invalid document → 400 locating every error, nothing stored', async () => {
      const doc = playbookV2();
      doc.version = 3;
      doc.name = ' ';
      doc.author = 'Styregruppen';
      doc.stages.CONTACT.tasks[0].due = { kind: 'workingDays', days: -1 };
      doc.stages.CONTACT.tasks[1].key = 'eas-registration';
      doc.stages.CONTACT.tasks[2].requires = ['parents'];
      doc.stages.LIMBO = { tasks: [] };
      const before = await storedVersions();
      const res = await http(stack, 'POST', '/playbooks', doc, OG);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'author', reason: 'unknown property' },
          { field: 'name', reason: 'must be a non-empty text' },
          { field: 'stages.CONTACT.tasks[0].due.days', reason: 'must be a whole number 0-3650' },
          { field: 'stages.CONTACT.tasks[1].key', reason: "duplicate task key 'eas-registration'" },
          { field: 'stages.CONTACT.tasks[2].requires[0]', reason: 'must be one of consent, motivation, releaseDate' },
          { field: 'stages.LIMBO', reason: expect.stringMatching(/^unknown stage/) },
        ]),
      );
      expect(res.body.errors).toHaveLength(6);
      expect(res.body.message).toContain('stages.CONTACT.tasks[1].key');
      expect(await storedVersions()).toEqual(before);
    });

    it.each([
      ['a list', [playbookV2()], ['body']],
      ['an empty object', {}, ['version', 'name', 'stages']],
    ])('refuses %s as a playbook → 400', async (_name, body, fields) => {
      const res = await http(stack, 'POST', '/playbooks', body, OG);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toEqual(fields);
    });

    it('refuses a document naming an unknown agency → 400 at each place it is named, nothing stored', async () => {
      const doc = playbookV2();
      doc.version = 3;
      doc.stages.CONTACT.tasks[0].agency = 'POLICE_NOWHERE';
      doc.stages.INTERVENTION.tasks[2].agency = 'POLICE_NOWHERE';
      doc.stages.INTERVENTION.tasks[3].handoverTo = 'NOBODY';
      doc.ageHandover.agencies = { SSP: 'NOBODY', GHOST: 'CFR' };
      const before = await storedVersions();
      const res = await http(stack, 'POST', '/playbooks', doc, OG);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'stages.CONTACT.tasks[0].agency', reason: "unknown agency 'POLICE_NOWHERE'" },
        { field: 'stages.INTERVENTION.tasks[2].agency', reason: "unknown agency 'POLICE_NOWHERE'" },
        { field: 'stages.INTERVENTION.tasks[3].handoverTo', reason: "unknown agency 'NOBODY'" },
        { field: 'ageHandover.agencies.SSP', reason: "unknown agency 'NOBODY'" },
        { field: 'ageHandover.agencies.GHOST', reason: "unknown agency 'GHOST'" },
      ]);
      expect(await storedVersions()).toEqual(before);
    });

    it('refuses work for the investigation unit → 400 naming each field, nothing stored', async () => {
      const doc = playbookV2();
      doc.version = 3;
      doc.stages.INTERVENTION.tasks[2].agency = 'POLICE_OC';
      doc.stages.CONTACT.tasks[0].handoverTo = 'POLICE_OC';
      doc.ageHandover.agencies.POLICE_DKS = 'POLICE_OC';
      const before = await storedVersions();
      const res = await http(stack, 'POST', '/playbooks', doc, OG);
      expect(res.status).toBe(400);
      const reason = expect.stringMatching(/^POLICE_OC is an investigation unit/);
      expect(res.body.errors).toEqual([
        { field: 'stages.CONTACT.tasks[0].handoverTo', reason },
        { field: 'stages.INTERVENTION.tasks[2].agency', reason },
        { field: 'ageHandover.agencies.POLICE_DKS', reason },
      ]);
      expect(await storedVersions()).toEqual(before);
    });

    it('GET /playbooks/:version for an unknown or malformed version → 404', async () => {
      for (const [version, message] of [
        ['99', "no playbook version '99'"],
        ['0', "no playbook version '0'"],
        ['abc', 'no playbook with that version'],
        ['2.5', 'no playbook with that version'],
      ]) {
        const res = await http(stack, 'GET', `/playbooks/${version}`, undefined, READER);
        expect(res.status).toBe(404);
        expect(res.body.message).toBe(message);
      }
    });
  });

  describe('pathways and versions', () => {
    it('a new pathway starts on v2; the running ones stay on v1', async () => {
      const fresh = await open();
      expect(fresh.playbookVersion).toBe(2);
      const old = await http(stack, 'GET', `/pathways/${untouched.id}`, undefined, { as: 'koordinator' });
      expect(old.body.playbookVersion).toBe(1);
    });

    it('migrates a running pathway to v2 → 200; the timeline says so and its next stage is planned from v2', async () => {
      const reason = 'Styregruppen har vedtaget playbook 2';
      const res = await http(
        stack,
        'POST',
        `/pathways/${migrated.id}/playbook-migration`,
        { version: 2, reason },
        { as: 'operativ-koordinator' },
      );
      expect(res.status).toBe(200);
      expect(res.body.playbookVersion).toBe(2);
      expect(res.body.stage).toBe('CONTACT');
      expect(res.body.timeline.at(-1)).toMatchObject({
        kind: 'PLAYBOOK_MIGRATED',
        agency: 'OPERATIVE_GROUP',
        detail: { from: '1', to: '2', reason },
      });
      const timeline = await http(stack, 'GET', `/pathways/${migrated.id}/timeline`, undefined, {
        as: 'koordinator',
      });
      expect(timeline.body.items.filter((e: any) => e.kind === 'PLAYBOOK_MIGRATED')).toHaveLength(1);

      const [onV2, onV1] = await Promise.all([toAssessment(res.body), toAssessment(untouched)]);
      expect(onV2.tasks.find((t: any) => t.stage === 'ASSESSMENT').title).toBe(V2_ASSESSMENT_TITLE);
      expect(onV1.tasks.find((t: any) => t.stage === 'ASSESSMENT').title).toBe(V1_ASSESSMENT_TITLE);
    });

    it('refuses to migrate to v1 again → 409 naming the versions, nothing changed', async () => {
      const before = await snapshot(migrated.id);
      const res = await http(
        stack,
        'POST',
        `/pathways/${migrated.id}/playbook-migration`,
        { version: 1, reason: 'Tilbage til den første' },
        OG,
      );
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('the pathway is on playbook version 2; it can only move to a newer one');
      expect(await snapshot(migrated.id)).toEqual(before);
    });

    it.each([
      ['no reason', 400, 'reason', { version: 2 }, OG],
      ['a blank reason', 400, 'reason', { version: 2, reason: '  ' }, OG],
      ['a version that is not a number', 400, 'version', { version: 'two', reason: 'x' }, OG],
      ['an unknown field', 400, 'playbook', { version: 2, reason: 'x', playbook: {} }, OG],
      ['no token', 401, undefined, { version: 2, reason: 'x' }, { as: 'anonymous' }],
      ['a version never published', 404, undefined, { version: 7, reason: 'x' }, OG],
      ['a caseworker', 403, undefined, { version: 2, reason: 'x' }, { as: 'eki-sagsbehandler' }],
      [
        'the operative group without a coordinator',
        403,
        undefined,
        { version: 2, reason: 'x' },
        { as: 'operativ-gruppe' },
      ],
    ])('refuses a migration with %s → %i, nothing changed', async (_name, status, field, body, headers) => {
      const before = await snapshot(untouched.id);
      const res = await http(stack, 'POST', `/pathways/${untouched.id}/playbook-migration`, body, headers);
      expect(res.status).toBe(status);
      if (field) expect(res.body.errors.map((e: any) => e.field)).toContain(field);
      else if (status === 404) expect(res.body.message).toBe('no playbook version 7');
      else if (status === 403) expect(res.body.message).toBe('only the coordinators may do this');
      expect(await snapshot(untouched.id)).toEqual(before);
    });

    it('refuses to migrate an unknown pathway → 404, or a closed one → 409', async () => {
      const unknown = await http(
        stack,
        'POST',
        '/pathways/0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11/playbook-migration',
        { version: 2, reason: 'x' },
        OG,
      );
      expect(unknown.status).toBe(404);

      const closing = await open();
      const closed = await http(
        stack,
        'POST',
        `/pathways/${closing.id}/events`,
        { type: 'CLOSED', occurredAt: new Date(Date.now() - 60_000).toISOString(), data: { outcome: 'OTHER' } },
        OG,
      );
      expect(closed.body.pendingClosure).toMatchObject({ outcome: 'OTHER' });
      // Four eyes: a second coordinator confirms the closure.
      const confirmed = await http(stack, 'POST', `/pathways/${closing.id}/closure/confirm`, undefined, {
        as: 'koordinator2',
      });
      expect(confirmed.body.stage).toBe('CLOSED');
      const before = await snapshot(closing.id);
      const res = await http(
        stack,
        'POST',
        `/pathways/${closing.id}/playbook-migration`,
        { version: 2, reason: 'x' },
        OG,
      );

      expect(res.status).toBe(409);
      expect(res.body.message).toBe('the pathway is no longer running');
      expect(await snapshot(closing.id)).toEqual(before);
    });
  });
});
