// Expected deadlines below were worked out by hand from a paper calendar (2026: Easter Sunday 5 April, summer
// time from 29 March to 25 October), never by calling the calendar module.
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  dueFrom,
  planStageTasks,
  validatePlaybook,
  type Playbook,
  type PlaybookError,
} from '../../libs/domain/src/playbook';

const V1_PATH = join(__dirname, '../../libs/domain/playbooks/v1.json');
/** A fresh, mutable copy of the bundled v1 document on every call. */
const v1Document = (): any => JSON.parse(readFileSync(V1_PATH, 'utf8'));
const v1 = (): Playbook => v1Document() as Playbook;
/** The document rules; purpose limitation, which v1's OC task predates, is tested in pathway-machine-v2.spec.ts. */
const validateShape = (doc: unknown) => validatePlaybook(doc, { purposeLimitation: false });

const at = (iso: string): Date => new Date(iso);
const paths = (errors: PlaybookError[]): string[] => errors.map((e) => e.path).sort();

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

describe('validatePlaybook', () => {
  it('accepts the bundled v1 playbook', () => {
    expect(validateShape(v1Document())).toEqual([]);
  });

  it('accepts a minimal document with every due-rule kind and optional field', () => {
    const doc = minimal();
    doc.calendar = { closingDays: { constitutionDay: false } };
    doc.stages.CONTACT.tasks.push({
      key: 'second-task',
      agency: 'POLICE_DKS',
      type: 'PHONE_CALL',
      title: 'x'.repeat(200),
      due: { kind: 'duration', seconds: 60 },
      when: { minAge: 10, maxAge: 25, livesWithParents: false, tracks: ['PREVENTION', 'EXIT_KK'] },
      reminderShare: 0.5,
      escalateAfter: { kind: 'calendarDays', days: 0 },
    });
    doc.stages.ASSESSMENT = { tasks: [] };
    expect(validateShape(doc)).toEqual([]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', [v1Document()]],
    ['a string', JSON.stringify({ version: 1 })],
    ['a number', 1],
  ])('rejects %s as a whole with a single root error', (_label, input) => {
    expect(validateShape(input)).toEqual([{ path: '', message: 'a playbook must be an object' }]);
  });

  it('reports several errors at once, each at its own path', () => {
    const doc = minimal();
    doc.version = 0;
    doc.name = '   ';
    doc.stages.CONTACT.tasks.push({
      key: 'Bad Key',
      agency: 'police',
      type: 'visit',
      title: '',
      due: { kind: 'workingDays', days: -1 },
    });
    const errors = validateShape(doc);
    expect(paths(errors)).toEqual([
      'name',
      'stages.CONTACT.tasks[1].agency',
      'stages.CONTACT.tasks[1].due.days',
      'stages.CONTACT.tasks[1].key',
      'stages.CONTACT.tasks[1].title',
      'stages.CONTACT.tasks[1].type',
      'version',
    ]);
    expect(errors).toContainEqual({ path: 'version', message: 'must be a whole number >= 1' });
    expect(errors).toContainEqual({
      path: 'stages.CONTACT.tasks[1].due.days',
      message: 'must be a whole number 0-3650',
    });
  });

  it('locates an error in the second task of v1 exactly', () => {
    const doc = v1Document();
    doc.stages.CONTACT.tasks[1].due.days = 2.5;
    expect(validateShape(doc)).toEqual([
      { path: 'stages.CONTACT.tasks[1].due.days', message: 'must be a whole number 0-3650' },
    ]);
  });

  it('rejects an unknown stage', () => {
    const doc = minimal();
    doc.stages.INTAKE = { tasks: [] };
    const errors = validateShape(doc);
    expect(paths(errors)).toEqual(['stages.INTAKE']);
    expect(errors[0].message).toMatch(/^unknown stage/);
  });

  it('rejects stages that are missing, not an object, or without a task list', () => {
    const missing = minimal();
    delete missing.stages;
    expect(paths(validateShape(missing))).toEqual(['stages']);

    const list = minimal();
    list.stages = [list.stages.CONTACT];
    expect(paths(validateShape(list))).toEqual(['stages']);

    const noList = minimal();
    noList.stages.CONTACT = { tasks: { key: 'first-task' } };
    noList.stages.ASSESSMENT = [];
    expect(paths(validateShape(noList))).toEqual(['stages.ASSESSMENT.tasks', 'stages.CONTACT.tasks']);
  });

  it('rejects a task that is not an object', () => {
    const doc = minimal();
    doc.stages.CONTACT.tasks.push('eas-registration', null);
    expect(validateShape(doc)).toEqual([
      { path: 'stages.CONTACT.tasks[1]', message: 'must be an object' },
      { path: 'stages.CONTACT.tasks[2]', message: 'must be an object' },
    ]);
  });

  it('rejects a duplicate task key within a stage, pointing at the second occurrence', () => {
    const doc = v1Document();
    doc.stages.CONTACT.tasks[3].key = 'eas-registration';
    expect(validateShape(doc)).toEqual([
      { path: 'stages.CONTACT.tasks[3].key', message: "duplicate task key 'eas-registration'" },
    ]);
  });

  it('rejects a task key reused in another stage', () => {
    const doc = v1Document();
    doc.stages.ASSESSMENT = { tasks: [{ ...doc.stages.CONTACT.tasks[0] }] };
    expect(validateShape(doc)).toEqual([
      { path: 'stages.ASSESSMENT.tasks[0].key', message: "duplicate task key 'eas-registration'" },
    ]);
  });

  it('rejects unknown properties at every level of a stage', () => {
    const doc = minimal();
    doc.stages.CONTACT.notes = 'x';
    const task = doc.stages.CONTACT.tasks[0];
    task.owner = 'SSP';
    task.due.hours = 4;
    task.when = { minAgee: 18 };
    task.escalateAfter = { kind: 'duration', seconds: 60, days: 1 };
    const errors = validateShape(doc);
    expect(paths(errors)).toEqual([
      'stages.CONTACT.notes',
      'stages.CONTACT.tasks[0].due.hours',
      'stages.CONTACT.tasks[0].escalateAfter.days',
      'stages.CONTACT.tasks[0].owner',
      'stages.CONTACT.tasks[0].when.minAgee',
    ]);
    expect(errors.every((e) => e.message === 'unknown property')).toBe(true);
  });

  it('rejects unknown properties in the calendar', () => {
    const doc = minimal();
    doc.calendar = { holidays: [], closingDays: { easter: true, christmasEve: 'no' } };
    expect(validateShape(doc)).toEqual([
      { path: 'calendar.holidays', message: 'unknown property' },
      { path: 'calendar.closingDays.easter', message: 'unknown property' },
      { path: 'calendar.closingDays.christmasEve', message: 'must be true or false' },
    ]);
  });

  it('rejects a calendar or closingDays that is not an object', () => {
    const a = minimal();
    a.calendar = 'DK';
    expect(validateShape(a)).toEqual([{ path: 'calendar', message: 'must be an object' }]);
    const b = minimal();
    b.calendar = { closingDays: [] };
    expect(validateShape(b)).toEqual([{ path: 'calendar.closingDays', message: 'must be an object' }]);
  });

  // Every other path is written without a leading dot ('version', 'calendar.holidays'), and the display in
  // PlaybookService joins `${path}: ${message}`, so a top-level unknown property should be reported as 'extra'.
  it('reports an unknown top-level property at its own name, without a leading dot', () => {
    const doc = minimal();
    doc.extra = true;
    expect(validateShape(doc)).toEqual([{ path: 'extra', message: 'unknown property' }]);
  });

  it('accepts instructions per task type, and gives v1, v2 and v3 a text for every type they plan', () => {
    const doc = minimal();
    doc.instructions = { HOME_VISIT: 'Aftal besøget med forældrene.' };
    expect(validateShape(doc)).toEqual([]);
    for (const file of ['v1.json', 'v2.json', 'v3.json']) {
      const bundled = JSON.parse(readFileSync(join(__dirname, '../../libs/domain/playbooks', file), 'utf8'));
      const types = new Set<string>();
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(visit);
        else if (node && typeof node === 'object') {
          const o = node as Record<string, unknown>;
          if (typeof o.key === 'string' && typeof o.type === 'string' && typeof o.title === 'string') types.add(o.type);
          Object.entries(o).forEach(([k, v]) => k !== 'instructions' && visit(v));
        }
      };
      visit(bundled.stages);
      visit(bundled.onEvent);
      visit(bundled.ageHandover);
      expect({ file, missing: [...types].filter((type) => !bundled.instructions?.[type]) }).toEqual({
        file,
        missing: [],
      });
    }
  });

  it.each([
    ['not a map', 'Gør det', 'instructions', 'must map task types to texts'],
    ['a lower-case type', { home_visit: 'x' }, 'instructions.home_visit', 'must be keyed by an upper-case task type'],
    [
      'a blank text',
      { HOME_VISIT: '  ' },
      'instructions.HOME_VISIT',
      'must be a non-empty text of at most 2000 characters',
    ],
    [
      'a long text',
      { HOME_VISIT: 'x'.repeat(2001) },
      'instructions.HOME_VISIT',
      'must be a non-empty text of at most 2000 characters',
    ],
    ['a number', { HOME_VISIT: 5 }, 'instructions.HOME_VISIT', 'must be a non-empty text of at most 2000 characters'],
  ])('rejects instructions that are %s', (_what, instructions, path, message) => {
    const doc = minimal();
    doc.instructions = instructions;
    expect(validateShape(doc)).toEqual([{ path, message }]);
  });

  it.each([0, 1, 1.5, -0.25, '0.5', NaN, null])('rejects reminderShare %p', (share) => {
    const doc = minimal();
    doc.stages.CONTACT.tasks[0].reminderShare = share;
    expect(validateShape(doc)).toEqual([
      { path: 'stages.CONTACT.tasks[0].reminderShare', message: 'must be a number between 0 and 1, or a list of them' },
    ]);
  });

  it('accepts reminderShare strictly between 0 and 1', () => {
    const doc = minimal();
    doc.stages.CONTACT.tasks[0].reminderShare = 0.01;
    expect(validateShape(doc)).toEqual([]);
  });

  it('reports each bad tracks entry at its index', () => {
    const doc = minimal();
    doc.stages.CONTACT.tasks[0].when = { tracks: ['PREVENTION', 'prevention', 7, 'EXIT_KK', 'EXIT'] };
    const errors = validateShape(doc);
    expect(paths(errors)).toEqual([
      'stages.CONTACT.tasks[0].when.tracks[1]',
      'stages.CONTACT.tasks[0].when.tracks[2]',
      'stages.CONTACT.tasks[0].when.tracks[4]',
    ]);
    expect(errors[0].message).toContain('PREVENTION');
  });

  it.each([[[]], ['PREVENTION'], [{ 0: 'PREVENTION' }]])('rejects tracks %p as a whole', (tracks) => {
    const doc = minimal();
    doc.stages.CONTACT.tasks[0].when = { tracks };
    expect(validateShape(doc)).toEqual([
      { path: 'stages.CONTACT.tasks[0].when.tracks', message: 'must be a non-empty list of tracks' },
    ]);
  });

  it('rejects bad condition bounds and flags', () => {
    const doc = minimal();
    doc.stages.CONTACT.tasks[0].when = { minAge: -1, maxAge: 17.5, livesWithParents: 'yes' };
    expect(paths(validateShape(doc))).toEqual([
      'stages.CONTACT.tasks[0].when.livesWithParents',
      'stages.CONTACT.tasks[0].when.maxAge',
      'stages.CONTACT.tasks[0].when.minAge',
    ]);
    const notObject = minimal();
    notObject.stages.CONTACT.tasks[0].when = [];
    expect(validateShape(notObject)).toEqual([{ path: 'stages.CONTACT.tasks[0].when', message: 'must be an object' }]);
  });

  it.each([
    [{ kind: 'weeks', days: 1 }, 'stages.CONTACT.tasks[0].due.kind'],
    [{ days: 1 }, 'stages.CONTACT.tasks[0].due.kind'],
    [{ kind: 'calendarDays', days: 3651 }, 'stages.CONTACT.tasks[0].due.days'],
    [{ kind: 'workingDays', days: '5' }, 'stages.CONTACT.tasks[0].due.days'],
    [{ kind: 'duration', seconds: 0 }, 'stages.CONTACT.tasks[0].due.seconds'],
    [{ kind: 'duration', seconds: 1.5 }, 'stages.CONTACT.tasks[0].due.seconds'],
    [5, 'stages.CONTACT.tasks[0].due'],
    [undefined, 'stages.CONTACT.tasks[0].due'],
  ])('locates a bad due rule %p at %s', (due, path) => {
    const doc = minimal();
    doc.stages.CONTACT.tasks[0].due = due;
    expect(paths(validateShape(doc))).toEqual([path]);
  });

  it('locates a bad escalateAfter rule', () => {
    const doc = v1Document();
    doc.stages.CONTACT.tasks[2].escalateAfter = { kind: 'workingDays', days: 4000 };
    expect(paths(validateShape(doc))).toEqual(['stages.CONTACT.tasks[2].escalateAfter.days']);
  });

  it.each([
    ['key', 'a'],
    ['key', 'eas_registration'],
    ['agency', 'POLICE-EAS'],
    ['agency', 'P'],
    ['type', 'Registration'],
    ['title', 'x'.repeat(201)],
    ['title', 42],
  ])('rejects task %s %p', (field, value) => {
    const doc = minimal();
    doc.stages.CONTACT.tasks[0][field] = value;
    expect(paths(validateShape(doc))).toEqual([`stages.CONTACT.tasks[0].${field}`]);
  });

  it('rejects a bad version and name', () => {
    const doc = minimal();
    doc.version = 1.5;
    delete doc.name;
    expect(paths(validateShape(doc))).toEqual(['name', 'version']);
  });
});

describe('planStageTasks with the v1 playbook', () => {
  // Monday 30 March 2026, 10:00 in Copenhagen (summer time). Easter: skærtorsdag Thu 2 Apr, langfredag Fri 3 Apr,
  // 2. påskedag Mon 6 Apr. Working days: Tue 31 (1), Wed 1 (2), Tue 7 (3), Wed 8 (4), Thu 9 (5), Fri 10 (6),
  // Mon 13 (7), Tue 14 (8), Wed 15 (9), Thu 16 (10).
  const beforeEaster = at('2026-03-30T08:00:00Z');

  it('gives a 16-year-old the EAS registration and the SSP and DKS home visits', () => {
    expect(planStageTasks(v1(), 'CONTACT', { now: beforeEaster, age: 16 })).toEqual([
      expect.objectContaining({
        key: 'eas-registration',
        agency: 'POLICE_EAS',
        type: 'REGISTRATION_ANALYSIS',
        title: 'Registrering og analyse af personen',
        dueAt: at('2026-04-09T08:00:00.000Z'),
      }),
      expect.objectContaining({
        key: 'ssp-home-visit',
        agency: 'SSP',
        type: 'PREVENTIVE_HOME_VISIT',
        title: 'Forebyggende hjemmebesøg hos forældrene sammen med DKS',
        dueAt: at('2026-04-16T08:00:00.000Z'),
      }),
      expect.objectContaining({
        key: 'dks-home-visit',
        agency: 'POLICE_DKS',
        type: 'PREVENTIVE_HOME_VISIT',
        title: 'Forebyggende hjemmebesøg hos forældrene sammen med SSP',
        dueAt: at('2026-04-16T08:00:00.000Z'),
      }),
    ]);
  });

  it('gives a 16-year-old living with parents the same tasks (no § 115a task under 18)', () => {
    const planned = planStageTasks(v1(), 'CONTACT', { now: beforeEaster, age: 16, livesWithParents: true });
    expect(planned.map((t) => t.key)).toEqual(['eas-registration', 'ssp-home-visit', 'dks-home-visit']);
  });

  it('gives a 20-year-old living with parents EAS and the § 115a parent involvement', () => {
    expect(planStageTasks(v1(), 'CONTACT', { now: beforeEaster, age: 20, livesWithParents: true })).toEqual([
      expect.objectContaining({
        key: 'eas-registration',
        agency: 'POLICE_EAS',
        type: 'REGISTRATION_ANALYSIS',
        title: 'Registrering og analyse af personen',
        dueAt: at('2026-04-09T08:00:00.000Z'),
      }),
      expect.objectContaining({
        key: 'parent-involvement',
        agency: 'SSP',
        type: 'PARENT_INVOLVEMENT',
        title: 'Inddragelse af forældre (retsplejelovens § 115a)',
        dueAt: at('2026-04-16T08:00:00.000Z'),
      }),
    ]);
  });

  it.each([false, undefined])('gives a 20-year-old with livesWithParents %p only the EAS task', (livesWithParents) => {
    const planned = planStageTasks(v1(), 'CONTACT', { now: beforeEaster, age: 20, livesWithParents });
    expect(planned.map((t) => [t.key, t.agency])).toEqual([['eas-registration', 'POLICE_EAS']]);
  });

  it.each([
    [17, true, ['eas-registration', 'ssp-home-visit', 'dks-home-visit']],
    [18, true, ['eas-registration', 'parent-involvement']],
    [18, false, ['eas-registration']],
  ])('uses inclusive age bounds: age %i, livesWithParents %p', (age, livesWithParents, keys) => {
    const planned = planStageTasks(v1(), 'CONTACT', { now: beforeEaster, age, livesWithParents });
    expect(planned.map((t) => t.key)).toEqual(keys);
  });

  it('plans nothing for a stage the playbook does not describe', () => {
    expect(planStageTasks(v1(), 'CLOSED', { now: beforeEaster, age: 16 })).toEqual([]);
  });

  it.each([
    // Monday 12 Jan 2026 10:00 CET: Mon 19 is the 5th working day, Mon 26 the 10th.
    ['a Monday', '2026-01-12T09:00:00Z', '2026-01-19T09:00:00.000Z', '2026-01-26T09:00:00.000Z'],
    // Friday 16 Jan 2026 10:00 CET: the start day never counts; Fri 23 is the 5th, Fri 30 the 10th.
    ['a Friday', '2026-01-16T09:00:00Z', '2026-01-23T09:00:00.000Z', '2026-01-30T09:00:00.000Z'],
    // Monday before Easter, see above.
    ['the Monday before Easter', '2026-03-30T08:00:00Z', '2026-04-09T08:00:00.000Z', '2026-04-16T08:00:00.000Z'],
    // Friday 27 Mar 10:00 CET; summer time starts Sun 29 Mar, so 10:00 CEST on Wed 8 Apr (5th: Mon 30, Tue 31,
    // Wed 1, Tue 7, Wed 8) and Wed 15 Apr (10th: Thu 9, Fri 10, Mon 13, Tue 14, Wed 15).
    [
      'a Friday before summer time and Easter',
      '2026-03-27T09:00:00Z',
      '2026-04-08T08:00:00.000Z',
      '2026-04-15T08:00:00.000Z',
    ],
    // 23:30 UTC on Friday 16 Jan is 00:30 on Saturday 17 Jan in Copenhagen; deadlines keep 00:30 local time.
    [
      'Friday 23:30 UTC (Saturday in Copenhagen)',
      '2026-01-16T23:30:00Z',
      '2026-01-22T23:30:00.000Z',
      '2026-01-29T23:30:00.000Z',
    ],
    // Monday 21 Dec 2026 10:00 CET: juleaftensdag (closing day in v1), juledag, weekend; 5th working day is Wed 30
    // Dec; nytårsaftensdag 31 Dec and nytårsdag 1 Jan 2027 are skipped: Mon 4, Tue 5, Wed 6, Thu 7, Fri 8 Jan.
    ['the Monday before Christmas', '2026-12-21T09:00:00Z', '2026-12-30T09:00:00.000Z', '2027-01-08T09:00:00.000Z'],
  ])('due times for a 16-year-old from %s', (_label, now, fiveDays, tenDays) => {
    const planned = planStageTasks(v1(), 'CONTACT', { now: at(now), age: 16 });
    expect(planned.map((t) => [t.key, t.dueAt.toISOString()])).toEqual([
      ['eas-registration', fiveDays],
      ['ssp-home-visit', tenDays],
      ['dks-home-visit', tenDays],
    ]);
  });

  it('honours track conditions: a task limited to tracks is left out when the track is unknown', () => {
    const playbook = minimal() as Playbook;
    playbook.stages.CONTACT!.tasks[0].when = { tracks: ['EXIT_KK'] };
    const now = at('2026-01-12T09:00:00Z');
    expect(planStageTasks(playbook, 'CONTACT', { now, age: 20 })).toEqual([]);
    expect(planStageTasks(playbook, 'CONTACT', { now, age: 20, track: 'PREVENTION' })).toEqual([]);
    expect(planStageTasks(playbook, 'CONTACT', { now, age: 20, track: 'EXIT_KK' }).map((t) => t.key)).toEqual([
      'first-task',
    ]);
  });
});

describe('dueFrom', () => {
  it('adds a duration in elapsed seconds', () => {
    expect(dueFrom({ kind: 'duration', seconds: 90 }, at('2026-01-12T09:00:00Z')).toISOString()).toBe(
      '2026-01-12T09:01:30.000Z',
    );
  });

  it('adds a duration of a day as 24 elapsed hours, even across the switch to summer time', () => {
    // Saturday 28 Mar 2026 13:00 CET; the clocks go forward at 02:00 on Sunday 29 Mar.
    expect(dueFrom({ kind: 'duration', seconds: 86_400 }, at('2026-03-28T12:00:00Z')).toISOString()).toBe(
      '2026-03-29T12:00:00.000Z',
    );
  });

  it('adds calendar days at the same Copenhagen wall-clock time across summer time changes', () => {
    // 13:00 CET Sat 28 Mar -> 13:00 CEST Sun 29 Mar (23 hours later).
    expect(dueFrom({ kind: 'calendarDays', days: 1 }, at('2026-03-28T12:00:00Z')).toISOString()).toBe(
      '2026-03-29T11:00:00.000Z',
    );
    // 14:00 CEST Sat 24 Oct -> 14:00 CET Sun 25 Oct (25 hours later).
    expect(dueFrom({ kind: 'calendarDays', days: 1 }, at('2026-10-24T12:00:00Z')).toISOString()).toBe(
      '2026-10-25T13:00:00.000Z',
    );
  });

  it('counts holidays and weekends as calendar days', () => {
    // From skærtorsdag 10:00 CEST, 3 calendar days is Easter Sunday 10:00 CEST.
    expect(dueFrom({ kind: 'calendarDays', days: 3 }, at('2026-04-02T08:00:00Z')).toISOString()).toBe(
      '2026-04-05T08:00:00.000Z',
    );
    expect(dueFrom({ kind: 'calendarDays', days: 7 }, at('2026-01-12T09:00:00Z')).toISOString()).toBe(
      '2026-01-19T09:00:00.000Z',
    );
  });

  it('passes the playbook calendar to working days (grundlovsdag Fri 5 Jun 2026)', () => {
    const thursday = at('2026-06-04T08:00:00Z');
    const rule = { kind: 'workingDays', days: 1 } as const;
    expect(dueFrom(rule, thursday).toISOString()).toBe('2026-06-08T08:00:00.000Z');
    expect(dueFrom(rule, thursday, { closingDays: { constitutionDay: true } }).toISOString()).toBe(
      '2026-06-08T08:00:00.000Z',
    );
    expect(dueFrom(rule, thursday, { closingDays: { constitutionDay: false } }).toISOString()).toBe(
      '2026-06-05T08:00:00.000Z',
    );
  });
});
