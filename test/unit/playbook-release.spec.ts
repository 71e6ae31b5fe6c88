// Release-date deadlines, release planning, requirements and delayed follow-ups. Expected instants were worked out
// by hand from a paper calendar (2026: summer time from 29 March to 25 October; Copenhagen is UTC+2 in summer and
// UTC+1 in winter), never by calling the calendar module.
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  dueFrom,
  planStageTasks,
  releasePlanningStart,
  REQUIREMENTS,
  validatePlaybook,
  type DueRule,
  type Playbook,
  type PlannedTask,
} from '../../libs/domain/src/playbook';
import type { Track } from '../../libs/domain/src/pathway';

const V1_PATH = join(__dirname, '../../libs/domain/playbooks/v1.json');
/** A fresh, mutable copy of the bundled v1 document on every call. */
const v1Document = (): any => JSON.parse(readFileSync(V1_PATH, 'utf8'));
const v1 = (): Playbook => v1Document() as Playbook;
/** The document rules; purpose limitation, which v1's OC task predates, is tested in pathway-machine-v2.spec.ts. */
const validateShape = (doc: unknown) => validatePlaybook(doc, { purposeLimitation: false });

const at = (iso: string): Date => new Date(iso);
const iso = (d: Date): string => d.toISOString();
const keys = (tasks: PlannedTask[]): string[] => tasks.map((t) => t.key);

/** A minimal valid document with one CONTACT task. */
const minimal = (): any => ({
  version: 3,
  name: 'Test',
  stages: {
    CONTACT: {
      tasks: [
        {
          key: 'first-task',
          agency: 'SSP',
          type: 'HOME_VISIT',
          title: 'Hjemmebesøg',
          due: { kind: 'workingDays', days: 5 },
        },
      ],
    },
  },
});
const withTask = (task: Record<string, unknown>): any => {
  const doc = minimal();
  doc.stages.CONTACT.tasks[0] = { ...doc.stages.CONTACT.tasks[0], ...task };
  return doc;
};

describe('REQUIREMENTS', () => {
  it('are consent, motivation and a known release date', () => {
    expect([...REQUIREMENTS]).toEqual(['consent', 'motivation', 'releaseDate']);
  });
});

describe('dueFrom with beforeRelease', () => {
  // Wednesday 1 July 2026 09:00 CEST.
  const release = at('2026-07-01T07:00:00Z');
  const early = at('2026-03-01T10:00:00Z');

  it('counts calendar days back from the release, keeping its Copenhagen wall-clock time', () => {
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 30 }, early, undefined, release))).toBe(
      '2026-06-01T07:00:00.000Z',
    );
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 7 }, early, undefined, release))).toBe(
      '2026-06-24T07:00:00.000Z',
    );
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 70 }, early, undefined, release))).toBe(
      '2026-04-22T07:00:00.000Z',
    );
  });

  it('counts calendar days back across the spring DST change: same wall-clock time, one hour less elapsed', () => {
    // Wednesday 15 April 2026 09:00 CEST; 30 days earlier is Monday 16 March 09:00 CET.
    const april = at('2026-04-15T07:00:00Z');
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 30 }, early, undefined, april))).toBe('2026-03-16T08:00:00.000Z');
  });

  it('counts calendar days back across the autumn DST change', () => {
    // Friday 6 November 2026 09:00 CET; 14 days earlier is Friday 23 October 09:00 CEST.
    const november = at('2026-11-06T08:00:00Z');
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 14 }, early, undefined, november))).toBe(
      '2026-10-23T07:00:00.000Z',
    );
  });

  it('is the release itself with 0 days or 0 seconds', () => {
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 0 }, early, undefined, release))).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(iso(dueFrom({ kind: 'beforeRelease', seconds: 0 }, early, undefined, release))).toBe(
      '2026-07-01T07:00:00.000Z',
    );
  });

  it('counts seconds back from the release exactly', () => {
    expect(iso(dueFrom({ kind: 'beforeRelease', seconds: 3600 }, early, undefined, release))).toBe(
      '2026-07-01T06:00:00.000Z',
    );
    expect(iso(dueFrom({ kind: 'beforeRelease', seconds: 90 }, early, undefined, release))).toBe(
      '2026-07-01T06:58:30.000Z',
    );
  });

  it('prefers seconds over days when a rule somehow has both', () => {
    const both = { kind: 'beforeRelease', days: 30, seconds: 60 } as DueRule;
    expect(iso(dueFrom(both, early, undefined, release))).toBe('2026-07-01T06:59:00.000Z');
  });

  it('ignores the working-day calendar: closing days do not move a beforeRelease deadline', () => {
    // 5 June 2026 (Grundlovsdag) is 26 days before 1 July.
    expect(
      iso(dueFrom({ kind: 'beforeRelease', days: 26 }, early, { closingDays: { constitutionDay: true } }, release)),
    ).toBe('2026-06-05T07:00:00.000Z');
  });

  it('is `from` when the deadline has already passed (planning started late)', () => {
    const late = at('2026-06-20T10:00:00Z');
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 30 }, late, undefined, release))).toBe(
      '2026-06-20T10:00:00.000Z',
    );
    expect(iso(dueFrom({ kind: 'beforeRelease', seconds: 86_400 * 11 + 1 }, late, undefined, release))).toBe(
      '2026-06-20T10:00:00.000Z',
    );
    // Still ahead: 7 days before is 24 June.
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 7 }, late, undefined, release))).toBe('2026-06-24T07:00:00.000Z');
  });

  it('is `from` when the release itself has passed', () => {
    const after = at('2026-07-02T12:00:00Z');
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 0 }, after, undefined, release))).toBe(
      '2026-07-02T12:00:00.000Z',
    );
  });

  it('keeps a deadline exactly at `from`', () => {
    const from = at('2026-06-01T07:00:00Z');
    expect(iso(dueFrom({ kind: 'beforeRelease', days: 30 }, from, undefined, release))).toBe(
      '2026-06-01T07:00:00.000Z',
    );
  });

  describe('without a release date', () => {
    it('is never before `from`', () => {
      for (const from of ['2026-03-01T10:00:00Z', '2026-07-01T10:00:00Z', '2026-10-10T10:00:00Z']) {
        const due = dueFrom({ kind: 'beforeRelease', days: 30 }, at(from));
        expect(due.getTime()).toBeGreaterThanOrEqual(at(from).getTime());
        const dueSeconds = dueFrom({ kind: 'beforeRelease', seconds: 600 }, at(from));
        expect(dueSeconds.getTime()).toBeGreaterThanOrEqual(at(from).getTime());
      }
    });

    // The code comment says the rule "falls back to the same span counted forward from now".
    it('counts a seconds span forward from `from`', () => {
      expect(iso(dueFrom({ kind: 'beforeRelease', seconds: 600 }, at('2026-03-01T10:00:00Z')))).toBe(
        '2026-03-01T10:10:00.000Z',
      );
    });

    it('counts a days span forward from `from`, keeping its Copenhagen wall-clock time', () => {
      expect(iso(dueFrom({ kind: 'beforeRelease', days: 30 }, at('2026-07-01T10:00:00Z')))).toBe(
        '2026-07-31T10:00:00.000Z',
      );
    });

    it('keeps the Copenhagen wall-clock time of `from` across the spring DST change, whatever the span means', () => {
      // 1 March 10:00Z is 11:00 CET. Due at once is 10:00Z; 30 calendar days on is 31 March 11:00 CEST = 09:00Z.
      // Either is defensible; 1 March 11:00Z (12:00 CET) is neither.
      expect(['2026-03-01T10:00:00.000Z', '2026-03-31T09:00:00.000Z']).toContain(
        iso(dueFrom({ kind: 'beforeRelease', days: 30 }, at('2026-03-01T10:00:00Z'))),
      );
    });
  });

  it('leaves the other kinds alone when a release date is given', () => {
    const from = at('2026-03-02T09:00:00Z'); // Monday
    expect(iso(dueFrom({ kind: 'duration', seconds: 60 }, from, undefined, release))).toBe('2026-03-02T09:01:00.000Z');
    expect(iso(dueFrom({ kind: 'calendarDays', days: 3 }, from, undefined, release))).toBe('2026-03-05T09:00:00.000Z');
    expect(iso(dueFrom({ kind: 'workingDays', days: 5 }, from, undefined, release))).toBe('2026-03-09T09:00:00.000Z');
  });
});

describe('releasePlanningStart', () => {
  const withLead = (leadTime: any): Playbook => ({ version: 1, name: 'x', stages: {}, releasePlanning: { leadTime } });

  it('starts 84 calendar days before, at the same Copenhagen wall-clock time across the DST change', () => {
    // Monday 1 June 2026 09:00 CEST; 84 days (12 weeks) earlier is Monday 9 March 09:00 CET = 08:00Z.
    expect(iso(releasePlanningStart(withLead({ kind: 'calendarDays', days: 84 }), at('2026-06-01T07:00:00Z')))).toBe(
      '2026-03-09T08:00:00.000Z',
    );
  });

  it('uses v1: 84 calendar days', () => {
    expect(iso(releasePlanningStart(v1(), at('2026-06-01T07:00:00Z')))).toBe('2026-03-09T08:00:00.000Z');
    // 1 July 09:00 CEST minus 84 days is 8 April 09:00 CEST, no DST change in between.
    expect(iso(releasePlanningStart(v1(), at('2026-07-01T07:00:00Z')))).toBe('2026-04-08T07:00:00.000Z');
  });

  it('defaults to 84 calendar days without releasePlanning', () => {
    expect(iso(releasePlanningStart({ version: 1, name: 'x', stages: {} }, at('2026-06-01T07:00:00Z')))).toBe(
      '2026-03-09T08:00:00.000Z',
    );
  });

  it('counts other calendar-day lead times', () => {
    expect(iso(releasePlanningStart(withLead({ kind: 'calendarDays', days: 1 }), at('2026-03-29T07:00:00Z')))).toBe(
      '2026-03-28T08:00:00.000Z',
    );
    expect(iso(releasePlanningStart(withLead({ kind: 'calendarDays', days: 0 }), at('2026-06-01T07:00:00Z')))).toBe(
      '2026-06-01T07:00:00.000Z',
    );
  });

  it('counts a duration lead time in exact seconds, DST or not', () => {
    expect(iso(releasePlanningStart(withLead({ kind: 'duration', seconds: 600 }), at('2026-06-01T07:00:00Z')))).toBe(
      '2026-06-01T06:50:00.000Z',
    );
    expect(
      iso(releasePlanningStart(withLead({ kind: 'duration', seconds: 84 * 86_400 }), at('2026-06-01T07:00:00Z'))),
    ).toBe('2026-03-09T07:00:00.000Z');
  });
});

describe('validatePlaybook: release, requirements and handover', () => {
  it('accepts the bundled v1 playbook', () => {
    expect(validateShape(v1Document())).toEqual([]);
  });

  it('v1 covers every open stage with at least one task', () => {
    const doc = v1Document();
    expect(Object.keys(doc.stages)).toEqual([
      'CONTACT',
      'ASSESSMENT',
      'INTERVENTION',
      'CUSTODY',
      'RELEASE_PLANNING',
      'REINTEGRATION',
      'PLACEMENT',
      'FOLLOW_UP',
    ]);
    for (const stage of Object.keys(doc.stages)) expect(doc.stages[stage].tasks.length).toBeGreaterThan(0);
  });

  it('accepts beforeRelease deadlines with days or seconds (0 included), requires, startAfter', () => {
    const doc = minimal();
    doc.releasePlanning = { leadTime: { kind: 'duration', seconds: 30 } };
    doc.ageHandover = { age: 18, agencies: { SSP: 'CFR' } };
    doc.stages.RELEASE_PLANNING = {
      tasks: [
        { key: 'a-days', agency: 'EKI', type: 'HOUSING', title: 'Bolig', due: { kind: 'beforeRelease', days: 0 } },
        {
          key: 'b-seconds',
          agency: 'EKI',
          type: 'HOUSING',
          title: 'Bolig',
          due: { kind: 'beforeRelease', seconds: 0 },
          requires: ['consent', 'motivation'],
          startAfter: { kind: 'duration', seconds: 5 },
        },
        {
          key: 'c-empty',
          agency: 'EKI',
          type: 'HOUSING',
          title: 'Bolig',
          due: { kind: 'beforeRelease', days: 3650 },
          requires: [],
        },
      ],
    };
    expect(validateShape(doc)).toEqual([]);
  });

  it.each([
    ['both days and seconds', { kind: 'beforeRelease', days: 30, seconds: 60 }],
    ['neither days nor seconds', { kind: 'beforeRelease' }],
  ])('rejects a beforeRelease deadline with %s', (_label, due) => {
    expect(validateShape(withTask({ due }))).toEqual([
      { path: 'stages.CONTACT.tasks[0].due', message: 'beforeRelease takes one of days, months or seconds' },
    ]);
  });

  it.each([
    [{ kind: 'beforeRelease', days: -1 }, 'stages.CONTACT.tasks[0].due.days', 'must be a whole number 0-3650'],
    [{ kind: 'beforeRelease', days: 3651 }, 'stages.CONTACT.tasks[0].due.days', 'must be a whole number 0-3650'],
    [{ kind: 'beforeRelease', days: 1.5 }, 'stages.CONTACT.tasks[0].due.days', 'must be a whole number 0-3650'],
    [
      { kind: 'beforeRelease', seconds: -1 },
      'stages.CONTACT.tasks[0].due.seconds',
      'must be a whole number of seconds',
    ],
    [
      { kind: 'beforeRelease', seconds: '60' },
      'stages.CONTACT.tasks[0].due.seconds',
      'must be a whole number of seconds',
    ],
    [{ kind: 'beforeRelease', days: 3, weeks: 1 }, 'stages.CONTACT.tasks[0].due.weeks', 'unknown property'],
  ])('rejects the deadline %j at %s', (due, path, message) => {
    expect(validateShape(withTask({ due }))).toEqual([{ path, message }]);
  });

  it('names beforeRelease among the kinds a task deadline may have', () => {
    expect(validateShape(withTask({ due: { kind: 'weeks', days: 2 } }))).toEqual([
      {
        path: 'stages.CONTACT.tasks[0].due.kind',
        message: 'must be one of workingDays, calendarDays, duration, beforeRelease',
      },
    ]);
  });

  it('rejects beforeRelease in startAfter', () => {
    expect(validateShape(withTask({ startAfter: { kind: 'beforeRelease', days: 3 } }))).toEqual([
      { path: 'stages.CONTACT.tasks[0].startAfter.kind', message: 'beforeRelease is only allowed for a task deadline' },
    ]);
  });

  it('rejects beforeRelease in escalateAfter', () => {
    expect(validateShape(withTask({ escalateAfter: { kind: 'beforeRelease', seconds: 3 } }))).toEqual([
      {
        path: 'stages.CONTACT.tasks[0].escalateAfter.kind',
        message: 'beforeRelease is only allowed for a task deadline',
      },
    ]);
  });

  it('rejects a startAfter of unknown kind without naming beforeRelease', () => {
    expect(validateShape(withTask({ startAfter: { kind: 'months', days: 3 } }))).toEqual([
      {
        path: 'stages.CONTACT.tasks[0].startAfter.kind',
        message: 'must be one of workingDays, calendarDays, duration',
      },
    ]);
  });

  it('locates beforeRelease in the startAfter of v1 FOLLOW_UP task 1 exactly', () => {
    const doc = v1Document();
    doc.stages.FOLLOW_UP.tasks[1].startAfter = { kind: 'beforeRelease', days: 182 };
    expect(validateShape(doc)).toEqual([
      {
        path: 'stages.FOLLOW_UP.tasks[1].startAfter.kind',
        message: 'beforeRelease is only allowed for a task deadline',
      },
    ]);
  });

  it.each([
    ['beforeRelease', { kind: 'beforeRelease', days: 84 }],
    ['workingDays', { kind: 'workingDays', days: 60 }],
    ['an unknown kind', { kind: 'weeks', days: 12 }],
    ['missing', undefined],
    ['not an object', 84],
  ])('rejects a releasePlanning.leadTime of kind %s', (_label, leadTime) => {
    const doc = minimal();
    doc.releasePlanning = { leadTime };
    expect(validateShape(doc)).toEqual([
      { path: 'releasePlanning.leadTime.kind', message: 'must be calendarDays or duration' },
    ]);
  });

  it('rejects bad leadTime numbers and extra properties at their paths', () => {
    const days = minimal();
    days.releasePlanning = { leadTime: { kind: 'calendarDays', days: -84 } };
    expect(validateShape(days)).toEqual([
      { path: 'releasePlanning.leadTime.days', message: 'must be a whole number 0-3650' },
    ]);
    const seconds = minimal();
    seconds.releasePlanning = { leadTime: { kind: 'duration', seconds: 0 } };
    expect(validateShape(seconds)).toEqual([
      { path: 'releasePlanning.leadTime.seconds', message: 'must be a whole number of seconds, at least 1' },
    ]);
    const extra = minimal();
    extra.releasePlanning = { leadTime: { kind: 'calendarDays', days: 84, seconds: 5 }, start: 'early' };
    expect(validateShape(extra)).toEqual([
      { path: 'releasePlanning.start', message: 'unknown property' },
      { path: 'releasePlanning.leadTime.seconds', message: 'unknown property' },
    ]);
  });

  it('rejects releasePlanning that is not an object', () => {
    const doc = minimal();
    doc.releasePlanning = 84;
    expect(validateShape(doc)).toEqual([{ path: 'releasePlanning', message: 'must be an object with leadTime' }]);
  });

  it('rejects a requires entry that is not a requirement, at its index', () => {
    expect(validateShape(withTask({ requires: ['consent', 'age', 'motivation', 'Consent'] }))).toEqual([
      { path: 'stages.CONTACT.tasks[0].requires[1]', message: 'must be one of consent, motivation, releaseDate' },
      { path: 'stages.CONTACT.tasks[0].requires[3]', message: 'must be one of consent, motivation, releaseDate' },
    ]);
  });

  it('locates a bad requires entry in v1 INTERVENTION task 8 exactly', () => {
    const doc = v1Document();
    expect(doc.stages.INTERVENTION.tasks[8].key).toBe('police-exit-intake');
    doc.stages.INTERVENTION.tasks[8].requires = ['consent', 'motivated'];
    expect(validateShape(doc)).toEqual([
      { path: 'stages.INTERVENTION.tasks[8].requires[1]', message: 'must be one of consent, motivation, releaseDate' },
    ]);
  });

  it('rejects requires that is not a list', () => {
    expect(validateShape(withTask({ requires: 'consent' }))).toEqual([
      { path: 'stages.CONTACT.tasks[0].requires', message: 'must be a list of consent, motivation, releaseDate' },
    ]);
  });

  it.each([0, 31, 17.5, '18', null])('rejects ageHandover.age %j', (age) => {
    const doc = minimal();
    doc.ageHandover = { age, agencies: { SSP: 'CFR' } };
    expect(validateShape(doc)).toEqual([{ path: 'ageHandover.age', message: 'must be a whole number 1-30' }]);
  });

  it('accepts ageHandover ages 1 and 30', () => {
    for (const age of [1, 30]) {
      const doc = minimal();
      doc.ageHandover = { age, agencies: { SSP: 'CFR' } };
      expect(validateShape(doc)).toEqual([]);
    }
  });

  it('rejects each mapping of ageHandover.agencies that is not agency code to agency code', () => {
    const doc = minimal();
    doc.ageHandover = {
      age: 18,
      agencies: { SSP: 'CFR', ssp: 'CFR', POLICE_DKS: 'police_local', EKI: 7, TIDLIG: null, X: 'CFR' },
    };
    expect(validateShape(doc)).toEqual([
      { path: 'ageHandover.agencies.ssp', message: 'must map an agency code to an agency code' },
      { path: 'ageHandover.agencies.POLICE_DKS', message: 'must map an agency code to an agency code' },
      { path: 'ageHandover.agencies.EKI', message: 'must map an agency code to an agency code' },
      { path: 'ageHandover.agencies.TIDLIG', message: 'must map an agency code to an agency code' },
      { path: 'ageHandover.agencies.X', message: 'must map an agency code to an agency code' },
    ]);
  });

  it.each([
    ['missing', undefined],
    ['a list', [['SSP', 'CFR']]],
    ['a string', 'SSP=CFR'],
  ])('rejects ageHandover.agencies that is %s', (_label, agencies) => {
    const doc = minimal();
    doc.ageHandover = { age: 18, agencies };
    expect(validateShape(doc)).toEqual([
      { path: 'ageHandover.agencies', message: 'must map agency codes to agency codes' },
    ]);
  });

  it('rejects ageHandover that is not an object, and unknown properties in it', () => {
    const notObject = minimal();
    notObject.ageHandover = 18;
    expect(validateShape(notObject)).toEqual([
      { path: 'ageHandover', message: 'must be an object with age and agencies' },
    ]);
    const extra = minimal();
    extra.ageHandover = { age: 18, agencies: {}, when: 'birthday' };
    expect(validateShape(extra)).toEqual([{ path: 'ageHandover.when', message: 'unknown property' }]);
  });
});

describe('planStageTasks over v1', () => {
  const now = at('2026-07-01T08:00:00Z'); // Wednesday 10:00 CEST
  const intervention = (age: number, track?: Track): PlannedTask[] =>
    planStageTasks(v1(), 'INTERVENTION', { now, age, track });

  describe('INTERVENTION', () => {
    it.each([
      ['PREVENTION', 16, ['ssp-prevention', 'dks-prevention-visit']],
      ['PREVENTION', 22, ['cfr-youth-centre']],
      ['OUTREACH', 16, ['cfr-outreach', 'local-police-contact']],
      ['OUTREACH', 22, ['cfr-youth-centre', 'cfr-outreach', 'local-police-contact']],
      ['EXIT_NATIONAL', 16, ['eki-mentor', 'police-exit-intake']],
      ['EXIT_NATIONAL', 22, ['eki-mentor', 'jobcenter-exit-plan', 'police-exit-intake']],
      ['EXIT_KK', 16, ['eki-exit-intake', 'eki-mentor']],
      ['EXIT_KK', 22, ['eki-exit-intake', 'eki-mentor', 'jobcenter-exit-plan']],
      ['INVESTIGATION_ONLY', 16, ['oc-information']],
      ['INVESTIGATION_ONLY', 22, ['oc-information']],
      ['NO_ACTION', 16, []],
      ['NO_ACTION', 22, []],
    ] as [Track, number, string[]][])('%s at %i plans %j', (track, age, expected) => {
      expect(keys(intervention(age, track))).toEqual(expected);
    });

    it('plans nothing without a track: every INTERVENTION task is for named tracks', () => {
      expect(intervention(16)).toEqual([]);
      expect(intervention(22)).toEqual([]);
    });

    it('switches from under-age to adult tasks between 17 and 18', () => {
      expect(keys(intervention(17, 'PREVENTION'))).toEqual(['ssp-prevention', 'dks-prevention-visit']);
      expect(keys(intervention(18, 'PREVENTION'))).toEqual(['cfr-youth-centre']);
      expect(keys(intervention(17, 'EXIT_KK'))).toEqual(['eki-exit-intake', 'eki-mentor']);
      expect(keys(intervention(18, 'EXIT_KK'))).toEqual(['eki-exit-intake', 'eki-mentor', 'jobcenter-exit-plan']);
    });

    it('EXIT_NATIONAL at 22: consent for all, motivation for the national intake', () => {
      const requires = Object.fromEntries(intervention(22, 'EXIT_NATIONAL').map((t) => [t.key, t.requires]));
      expect(requires).toEqual({
        'eki-mentor': ['consent'],
        'jobcenter-exit-plan': ['consent'],
        'police-exit-intake': ['consent', 'motivation'],
      });
    });

    it('EXIT_KK at 22: consent only', () => {
      const requires = Object.fromEntries(intervention(22, 'EXIT_KK').map((t) => [t.key, t.requires]));
      expect(requires).toEqual({
        'eki-exit-intake': ['consent'],
        'eki-mentor': ['consent'],
        'jobcenter-exit-plan': ['consent'],
      });
    });

    it('EXIT tracks at 16: consent, and motivation for the national intake', () => {
      expect(intervention(16, 'EXIT_NATIONAL').map((t) => t.requires)).toEqual([
        ['consent'],
        ['consent', 'motivation'],
      ]);
      expect(intervention(16, 'EXIT_KK').map((t) => t.requires)).toEqual([['consent'], ['consent']]);
    });

    it('non-exit tracks require nothing: an empty list, not undefined', () => {
      for (const track of ['PREVENTION', 'OUTREACH', 'INVESTIGATION_ONLY'] as Track[]) {
        for (const age of [16, 22]) {
          for (const task of intervention(age, track)) expect(task.requires).toEqual([]);
        }
      }
    });

    it('carries agency, type, due rule and deadline, and no startAfter', () => {
      const [mentor, jobcenter, police] = intervention(22, 'EXIT_NATIONAL');
      expect(mentor).toMatchObject({
        key: 'eki-mentor',
        agency: 'EKI',
        type: 'MENTOR',
        due: { kind: 'workingDays', days: 20 },
      });
      // 20 working days after Wednesday 1 July 2026 (no holidays in July): Wednesday 29 July, 10:00 CEST.
      expect(iso(mentor.dueAt)).toBe('2026-07-29T08:00:00.000Z');
      expect(jobcenter).toMatchObject({ agency: 'JOBCENTER', type: 'INCOME_JOB_PLAN' });
      // 15 working days: Wednesday 22 July.
      expect(iso(jobcenter.dueAt)).toBe('2026-07-22T08:00:00.000Z');
      expect(police).toMatchObject({ agency: 'POLICE_EXIT', type: 'EXIT_INTAKE' });
      // 10 working days: Wednesday 15 July.
      expect(iso(police.dueAt)).toBe('2026-07-15T08:00:00.000Z');
      for (const task of [mentor, jobcenter, police]) expect(task).not.toHaveProperty('startAfter');
    });
  });

  describe('FOLLOW_UP', () => {
    it('plans the 3, 6 and 12 month follow-ups, each carrying its startAfter', () => {
      const tasks = planStageTasks(v1(), 'FOLLOW_UP', { now, age: 22 });
      expect(keys(tasks)).toEqual(['follow-up-3m', 'follow-up-6m', 'follow-up-12m']);
      expect(tasks.map((t) => t.startAfter)).toEqual([
        { kind: 'calendarDays', days: 91 },
        { kind: 'calendarDays', days: 182 },
        { kind: 'calendarDays', days: 365 },
      ]);
      for (const task of tasks) {
        expect(task).toMatchObject({ agency: 'EKI', type: 'FOLLOW_UP', due: { kind: 'workingDays', days: 10 } });
        expect(task.requires).toEqual([]);
        // The deadline is counted from planning; the workflow counts again when the task is handed out.
        expect(iso(task.dueAt)).toBe('2026-07-15T08:00:00.000Z');
      }
    });

    it('plans the same follow-ups at 16 and for any track', () => {
      expect(keys(planStageTasks(v1(), 'FOLLOW_UP', { now, age: 16, track: 'EXIT_KK' }))).toEqual([
        'follow-up-3m',
        'follow-up-6m',
        'follow-up-12m',
      ]);
    });

    it('no other stage of v1 has startAfter', () => {
      for (const stage of [
        'CONTACT',
        'ASSESSMENT',
        'CUSTODY',
        'RELEASE_PLANNING',
        'REINTEGRATION',
        'PLACEMENT',
      ] as const) {
        for (const task of planStageTasks(v1(), stage, { now, age: 22, livesWithParents: true })) {
          expect(task).not.toHaveProperty('startAfter');
        }
      }
    });
  });

  describe('RELEASE_PLANNING', () => {
    const release = at('2026-07-01T07:00:00Z'); // Wednesday 09:00 CEST
    const expectedKeys = [
      'release-caseworker',
      'release-housing',
      'release-income',
      'release-education-plan',
      'release-coordination',
      'release-day-meeting',
    ];

    it('carries each task’s beforeRelease due rule', () => {
      const tasks = planStageTasks(v1(), 'RELEASE_PLANNING', { now, age: 22, releaseAt: release });
      expect(keys(tasks)).toEqual(expectedKeys);
      expect(tasks.map((t) => t.due)).toEqual([
        { kind: 'beforeRelease', days: 70 },
        { kind: 'beforeRelease', days: 30 },
        { kind: 'beforeRelease', days: 14 },
        { kind: 'beforeRelease', days: 14 },
        { kind: 'beforeRelease', days: 30 },
        { kind: 'beforeRelease', days: 7 },
      ]);
      expect(tasks.map((t) => t.agency)).toEqual(['EKI', 'EKI', 'JOBCENTER', 'UU', 'KRIMINALFORSORGEN', 'EKI']);
      for (const task of tasks) {
        expect(task.requires).toEqual([]);
        expect(task).not.toHaveProperty('startAfter');
      }
    });

    it('dates every deadline back from the release when planning starts on time (84 days before)', () => {
      const start = at('2026-04-08T07:00:00Z'); // 84 days before 1 July
      const tasks = planStageTasks(v1(), 'RELEASE_PLANNING', { now: start, age: 22, releaseAt: release });
      expect(tasks.map((t) => [t.key, iso(t.dueAt)])).toEqual([
        ['release-caseworker', '2026-04-22T07:00:00.000Z'],
        ['release-housing', '2026-06-01T07:00:00.000Z'],
        ['release-income', '2026-06-17T07:00:00.000Z'],
        ['release-education-plan', '2026-06-17T07:00:00.000Z'],
        ['release-coordination', '2026-06-01T07:00:00.000Z'],
        ['release-day-meeting', '2026-06-24T07:00:00.000Z'],
      ]);
    });

    it('keeps the release’s wall-clock time for deadlines on the other side of the spring DST change', () => {
      // Release Wednesday 15 April 2026 09:00 CEST; planning from Wednesday 21 January 09:00 CET.
      const april = at('2026-04-15T07:00:00Z');
      const tasks = planStageTasks(v1(), 'RELEASE_PLANNING', {
        now: at('2026-01-21T08:00:00Z'),
        age: 22,
        releaseAt: april,
      });
      expect(tasks.map((t) => [t.key, iso(t.dueAt)])).toEqual([
        ['release-caseworker', '2026-02-04T08:00:00.000Z'],
        ['release-housing', '2026-03-16T08:00:00.000Z'],
        ['release-income', '2026-04-01T07:00:00.000Z'],
        ['release-education-plan', '2026-04-01T07:00:00.000Z'],
        ['release-coordination', '2026-03-16T08:00:00.000Z'],
        ['release-day-meeting', '2026-04-08T07:00:00.000Z'],
      ]);
    });

    it('makes deadlines already past due at once when planning starts late', () => {
      const late = at('2026-06-10T10:00:00Z');
      const tasks = planStageTasks(v1(), 'RELEASE_PLANNING', { now: late, age: 22, releaseAt: release });
      expect(tasks.map((t) => [t.key, iso(t.dueAt)])).toEqual([
        ['release-caseworker', '2026-06-10T10:00:00.000Z'],
        ['release-housing', '2026-06-10T10:00:00.000Z'],
        ['release-income', '2026-06-17T07:00:00.000Z'],
        ['release-education-plan', '2026-06-17T07:00:00.000Z'],
        ['release-coordination', '2026-06-10T10:00:00.000Z'],
        ['release-day-meeting', '2026-06-24T07:00:00.000Z'],
      ]);
    });

    it('follows the release date it is given', () => {
      const start = at('2026-04-08T07:00:00Z');
      const later = at('2026-07-08T07:00:00Z'); // a week later
      const tasks = planStageTasks(v1(), 'RELEASE_PLANNING', { now: start, age: 22, releaseAt: later });
      expect(iso(tasks[0].dueAt)).toBe('2026-04-29T07:00:00.000Z');
      expect(iso(tasks[5].dueAt)).toBe('2026-07-01T07:00:00.000Z');
    });
  });

  it('plans nothing for CLOSED, which v1 has no plan for', () => {
    expect(planStageTasks(v1(), 'CLOSED', { now, age: 22 })).toEqual([]);
  });
});
