// Coordinators record what happened to the person, through HTTP. For every event type bad input is a 400 naming the
// field and a misfit is a 409 naming the stage, and neither changes anything in the read model or in Temporal; the
// events that fit move the pathway on. Also the timeline and the pathway list. Real API, worker, Temporal, PostgreSQL.
import { EVENT_TYPES, type EventType } from '../../../libs/domain/src';
import {
  CONTACT_WORKER,
  http,
  pathwayRequest,
  type RequestHeaders,
  rowCounts,
  startStack,
  type TestStack,
} from '../../support/stack';

const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString();

function event(type: string, data?: unknown): Record<string, unknown> {
  return { type, occurredAt: hourAgo(), ...(data === undefined ? {} : { data }) };
}

/** Data each type accepts. */
const VALID: Record<EventType, Record<string, unknown>> = {
  ASSESSED: { track: 'OUTREACH', reasons: 'Vurderet på det fælles møde' },
  ARRESTED: {},
  REMANDED: {},
  SENTENCED: { expectedReleaseDate: inDays(365) },
  RELEASE_DATE_CHANGED: { expectedReleaseDate: inDays(300) },
  RELEASED: {},
  PLACED: { kind: 'JOB' },
  DROPPED_OUT: {},
  CONSENT_GIVEN: {},
  CONSENT_WITHDRAWN: {},
  MOTIVATION_ASSESSED: { motivated: true },
  MOVED: { district: 'TINGBJERG' },
  CLOSED: { outcome: 'DECLINED' },
  RELEASED_AFTER_ARREST: {},
  PAROLE_DECIDED: { granted: true, date: inDays(200) },
  CONTACT_DIFFICULT: {},
  CHARGED: {},
};

/** [type, data, field, reason]: at least one bad `data` per event type. */
const BAD_DATA: [EventType, unknown, string, RegExp][] = [
  ['ASSESSED', { track: 'GANG_LIFE', reasons: 'x' }, 'data.track', /must be one of PREVENTION/],
  ['ASSESSED', { track: 'OUTREACH' }, 'data.reasons', /is required/],
  ['ASSESSED', { track: 'OUTREACH', reasons: '   ' }, 'data.reasons', /non-empty/],
  ['ASSESSED', { track: 'OUTREACH', reasons: 'x', register: 'yes' }, 'data.register', /must be true or false/],
  ['ARRESTED', { where: 'Mjølnerparken' }, 'data.where', /is not a field of ARRESTED/],
  ['REMANDED', { until: '2027-01-01' }, 'data.until', /is not a field of REMANDED/],
  ['SENTENCED', { fullTermDate: inDays(100), earliestParoleDate: inDays(200) }, 'data.earliestParoleDate', /after/],
  ['SENTENCED', { earliestParoleDate: '2001-01-01' }, 'data.earliestParoleDate', /must not be in the past/],
  ['PAROLE_DECIDED', { date: inDays(30) }, 'data.granted', /is required/],
  ['PAROLE_DECIDED', { granted: true, date: 'in May' }, 'data.date', /must be a date/],
  ['RELEASED_AFTER_ARREST', { court: 'x' }, 'data.court', /is not a field of RELEASED_AFTER_ARREST/],
  ['CONTACT_DIFFICULT', { parents: true }, 'data.parents', /is not a field of CONTACT_DIFFICULT/],
  ['CHARGED', { offence: 'x' }, 'data.offence', /is not a field of CHARGED/],
  ['SENTENCED', { expectedReleaseDate: '2027-02-30' }, 'data.expectedReleaseDate', /must be a date/],
  ['RELEASE_DATE_CHANGED', { expectedReleaseDate: 'next week' }, 'data.expectedReleaseDate', /must be a date/],
  ['SENTENCED', { expectedReleaseDate: '2001-01-01' }, 'data.expectedReleaseDate', /must not be in the past/],
  [
    'RELEASE_DATE_CHANGED',
    { expectedReleaseDate: new Date(Date.now() - 3 * 86400_000).toISOString() },
    'data.expectedReleaseDate',
    /must not be in the past/,
  ],
  ['RELEASED', { to: 'home' }, 'data.to', /is not a field of RELEASED/],
  ['PLACED', { kind: 'PRISON' }, 'data.kind', /must be one of JOB, EDUCATION, INTERNSHIP/],
  ['PLACED', {}, 'data.kind', /is required/],
  ['DROPPED_OUT', { reason: 'moved abroad' }, 'data.reason', /is not a field of DROPPED_OUT/],
  ['CONSENT_GIVEN', { signedBy: 'x' }, 'data.signedBy', /is not a field of CONSENT_GIVEN/],
  ['CONSENT_WITHDRAWN', { type: 'CONSENT_GIVEN' }, 'data.type', /is not a field of CONSENT_WITHDRAWN/],
  ['MOTIVATION_ASSESSED', { motivated: 'yes' }, 'data.motivated', /must be true or false/],
  ['MOTIVATION_ASSESSED', {}, 'data.motivated', /is required/],
  ['MOVED', { district: 'vesterbro' }, 'data.district', /must be a district code such as YDRE_NORREBRO/],
  ['MOVED', { district: 'VESTERBRO' }, 'data.district', /^unknown district 'VESTERBRO'; districts in use are /],
  ['CLOSED', {}, 'data.outcome', /is required/],
  ['CLOSED', { outcome: 'DONE', note: 'x' }, 'data.outcome', /must be one of COMPLETED/],
  ['CLOSED', { outcome: 'DONE', note: 'x' }, 'data.note', /is not a field of CLOSED/],
];

type FixtureStage = 'CONTACT' | 'ASSESSMENT' | 'CUSTODY' | 'CLOSED';

/** [stage, type]: at least one event per type that the stage does not take. */
const MISFITS: [FixtureStage, EventType][] = [
  ['CONTACT', 'ASSESSED'],
  ['CONTACT', 'RELEASE_DATE_CHANGED'],
  ['CONTACT', 'RELEASED'],
  ['CONTACT', 'PLACED'],
  ['CONTACT', 'DROPPED_OUT'],
  ['CONTACT', 'PAROLE_DECIDED'],
  ['ASSESSMENT', 'DROPPED_OUT'],
  ['ASSESSMENT', 'RELEASED'],
  ['ASSESSMENT', 'PLACED'],
  ['CUSTODY', 'ARRESTED'],
  ['CUSTODY', 'PLACED'],
  ['CUSTODY', 'DROPPED_OUT'],
  ...EVENT_TYPES.map((type): [FixtureStage, EventType] => ['CLOSED', type]),
];

const EAS = { as: 'koordinator' };
/** Who works a CONTACT task's agency here: the coordinator registers, the caseworkers of SSP and DKS visit. */

describe('recording events on a pathway', () => {
  let stack: TestStack;
  /** One pathway standing in each stage, for the cases that must change nothing. */
  const fixtures = {} as Record<FixtureStage, string>;

  async function open(overrides: Parameters<typeof pathwayRequest>[0] = {}): Promise<any> {
    // Reported by the local police (pathwayRequest's source agency).
    const res = await http(stack, 'POST', '/pathways', pathwayRequest({ age: 20, ...overrides }), {
      as: 'lokalpoliti-sagsbehandler',
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Events are recorded by the operative group's coordinator unless a test names another caller. */
  async function record(id: string, body: unknown, headers: RequestHeaders = { as: 'operativ-koordinator' }) {
    return http(stack, 'POST', `/pathways/${id}/events`, body, headers);
  }

  async function recordOk(
    id: string,
    body: unknown,
    headers: RequestHeaders = { as: 'operativ-koordinator' },
  ): Promise<any> {
    const res = await record(id, body, headers);
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 200, message: undefined });
    return res.body;
  }

  /** CLOSED by a coordinator, confirmed by a second one (four eyes): the pathway as it stands closed. */
  async function closeOk(id: string, body: unknown): Promise<any> {
    expect((await recordOk(id, body, { as: 'koordinator' })).pendingClosure).toBeDefined();
    const confirmed = await http(stack, 'POST', `/pathways/${id}/closure/confirm`, undefined, { as: 'koordinator2' });
    expect(confirmed.status).toBe(200);
    return confirmed.body;
  }

  /** Completes every open task of the pathway's current stage; CONTACT ends with its tasks. */
  async function completeStage(pathway: any): Promise<any> {
    for (const task of pathway.tasks.filter((t: any) => t.stage === pathway.stage && t.status === 'OPEN')) {
      const done = await http(
        stack,
        'POST',
        `/tasks/${task.id}/complete`,
        { outcome: 'DONE' },
        { as: CONTACT_WORKER[task.agency] },
      );
      expect(done.status).toBe(200);
    }
    return (await http(stack, 'GET', `/pathways/${pathway.id}`, undefined, { as: 'koordinator' })).body;
  }

  async function historyLength(id: string): Promise<number> {
    return (await stack.client.workflow.getHandle(`pathway-${id}`).fetchHistory()).events?.length ?? 0;
  }

  /** Everything a rejected request could have touched. */
  async function snapshot(id: string) {
    const [rows, history, pathway] = await Promise.all([
      rowCounts(stack),
      historyLength(id),
      http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' }),
    ]);
    return { rows, history, pathway: pathway.body };
  }

  beforeAll(async () => {
    stack = await startStack();
    const [contact, assessment, custody, closed] = await Promise.all([open(), open(), open(), open({ age: 16 })]);
    fixtures.CONTACT = contact.id;
    fixtures.ASSESSMENT = (await completeStage(assessment)).id;
    fixtures.CUSTODY = (await recordOk(custody.id, event('ARRESTED'))).id;
    fixtures.CLOSED = (await closeOk(closed.id, event('CLOSED', VALID.CLOSED))).id;
    for (const [stage, id] of Object.entries(fixtures)) {
      expect((await http(stack, 'GET', `/pathways/${id}`, undefined, { as: 'koordinator' })).body.stage).toBe(stage);
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('the cases below cover every event type', () => {
    expect(new Set(BAD_DATA.map(([type]) => type))).toEqual(new Set(EVENT_TYPES));
    expect(new Set(MISFITS.map(([, type]) => type))).toEqual(new Set(EVENT_TYPES));
    expect(Object.keys(VALID).sort()).toEqual([...EVENT_TYPES].sort());
  });

  describe('bad input → 400 naming the field, nothing changed', () => {
    it.each(BAD_DATA)('%s with data %j → 400 at %s', async (type, data, field, reason) => {
      const id = fixtures.CONTACT;
      const before = await snapshot(id);
      const res = await record(id, event(type, data));
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ field, reason: expect.stringMatching(reason) });
      expect(res.body.message).toContain(field);
      expect(await snapshot(id)).toEqual(before);
    });

    it.each([
      ['an unknown type', 'type', { ...event('ARRESTED'), type: 'KIDNAPPED' }, /must be one of ASSESSED/],
      ['no type', 'type', { occurredAt: hourAgo() }, /is required/],
      ['no occurredAt', 'occurredAt', { type: 'ARRESTED' }, /is required/],
      ['an occurredAt without a zone', 'occurredAt', { type: 'ARRESTED', occurredAt: '2026-11-20T10:00:00' }, /zone/],
      ['an occurredAt in the future', 'occurredAt', { type: 'ARRESTED', occurredAt: inDays(1) }, /future/],
      ['data that is a list', 'data', event('ARRESTED', []), /must be an object/],
      ['data that is text', 'data', event('MOVED', 'TINGBJERG'), /must be an object/],
      ['an unknown top-level field', 'recordedBy', { ...event('ARRESTED'), recordedBy: 'EKI' }, /should not exist/],
    ])('%s → 400 at %s', async (_name, field, body, reason) => {
      const id = fixtures.CONTACT;
      const before = await snapshot(id);
      const res = await record(id, body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ field, reason: expect.stringMatching(reason) });
      expect(await snapshot(id)).toEqual(before);
    });

    it.each([['OPERATIVE_GROUP'], ['Ali from EKI']])(
      'an X-Agency header (%s) names nobody: without a token → 401, nothing changed, no free text quoted',
      async (agency) => {
        const id = fixtures.CONTACT;
        const before = await snapshot(id);
        const res = await record(id, event('CONSENT_GIVEN'), { as: 'anonymous', 'X-Agency': agency });
        expect(res.status).toBe(401);
        expect(JSON.stringify(res.body)).not.toContain('Ali');
        expect(await snapshot(id)).toEqual(before);
      },
    );

    it('an unknown or malformed pathway id → 404, nothing changed', async () => {
      const before = await rowCounts(stack);
      for (const id of ['0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11', 'not-a-uuid']) {
        const res = await record(id, event('CONSENT_GIVEN'));
        expect(res.status).toBe(404);
        expect(res.body.message).toContain('no pathway');
      }
      expect(await rowCounts(stack)).toEqual(before);
    });
  });

  describe('an event that does not fit the stage → 409 naming the stage, nothing changed', () => {
    it.each(MISFITS)('in %s: %s', async (stage, type) => {
      const id = fixtures[stage];
      const before = await snapshot(id);
      const res = await record(id, event(type, VALID[type]));
      expect(res.status).toBe(409);
      if (stage === 'CLOSED') {
        expect(res.body.message).toBe('the pathway is CLOSED and accepts no events');
      } else {
        expect(res.body.message).toContain(`${type} does not fit stage ${stage}; it accepts `);
      }
      expect(await snapshot(id)).toEqual(before);
    });

    it('RELEASED_AFTER_ARREST with no arrest → 409 from the workflow’s validator, nothing changed', async () => {
      const before = await snapshot(fixtures.CONTACT);
      const res = await record(fixtures.CONTACT, event('RELEASED_AFTER_ARREST'));
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('there is no arrest or remand without a sentence to be released from');
      expect(await snapshot(fixtures.CONTACT)).toEqual(before);
    });

    it('Exit for a 16-year-old → 409 naming the age rule, nothing changed; PREVENTION is taken', async () => {
      const pathway = await completeStage(await open({ age: 16 }));
      expect(pathway.stage).toBe('ASSESSMENT');
      const before = await snapshot(pathway.id);
      for (const track of ['EXIT_KK', 'EXIT_NATIONAL']) {
        const res = await record(pathway.id, event('ASSESSED', { track, reasons: 'Ønsker exit' }));
        expect(res.status).toBe(409);
        expect(res.body.message).toBe(
          `${track} is for adults (18 and over); under 18 the tracks are PREVENTION, OUTREACH and NO_ACTION`,
        );
      }
      const register = await record(
        pathway.id,
        event('ASSESSED', { track: 'PREVENTION', reasons: 'Forebyggelse', register: true }),
      );
      expect(register.status).toBe(400);
      expect(register.body.errors).toEqual([
        { field: 'data.registrationReason', reason: 'is required to register someone under 18' },
      ]);
      expect(await snapshot(pathway.id)).toEqual(before);
      const taken = await recordOk(pathway.id, event('ASSESSED', { track: 'PREVENTION', reasons: 'Forebyggelse' }));
      expect(taken.stage).toBe('INTERVENTION');
    });

    it('Exit assessed in custody → 200: the pathway stays in CUSTODY on the Exit track', async () => {
      const pathway = await recordOk((await open()).id, event('REMANDED'));
      expect(pathway.stage).toBe('CUSTODY');
      const assessed = await recordOk(pathway.id, event('ASSESSED', { track: 'EXIT_KK', reasons: 'Motiveret' }));
      expect(assessed).toMatchObject({ stage: 'CUSTODY', track: 'EXIT_KK' });
    });

    it('when the read model lags behind, the workflow refuses the event itself, before it reaches history', async () => {
      const pathway = await open();
      // The read model claims ASSESSMENT, so the API lets ASSESSED through; the workflow knows it is CONTACT.
      await stack.db.query(`UPDATE pathways SET stage = 'ASSESSMENT' WHERE id = $1`, [pathway.id]);
      try {
        const before = await snapshot(pathway.id);
        const res = await record(pathway.id, event('ASSESSED', VALID.ASSESSED));
        expect(res.status).toBe(409);
        expect(res.body.message).toContain('ASSESSED does not fit stage CONTACT');
        expect(await snapshot(pathway.id)).toEqual(before);
      } finally {
        await stack.db.query(`UPDATE pathways SET stage = 'CONTACT' WHERE id = $1`, [pathway.id]);
      }
    });

    it('answers from the read model without waiting for the workflow: with the worker stopped, 409 and 400 at once', async () => {
      const before = await snapshot(fixtures.CONTACT);
      await stack.stopWorker();
      try {
        // With no worker, an update would wait for one; these answers must not depend on it.
        const answer = (body: unknown) =>
          Promise.race([
            record(fixtures.CONTACT, body),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error('waited for the workflow')), 5000)),
          ]);
        const misfit = await answer(event('RELEASED'));
        expect(misfit.status).toBe(409);
        expect(misfit.body.message).toContain('RELEASED does not fit stage CONTACT');
        const invalid = await answer(event('MOVED', { district: 'VESTERBRO' }));
        expect(invalid.status).toBe(400);
      } finally {
        await stack.startWorker();
      }
      expect(await snapshot(fixtures.CONTACT)).toEqual(before);
    });

    it('a pathway whose workflow is gone (terminated by an operator) → 409, nothing changed', async () => {
      const pathway = await open();
      await stack.client.workflow.getHandle(`pathway-${pathway.id}`).terminate('test: operator stopped it');
      const before = await snapshot(pathway.id);
      const res = await record(pathway.id, event('CONSENT_GIVEN'));
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('the pathway is no longer running');
      expect(await snapshot(pathway.id)).toEqual(before);
    });
  });

  describe('POST /pathways/:id/events/preview', () => {
    it('shows the tasks, deadlines and stage an ARRESTED will bring, changes nothing, and then is what recording does', async () => {
      const pathway = await open();
      const id = pathway.id;
      const { pathway: before, history } = await snapshot(id);
      const res = await http(stack, 'POST', `/pathways/${id}/events/preview`, event('ARRESTED'), {
        as: 'operativ-koordinator',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ stageBefore: 'CONTACT', stageAfter: 'CUSTODY' });
      expect(res.body.created.length).toBeGreaterThan(0);
      // Nothing recorded: the pathway (its version, tasks, stage) and the workflow's history are as they were.
      const after = await snapshot(id);
      expect({ pathway: after.pathway, history: after.history }).toEqual({ pathway: before, history });

      const openBefore = new Set(before.tasks.filter((t: any) => t.status === 'OPEN').map((t: any) => t.id));
      const recorded = await recordOk(id, event('ARRESTED'));
      expect(recorded.stage).toBe(res.body.stageAfter);
      // The same tasks in any order: the answer lists tasks as the read model orders them, the preview as created.
      const byAgencyAndTitle = (a: any, b: any) => `${a.agency} ${a.title}`.localeCompare(`${b.agency} ${b.title}`);
      const opened = recorded.tasks
        .filter((t: any) => !openBefore.has(t.id) && (t.status === 'OPEN' || t.status === 'CLAIMED'))
        .map((t: any) => ({ agency: t.agency, title: t.title, dueAt: t.dueAt }))
        .sort(byAgencyAndTitle);
      const previewed = res.body.created
        .map((t: any) => ({ agency: t.agency, title: t.title, dueAt: t.dueAt }))
        .sort(byAgencyAndTitle);
      // Deadlines are worked out from the moment of recording: the same tasks, deadlines within the seconds between.
      expect(opened.map((t: any) => [t.agency, t.title])).toEqual(previewed.map((t: any) => [t.agency, t.title]));
      opened.forEach((t: any, i: number) =>
        expect(Math.abs(Date.parse(t.dueAt) - Date.parse(previewed[i].dueAt))).toBeLessThan(120_000),
      );
      const ended = recorded.tasks
        .filter((t: any) => openBefore.has(t.id) && t.status !== 'OPEN' && t.status !== 'CLAIMED')
        .map((t: any) => ({ agency: t.agency, title: t.title, status: t.status }));
      expect(res.body.ended).toEqual(ended);
    });

    it('bad data → 400 naming the field; a misfit → 409; an unknown pathway → 404; nothing changed', async () => {
      const id = fixtures.CONTACT;
      const before = await snapshot(id);
      const preview = (body: unknown, pathwayId = id) =>
        http(stack, 'POST', `/pathways/${pathwayId}/events/preview`, body, { as: 'operativ-koordinator' });
      const bad = await preview(event('PLACED', { kind: 'PRISON' }));
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toContainEqual({ field: 'data.kind', reason: expect.stringMatching(/must be one of/) });
      const misfit = await preview(event('RELEASED'));
      expect(misfit.status).toBe(409);
      expect(misfit.body.message).toMatch(/CONTACT/);
      expect((await preview(event('ARRESTED'), '00000000-0000-4000-8000-000000000000')).status).toBe(404);
      const after = await snapshot(id);
      expect({ pathway: after.pathway, history: after.history }).toEqual({
        pathway: before.pathway,
        history: before.history,
      });
    });
    it('with the worker stopped: 503 TEMPORAL_UNAVAILABLE once the call deadline passes, not a 500; nothing changed', async () => {
      // A query needs a worker to answer it; without one Temporal holds it until the API's deadline for a Temporal
      // call (TEMPORAL_CALL_TIMEOUT_MS, 15 s here) and the answer says to try again.
      const id = fixtures.CONTACT;
      const before = await snapshot(id);
      await stack.stopWorker();
      try {
        const res = await http(stack, 'POST', `/pathways/${id}/events/preview`, event('ARRESTED'), {
          as: 'operativ-koordinator',
        });
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ code: 'TEMPORAL_UNAVAILABLE' });
      } finally {
        await stack.startWorker();
      }
      expect(await snapshot(id)).toEqual(before);
    }, 60_000);
  });

  describe('events that fit', () => {
    it('ARRESTED in CONTACT moves to CUSTODY with its tasks, recorded for the signed-in person’s agency', async () => {
      const pathway = await open();
      const arrest = event('ARRESTED');
      const answer = await recordOk(pathway.id, arrest, { as: 'lokalpoliti-sagsbehandler' });
      // The local police get the stage and their own tasks back; the whole pathway is the coordinators'.
      expect(answer.stage).toBe('CUSTODY');
      expect(answer.person).toBeUndefined();
      expect(answer.timeline).toBeUndefined();
      expect(answer.tasks.every((t: any) => t.agency === 'POLICE_LOCAL')).toBe(true);
      const after = (await http(stack, 'GET', `/pathways/${pathway.id}`, undefined, { as: 'koordinator' })).body;
      expect(after.stageEnteredAt > pathway.stageEnteredAt).toBe(true);
      expect(
        after.tasks
          .filter((t: any) => t.stage === 'CUSTODY')
          .map((t: any) => t.key)
          .sort(),
      ).toEqual(['custody-motivation-talk', 'tidlig-plan']);
      expect(after.timeline.slice(pathway.timeline.length, pathway.timeline.length + 2)).toMatchObject([
        { kind: 'EVENT_RECORDED', agency: 'POLICE_LOCAL', detail: { type: 'ARRESTED', occurredAt: arrest.occurredAt } },
        { kind: 'STAGE_CHANGED', detail: { from: 'CONTACT', to: 'CUSTODY' } },
      ]);

      const releaseAt = inDays(400);
      const sentenced = await recordOk(pathway.id, event('SENTENCED', { expectedReleaseDate: releaseAt }));
      expect(sentenced.stage).toBe('CUSTODY');
      expect(sentenced.expectedReleaseAt).toBe(releaseAt);
    });

    it('ASSESSED in ASSESSMENT moves to INTERVENTION with the track’s tasks', async () => {
      const assessment = await completeStage(await open());
      expect(assessment.stage).toBe('ASSESSMENT');
      const after = await recordOk(assessment.id, event('ASSESSED', VALID.ASSESSED));
      expect(after).toMatchObject({ stage: 'INTERVENTION', track: 'OUTREACH' });
      expect(
        after.tasks
          .filter((t: any) => t.stage === 'INTERVENTION')
          .map((t: any) => `${t.agency}:${t.key}`)
          .sort(),
      ).toEqual(['CFR:cfr-outreach', 'CFR:cfr-youth-centre', 'POLICE_LOCAL:local-police-contact']);
      // Recorded in the name of the signed-in coordinator's agency (the operative group's, here).
      expect(after.timeline.find((e: any) => e.kind === 'EVENT_RECORDED')).toMatchObject({
        agency: 'OPERATIVE_GROUP',
        detail: { type: 'ASSESSED', track: 'OUTREACH' },
      });
      const queue = await http(stack, 'GET', '/agencies/CFR/tasks', undefined, { as: 'cfr-sagsbehandler' });
      expect(
        queue.body.items
          .filter((t: any) => t.pathwayId === assessment.id)
          .map((t: any) => t.key)
          .sort(),
      ).toEqual(['cfr-outreach', 'cfr-youth-centre']);
    });

    it('consent, motivation and a move show on the pathway without changing its stage', async () => {
      const pathway = await open();
      expect(pathway).toMatchObject({ consent: false, district: 'YDRE_NORREBRO' });
      expect(pathway.motivated).toBeUndefined();
      await recordOk(pathway.id, event('CONSENT_GIVEN'));
      await recordOk(pathway.id, event('MOTIVATION_ASSESSED', { motivated: false }));
      const after = await recordOk(pathway.id, event('MOVED', { district: 'TINGBJERG' }));
      expect(after).toMatchObject({ stage: 'CONTACT', consent: true, motivated: false, district: 'TINGBJERG' });
      const withdrawn = await recordOk(pathway.id, event('CONSENT_WITHDRAWN'));
      expect(withdrawn.consent).toBe(false);
    });

    it('CLOSED, once confirmed, cancels every open task with a coded reason, and the queues drop them', async () => {
      const pathway = await open({ age: 16 });
      expect(pathway.tasks).toHaveLength(3);
      const after = await closeOk(pathway.id, event('CLOSED', { outcome: 'DECLINED' }));
      expect(after).toMatchObject({ stage: 'CLOSED', closingOutcome: 'DECLINED' });
      expect(after.closedAt).toEqual(after.stageEnteredAt);
      // The tasks carry the code; the words (with the outcome) are on the coordinators' timeline only.
      expect(after.tasks.map((t: any) => [t.status, t.cancelCode, t.cancelReason])).toEqual([
        ['CANCELLED', 'PATHWAY_CLOSED', undefined],
        ['CANCELLED', 'PATHWAY_CLOSED', undefined],
        ['CANCELLED', 'PATHWAY_CLOSED', undefined],
      ]);
      expect(after.timeline.filter((e: any) => e.kind === 'TASK_CANCELLED').map((e: any) => e.detail.reason)).toEqual(
        Array(3).fill('pathway closed: DECLINED'),
      );
      expect(after.timeline.at(-1)).toMatchObject({ kind: 'PATHWAY_CLOSED', detail: { outcome: 'DECLINED' } });
      for (const agency of ['POLICE_EAS', 'SSP', 'POLICE_DKS']) {
        const queue = await http(stack, 'GET', `/agencies/${agency}/tasks`, undefined, { as: CONTACT_WORKER[agency] });
        expect(queue.body.items.some((t: any) => t.pathwayId === pathway.id)).toBe(false);
      }
    });
  });

  describe('GET /pathways/:id/timeline', () => {
    it('is the pathway’s timeline in order, without the person', async () => {
      const pathway = await open({ name: 'Timeline Testesen' });
      await recordOk(pathway.id, event('CONSENT_GIVEN'), { as: 'koordinator2' });
      const [timeline, full] = await Promise.all([
        http(stack, 'GET', `/pathways/${pathway.id}/timeline`, undefined, { as: 'koordinator' }),
        http(stack, 'GET', `/pathways/${pathway.id}`, undefined, { as: 'koordinator' }),
      ]);
      expect(timeline.status).toBe(200);
      expect(timeline.body).toEqual({ items: full.body.timeline });
      expect(timeline.body.items.map((e: any) => e.kind)).toEqual(['PATHWAY_OPENED', 'TASK_CREATED', 'EVENT_RECORDED']);
      expect(timeline.body.items.map((e: any) => e.sequence)).toEqual([1, 2, 3]);
      expect(JSON.stringify(timeline.body)).not.toContain('Testesen');
    });

    it('an unknown or malformed id → 404', async () => {
      for (const id of ['0b5f6c3e-6d3a-4f7e-9a53-1f0e8a0c0c11', 'not-a-uuid']) {
        const res = await http(stack, 'GET', `/pathways/${id}/timeline`, undefined, { as: 'koordinator' });
        expect(res.status).toBe(404);
      }
    });
  });

  describe('GET /pathways', () => {
    const names = ['Liste Aasen', 'Liste Bech', 'Liste Colding', 'Liste Dahl', 'Liste Eriksen'];
    const districts = ['TINGBJERG', 'INDRE_NORREBRO', 'TINGBJERG', 'BISPEBJERG_NORDVEST', 'OTHER'];
    let created: string[];

    beforeAll(async () => {
      created = [];
      // One after the other, so their opening times are ordered.
      for (const [i, name] of names.entries()) created.push((await open({ name, district: districts[i] })).id);
      // One of them assessed, for the track filter.
      const assessment = await completeStage(
        (await http(stack, 'GET', `/pathways/${created[3]}`, undefined, { as: 'koordinator' })).body,
      );
      await recordOk(assessment.id, event('ASSESSED', VALID.ASSESSED));
    });

    async function allPages(query: string): Promise<{ ids: string[]; pages: any[] }> {
      const pages: any[] = [];
      let cursor: string | null = null;
      do {
        const res: { status: number; body: any } = await http(
          stack,
          'GET',
          `/pathways?${query}${cursor ? `&cursor=${cursor}` : ''}`,
          undefined,
          EAS,
        );
        expect(res.status).toBe(200);
        pages.push(res.body);
        cursor = res.body.nextCursor;
      } while (cursor && pages.length < 100);
      return { ids: pages.flatMap((p) => p.items.map((i: any) => i.id)), pages };
    }

    async function idsInDb(where = 'TRUE', params: unknown[] = []): Promise<string[]> {
      const rows: { id: string }[] = await stack.db.query(
        `SELECT id FROM pathways WHERE ${where} ORDER BY opened_at DESC, id DESC`,
        params,
      );
      return rows.map((r) => r.id);
    }

    it('pages newest first with limit and cursor, every pathway once, without personal data', async () => {
      const { ids, pages } = await allPages('limit=2');
      expect(pages.every((p) => p.items.length <= 2)).toBe(true);
      expect(pages.at(-1).nextCursor).toBeNull();
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(await idsInDb());
      expect(ids.slice(0, 5)).toEqual([...created].reverse());

      const first = pages[0].items[0];
      expect(Object.keys(first).sort()).toEqual(
        ['consent', 'district', 'id', 'openedAt', 'playbookVersion', 'priority', 'stage', 'stageEnteredAt'].sort(),
      );
      expect(first).toMatchObject({ id: created[4], stage: 'CONTACT', district: 'OTHER', consent: false });
      const text = JSON.stringify(pages);
      for (const name of names) expect(text).not.toContain(name);
      expect(text).not.toContain('birthDate');
    });

    it('filters by district, stage and track, and pages within the filter', async () => {
      const tingbjerg = await allPages('district=TINGBJERG&limit=1');
      expect(tingbjerg.ids).toEqual(await idsInDb(`district = 'TINGBJERG'`));
      expect(tingbjerg.ids).toEqual(expect.arrayContaining([created[0], created[2]]));
      expect(tingbjerg.pages.flatMap((p) => p.items).every((i: any) => i.district === 'TINGBJERG')).toBe(true);

      const closed = await allPages('stage=CLOSED');
      expect(closed.ids).toContain(fixtures.CLOSED);
      expect(closed.ids).toEqual(await idsInDb(`stage = 'CLOSED'`));
      expect(closed.pages[0].items.find((i: any) => i.id === fixtures.CLOSED)).toMatchObject({
        stage: 'CLOSED',
        closingOutcome: 'DECLINED',
      });

      const outreach = await allPages('track=OUTREACH&stage=INTERVENTION');
      expect(outreach.ids).toContain(created[3]);
      expect(outreach.ids).toEqual(await idsInDb(`track = 'OUTREACH' AND stage = 'INTERVENTION'`));

      const none = await http(stack, 'GET', '/pathways?district=OTHER&stage=CUSTODY', undefined, EAS);
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });

    it('filters by overdue, stalled, release within N weeks and turning 18 within N months', async () => {
      // The read model as the worker would have written it: an overdue task, a stalled pathway, a release date and
      // an 18th birthday, each on one of the listed pathways, the others outside every window.
      const [overdue, stalled, releasing, turning] = created;
      await stack.db.query(`UPDATE tasks SET overdue = true WHERE pathway_id = $1 AND status IN ('OPEN', 'CLAIMED')`, [
        overdue,
      ]);
      await stack.db.query(`UPDATE pathways SET stalled = true WHERE id = $1`, [stalled]);
      await stack.db.query(`UPDATE pathways SET expected_release_at = now() + interval '20 days' WHERE id = $1`, [
        releasing,
      ]);
      await stack.db.query(`UPDATE pathways SET expected_release_at = now() + interval '200 days' WHERE id = $1`, [
        turning,
      ]);
      await stack.db.query(
        `UPDATE persons SET birth_date = (now() AT TIME ZONE 'Europe/Copenhagen')::date - interval '18 years' + interval '40 days'
          WHERE pathway_id = $1`,
        [turning],
      );

      const overdueIds = await allPages('overdue=true&limit=2');
      expect(overdueIds.ids).toContain(overdue);
      expect(overdueIds.ids).toEqual(
        await idsInDb(`EXISTS (SELECT 1 FROM tasks t WHERE t.pathway_id = pathways.id AND t.overdue
          AND t.status IN ('OPEN', 'CLAIMED'))`),
      );
      expect((await allPages('overdue=false')).ids).not.toContain(overdue);

      expect((await allPages('stalled=true')).ids).toEqual(await idsInDb('stalled'));
      expect((await allPages('stalled=true')).ids).toContain(stalled);
      expect((await allPages('stalled=false')).ids).not.toContain(stalled);

      // 20 days ahead is within 3 weeks; 200 days is not within 4 weeks, but within 30.
      const soon = await allPages('releaseWithinWeeks=3');
      expect(soon.ids).toContain(releasing);
      expect(soon.ids).not.toContain(turning);
      expect((await allPages('releaseWithinWeeks=30')).ids).toEqual(expect.arrayContaining([releasing, turning]));

      // Turning 18 in 40 days: within 2 months, not within 1.
      expect((await allPages('turning18WithinMonths=2')).ids).toContain(turning);
      expect((await allPages('turning18WithinMonths=1')).ids).not.toContain(turning);
      // Filters combine: only the one pathway both releasing within 30 weeks and turning 18 within 2 months.
      expect((await allPages(`turning18WithinMonths=2&releaseWithinWeeks=30&district=${districts[3]}`)).ids).toEqual([
        turning,
      ]);
    });

    it.each([
      ['stage=LIMBO', 'stage', /must be one of CONTACT/],
      ['track=GANG_LIFE', 'track', /must be one of PREVENTION/],
      ['district=VESTERBRO', 'district', /^unknown district 'VESTERBRO'$/],
      ['district=vesterbro', 'district', /must be a district code such as YDRE_NORREBRO/],
      ['limit=0', 'limit', /must be a whole number from 1 to 200/],
      ['limit=500', 'limit', /must be a whole number from 1 to 200/],
      ['limit=0x10', 'limit', /must be a whole number from 1 to 200/],
      ['limit=abc', 'limit', /must be a whole number from 1 to 200/],
      ['cursor=abc', 'cursor', /not a cursor this API handed out/],
      ['sort=name', 'sort', /should not exist/],
      ['overdue=yes', 'overdue', /must be true or false/],
      ['stalled=1', 'stalled', /must be true or false/],
      ['releaseWithinWeeks=0', 'releaseWithinWeeks', /must be from 1 to 104/],
      ['releaseWithinWeeks=105', 'releaseWithinWeeks', /must be from 1 to 104/],
      ['releaseWithinWeeks=two', 'releaseWithinWeeks', /must be a whole number/],
      ['turning18WithinMonths=25', 'turning18WithinMonths', /must be from 1 to 24/],
      ['turning18WithinMonths=1.5', 'turning18WithinMonths', /must be a whole number/],
    ])('?%s → 400 naming %s', async (query, field, reason) => {
      const res = await http(stack, 'GET', `/pathways?${query}`, undefined, EAS);
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ field, reason: expect.stringMatching(reason) });
    });

    it('is for the coordinators and the operative group: no token → 401, a caseworker or steering → 403', async () => {
      expect((await http(stack, 'GET', '/pathways', undefined, { as: 'anonymous' })).status).toBe(401);
      expect((await http(stack, 'GET', '/pathways', undefined, { as: 'jobcenter-sagsbehandler' })).status).toBe(403);
      expect((await http(stack, 'GET', '/pathways', undefined, { as: 'sikker-by' })).status).toBe(403);
      expect((await http(stack, 'GET', '/pathways', undefined, { as: 'operativ-gruppe' })).status).toBe(200);
    });

    it('a forged cursor, or one from an agency queue, → 400', async () => {
      const forged = Buffer.from(JSON.stringify(['pathways', 'yesterday', created[0]])).toString('base64url');
      const queue = await http(stack, 'GET', '/agencies/POLICE_EAS/tasks?limit=1', undefined, EAS);

      expect(queue.body.nextCursor).toEqual(expect.any(String));
      for (const cursor of [forged, queue.body.nextCursor]) {
        const res = await http(stack, 'GET', `/pathways?cursor=${cursor}`, undefined, EAS);
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
      }
    });
  });
});
