// Expected instants below were worked out by hand (2026: summer time from 29 March to 25 October, so Copenhagen
// is UTC+2 in summer and UTC+1 in winter), never by calling the calendar module.
import {
  acceptedEvents,
  eventDataProblems,
  eventRefusal,
  EVENT_TYPES,
  isReleaseDate,
  releaseInstant,
  type EventType,
} from '../../libs/domain/src/events';
import { DISTRICTS, type Stage } from '../../libs/domain/src/pathway';

const ACCEPTED: Record<Stage, EventType[]> = {
  CONTACT: [
    'ARRESTED',
    'REMANDED',
    'SENTENCED',
    'CONSENT_GIVEN',
    'CONSENT_WITHDRAWN',
    'MOTIVATION_ASSESSED',
    'MOVED',
    'CLOSED',
    'RELEASED_AFTER_ARREST',
    'CONTACT_DIFFICULT',
    'CHARGED',
  ],
  ASSESSMENT: [
    'ASSESSED',
    'ARRESTED',
    'REMANDED',
    'SENTENCED',
    'CONSENT_GIVEN',
    'CONSENT_WITHDRAWN',
    'MOTIVATION_ASSESSED',
    'MOVED',
    'CLOSED',
    'RELEASED_AFTER_ARREST',
    'CONTACT_DIFFICULT',
    'CHARGED',
  ],
  INTERVENTION: [
    'ASSESSED',
    'PLACED',
    'ARRESTED',
    'REMANDED',
    'SENTENCED',
    'CONSENT_GIVEN',
    'CONSENT_WITHDRAWN',
    'MOTIVATION_ASSESSED',
    'MOVED',
    'CLOSED',
    'RELEASED_AFTER_ARREST',
    'CONTACT_DIFFICULT',
    'CHARGED',
  ],
  CUSTODY: [
    'ASSESSED',
    'REMANDED',
    'SENTENCED',
    'RELEASE_DATE_CHANGED',
    'PAROLE_DECIDED',
    'RELEASED',
    'CONSENT_GIVEN',
    'CONSENT_WITHDRAWN',
    'MOTIVATION_ASSESSED',
    'MOVED',
    'CLOSED',
    'RELEASED_AFTER_ARREST',
    'CONTACT_DIFFICULT',
    'CHARGED',
  ],
  RELEASE_PLANNING: [
    'ASSESSED',
    'SENTENCED',
    'RELEASE_DATE_CHANGED',
    'PAROLE_DECIDED',
    'RELEASED',
    'CONSENT_GIVEN',
    'CONSENT_WITHDRAWN',
    'MOTIVATION_ASSESSED',
    'MOVED',
    'CLOSED',
    'RELEASED_AFTER_ARREST',
    'CONTACT_DIFFICULT',
    'CHARGED',
  ],
  REINTEGRATION: [
    'ASSESSED',
    'PLACED',
    'ARRESTED',
    'REMANDED',
    'SENTENCED',
    'CONSENT_GIVEN',
    'CONSENT_WITHDRAWN',
    'MOTIVATION_ASSESSED',
    'MOVED',
    'CLOSED',
    'RELEASED_AFTER_ARREST',
    'CONTACT_DIFFICULT',
    'CHARGED',
  ],
  PLACEMENT: [
    'ASSESSED',
    'DROPPED_OUT',
    'ARRESTED',
    'REMANDED',
    'SENTENCED',
    'CONSENT_GIVEN',
    'CONSENT_WITHDRAWN',
    'MOTIVATION_ASSESSED',
    'MOVED',
    'CLOSED',
    'RELEASED_AFTER_ARREST',
    'CONTACT_DIFFICULT',
    'CHARGED',
  ],
  FOLLOW_UP: [
    'ASSESSED',
    'DROPPED_OUT',
    'ARRESTED',
    'REMANDED',
    'SENTENCED',
    'CONSENT_GIVEN',
    'CONSENT_WITHDRAWN',
    'MOTIVATION_ASSESSED',
    'MOVED',
    'CLOSED',
    'RELEASED_AFTER_ARREST',
    'CONTACT_DIFFICULT',
    'CHARGED',
  ],
  CLOSED: [],
};
const STAGE_LIST = Object.keys(ACCEPTED) as Stage[];

const TRACK_LIST = 'PREVENTION, OUTREACH, EXIT_NATIONAL, EXIT_KK, INVESTIGATION_ONLY, NO_ACTION';
const KIND_LIST = 'JOB, EDUCATION, INTERNSHIP';
const DISTRICT_REASON = 'must be a district code such as YDRE_NORREBRO';
const OUTCOME_LIST =
  'COMPLETED, DECLINED, CONSENT_WITHDRAWN, DEREGISTERED, MOVED, TRANSFERRED, DECEASED, OTHER, REFERRED_TO_INVESTIGATION';
const DATE_REASON = 'must be a date YYYY-MM-DD or an ISO 8601 time with a time zone, in the years 2000–2099';
const REASONS_REASON = 'must be a non-empty text of at most 4000 characters';

describe('acceptedEvents', () => {
  it.each(STAGE_LIST)('lists exactly what %s accepts, in order', (stage) => {
    expect([...acceptedEvents(stage)]).toEqual(ACCEPTED[stage]);
  });

  it('covers all nine stages', () => {
    expect(STAGE_LIST).toHaveLength(9);
  });

  it('every open stage takes the anytime events, and CLOSED takes none', () => {
    for (const stage of STAGE_LIST.filter((s) => s !== 'CLOSED')) {
      expect(acceptedEvents(stage)).toEqual(
        expect.arrayContaining(['CONSENT_GIVEN', 'CONSENT_WITHDRAWN', 'MOTIVATION_ASSESSED', 'MOVED', 'CLOSED']),
      );
    }
    expect(acceptedEvents('CLOSED')).toEqual([]);
  });

  it('takes DROPPED_OUT only in PLACEMENT and FOLLOW_UP', () => {
    expect(STAGE_LIST.filter((s) => acceptedEvents(s).includes('DROPPED_OUT'))).toEqual(['PLACEMENT', 'FOLLOW_UP']);
  });

  it('takes RELEASED and RELEASE_DATE_CHANGED only in CUSTODY and RELEASE_PLANNING', () => {
    expect(STAGE_LIST.filter((s) => acceptedEvents(s).includes('RELEASED'))).toEqual(['CUSTODY', 'RELEASE_PLANNING']);
    expect(STAGE_LIST.filter((s) => acceptedEvents(s).includes('RELEASE_DATE_CHANGED'))).toEqual([
      'CUSTODY',
      'RELEASE_PLANNING',
    ]);
  });

  it('takes ARRESTED everywhere open except CUSTODY and RELEASE_PLANNING', () => {
    expect(STAGE_LIST.filter((s) => acceptedEvents(s).includes('ARRESTED'))).toEqual([
      'CONTACT',
      'ASSESSMENT',
      'INTERVENTION',
      'REINTEGRATION',
      'PLACEMENT',
      'FOLLOW_UP',
    ]);
  });

  it('takes ASSESSED in every open stage from ASSESSMENT on, PLACED only in INTERVENTION and REINTEGRATION', () => {
    expect(STAGE_LIST.filter((s) => acceptedEvents(s).includes('ASSESSED'))).toEqual([
      'ASSESSMENT',
      'INTERVENTION',
      'CUSTODY',
      'RELEASE_PLANNING',
      'REINTEGRATION',
      'PLACEMENT',
      'FOLLOW_UP',
    ]);
    expect(STAGE_LIST.filter((s) => acceptedEvents(s).includes('PLACED'))).toEqual(['INTERVENTION', 'REINTEGRATION']);
  });
});

describe('eventRefusal', () => {
  it.each(STAGE_LIST)('accepts every event %s lists and refuses every other one', (stage) => {
    for (const type of EVENT_TYPES) {
      const refusal = eventRefusal(stage, type);
      if (ACCEPTED[stage].includes(type)) {
        expect(refusal).toBeUndefined();
      } else if (stage === 'CLOSED') {
        expect(refusal).toBe('the pathway is CLOSED and accepts no events');
      } else {
        expect(refusal).toBe(`${type} does not fit stage ${stage}; it accepts ${ACCEPTED[stage].join(', ')}`);
      }
    }
  });

  it('refuses every one of the 17 event types on a CLOSED pathway, saying it accepts none', () => {
    expect(EVENT_TYPES).toHaveLength(17);
    for (const type of EVENT_TYPES) {
      expect(eventRefusal('CLOSED', type)).toBe('the pathway is CLOSED and accepts no events');
    }
  });

  it('refuses RELEASED in CONTACT, naming the stage and what it accepts', () => {
    expect(eventRefusal('CONTACT', 'RELEASED')).toBe(
      'RELEASED does not fit stage CONTACT; it accepts ARRESTED, REMANDED, SENTENCED, CONSENT_GIVEN, ' +
        'CONSENT_WITHDRAWN, MOTIVATION_ASSESSED, MOVED, CLOSED, RELEASED_AFTER_ARREST, CONTACT_DIFFICULT, CHARGED',
    );
  });

  it('refuses ARRESTED in CUSTODY but takes REMANDED and SENTENCED there', () => {
    expect(eventRefusal('CUSTODY', 'ARRESTED')).toBe(
      'ARRESTED does not fit stage CUSTODY; it accepts ASSESSED, REMANDED, SENTENCED, RELEASE_DATE_CHANGED, ' +
        'PAROLE_DECIDED, RELEASED, CONSENT_GIVEN, CONSENT_WITHDRAWN, MOTIVATION_ASSESSED, MOVED, CLOSED, ' +
        'RELEASED_AFTER_ARREST, CONTACT_DIFFICULT, CHARGED',
    );
    expect(eventRefusal('CUSTODY', 'REMANDED')).toBeUndefined();
    expect(eventRefusal('CUSTODY', 'SENTENCED')).toBeUndefined();
  });

  it('refuses DROPPED_OUT outside PLACEMENT and FOLLOW_UP', () => {
    expect(eventRefusal('PLACEMENT', 'DROPPED_OUT')).toBeUndefined();
    expect(eventRefusal('FOLLOW_UP', 'DROPPED_OUT')).toBeUndefined();
    expect(eventRefusal('REINTEGRATION', 'DROPPED_OUT')).toBe(
      'DROPPED_OUT does not fit stage REINTEGRATION; it accepts ASSESSED, PLACED, ARRESTED, REMANDED, SENTENCED, ' +
        'CONSENT_GIVEN, CONSENT_WITHDRAWN, MOTIVATION_ASSESSED, MOVED, CLOSED, RELEASED_AFTER_ARREST, CONTACT_DIFFICULT, CHARGED',
    );
    expect(eventRefusal('INTERVENTION', 'DROPPED_OUT')).toMatch(/^DROPPED_OUT does not fit stage INTERVENTION;/);
  });

  it('refuses ASSESSED in CONTACT and CLOSED in CLOSED', () => {
    expect(eventRefusal('CONTACT', 'ASSESSED')).toMatch(/^ASSESSED does not fit stage CONTACT; it accepts ARRESTED,/);
    expect(eventRefusal('CLOSED', 'CLOSED')).toBe('the pathway is CLOSED and accepts no events');
  });
});

describe('eventDataProblems', () => {
  const valid: Record<EventType, Record<string, unknown>> = {
    ASSESSED: { track: 'EXIT_KK', reasons: 'Ønsker at forlade gruppen' },
    ARRESTED: {},
    REMANDED: {},
    SENTENCED: { expectedReleaseDate: '2026-07-01' },
    RELEASE_DATE_CHANGED: { expectedReleaseDate: '2026-07-01T09:00:00+02:00' },
    RELEASED: {},
    PLACED: { kind: 'JOB' },
    DROPPED_OUT: {},
    CONSENT_GIVEN: {},
    CONSENT_WITHDRAWN: {},
    MOTIVATION_ASSESSED: { motivated: true },
    MOVED: { district: 'TINGBJERG' },
    CLOSED: { outcome: 'COMPLETED' },
    RELEASED_AFTER_ARREST: {},
    PAROLE_DECIDED: { granted: true, date: '2026-07-01' },
    CONTACT_DIFFICULT: {},
    CHARGED: {},
  };

  it('has a valid example for every event type', () => {
    expect(Object.keys(valid).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(EVENT_TYPES)('finds nothing wrong with valid %s data', (type) => {
    expect(eventDataProblems(type, valid[type])).toEqual([]);
  });

  const fieldless: EventType[] = [
    'ARRESTED',
    'REMANDED',
    'RELEASED',
    'DROPPED_OUT',
    'CONSENT_GIVEN',
    'CONSENT_WITHDRAWN',
    'RELEASED_AFTER_ARREST',
    'CONTACT_DIFFICULT',
    'CHARGED',
  ];

  it.each(fieldless)('takes %s with no data, null data, or an empty object', (type) => {
    expect(eventDataProblems(type, undefined)).toEqual([]);
    expect(eventDataProblems(type, null)).toEqual([]);
    expect(eventDataProblems(type, {})).toEqual([]);
  });

  it.each(fieldless)('refuses any field on %s', (type) => {
    expect(eventDataProblems(type, { foo: 1, reasons: 'x' })).toEqual([
      { field: 'data.foo', reason: `is not a field of ${type}` },
      { field: 'data.reasons', reason: `is not a field of ${type}` },
    ]);
  });

  it.each([
    ['ASSESSED', 'track'],
    ['ASSESSED', 'reasons'],
    ['RELEASE_DATE_CHANGED', 'expectedReleaseDate'],
    ['PAROLE_DECIDED', 'granted'],
    ['PLACED', 'kind'],
    ['MOTIVATION_ASSESSED', 'motivated'],
    ['MOVED', 'district'],
    ['CLOSED', 'outcome'],
  ] as [EventType, string][])('requires %s data.%s', (type, field) => {
    const data = { ...valid[type] };
    delete data[field];
    expect(eventDataProblems(type, data)).toEqual([{ field: `data.${field}`, reason: 'is required' }]);
  });

  it('reports every missing field of ASSESSED, in field order, also for absent data', () => {
    const both = [
      { field: 'data.track', reason: 'is required' },
      { field: 'data.reasons', reason: 'is required' },
    ];
    expect(eventDataProblems('ASSESSED', {})).toEqual(both);
    expect(eventDataProblems('ASSESSED', undefined)).toEqual(both);
    expect(eventDataProblems('ASSESSED', null)).toEqual(both);
  });

  it.each([
    ['RELEASE_DATE_CHANGED', 'expectedReleaseDate'],
    ['PAROLE_DECIDED', 'granted'],
    ['PLACED', 'kind'],
    ['MOTIVATION_ASSESSED', 'motivated'],
    ['MOVED', 'district'],
    ['CLOSED', 'outcome'],
  ] as [EventType, string][])('requires %s data.%s when data is absent', (type, field) => {
    expect(eventDataProblems(type, undefined)).toEqual([{ field: `data.${field}`, reason: 'is required' }]);
  });

  describe('invalid values', () => {
    it.each([
      ['ASSESSED', { track: 'EXIT', reasons: 'x' }, 'data.track', `must be one of ${TRACK_LIST}`],
      ['ASSESSED', { track: 'exit_kk', reasons: 'x' }, 'data.track', `must be one of ${TRACK_LIST}`],
      ['ASSESSED', { track: 3, reasons: 'x' }, 'data.track', `must be one of ${TRACK_LIST}`],
      ['ASSESSED', { track: 'EXIT_KK', reasons: '' }, 'data.reasons', REASONS_REASON],
      ['ASSESSED', { track: 'EXIT_KK', reasons: ' \n\t ' }, 'data.reasons', REASONS_REASON],
      ['ASSESSED', { track: 'EXIT_KK', reasons: 'x'.repeat(4001) }, 'data.reasons', REASONS_REASON],
      ['ASSESSED', { track: 'EXIT_KK', reasons: 42 }, 'data.reasons', REASONS_REASON],
      ['ASSESSED', { track: 'EXIT_KK', reasons: ['a'] }, 'data.reasons', REASONS_REASON],
      ['SENTENCED', { expectedReleaseDate: '2026-02-30' }, 'data.expectedReleaseDate', DATE_REASON],
      ['SENTENCED', { expectedReleaseDate: '2026-07-01T09:00:00' }, 'data.expectedReleaseDate', DATE_REASON],
      ['SENTENCED', { expectedReleaseDate: '01-07-2026' }, 'data.expectedReleaseDate', DATE_REASON],
      ['SENTENCED', { expectedReleaseDate: 20260701 }, 'data.expectedReleaseDate', DATE_REASON],
      ['RELEASE_DATE_CHANGED', { expectedReleaseDate: 'next week' }, 'data.expectedReleaseDate', DATE_REASON],
      ['RELEASE_DATE_CHANGED', { expectedReleaseDate: '' }, 'data.expectedReleaseDate', DATE_REASON],
      ['SENTENCED', { expectedReleaseDate: '0100-01-01' }, 'data.expectedReleaseDate', DATE_REASON],
      ['SENTENCED', { expectedReleaseDate: '9999-12-31' }, 'data.expectedReleaseDate', DATE_REASON],
      [
        'RELEASE_DATE_CHANGED',
        { expectedReleaseDate: '1999-12-31T23:00:00Z' },
        'data.expectedReleaseDate',
        DATE_REASON,
      ],
      ['PLACED', { kind: 'APPRENTICESHIP' }, 'data.kind', `must be one of ${KIND_LIST}`],
      ['PLACED', { kind: 'job' }, 'data.kind', `must be one of ${KIND_LIST}`],
      ['MOTIVATION_ASSESSED', { motivated: 'true' }, 'data.motivated', 'must be true or false'],
      ['MOTIVATION_ASSESSED', { motivated: 1 }, 'data.motivated', 'must be true or false'],
      // Which districts are in use is the districts table's (the API checks it); here only the code's form.
      ['MOVED', { district: 'Nørrebro' }, 'data.district', DISTRICT_REASON],
      ['MOVED', { district: 'tingbjerg' }, 'data.district', DISTRICT_REASON],
      ['CLOSED', { outcome: 'DONE' }, 'data.outcome', `must be one of ${OUTCOME_LIST}`],
      ['CLOSED', { outcome: '' }, 'data.outcome', `must be one of ${OUTCOME_LIST}`],
      ['SENTENCED', { fullTermDate: '2026-02-30' }, 'data.fullTermDate', DATE_REASON],
      ['SENTENCED', { earliestParoleDate: 'soon' }, 'data.earliestParoleDate', DATE_REASON],
      [
        'SENTENCED',
        { earliestParoleDate: '2027-05-01', fullTermDate: '2027-03-01' },
        'data.earliestParoleDate',
        'must not be after data.fullTermDate',
      ],
      ['PAROLE_DECIDED', { granted: 'yes' }, 'data.granted', 'must be true or false'],
      ['PAROLE_DECIDED', { granted: true, date: '2027-13-01' }, 'data.date', DATE_REASON],
      ['RELEASED_AFTER_ARREST', { court: 'x' }, 'data.court', 'is not a field of RELEASED_AFTER_ARREST'],
    ] as [EventType, Record<string, unknown>, string, string][])('%s %j: %s', (type, data, field, reason) => {
      expect(eventDataProblems(type, data)).toEqual([{ field, reason }]);
    });

    it('takes a sentence with its dates pending, one of them, or both', () => {
      expect(eventDataProblems('SENTENCED', {})).toEqual([]);
      expect(eventDataProblems('SENTENCED', undefined)).toEqual([]);
      expect(eventDataProblems('SENTENCED', { fullTermDate: '2027-09-01' })).toEqual([]);
      expect(eventDataProblems('SENTENCED', { earliestParoleDate: '2027-05-01', fullTermDate: '2027-09-01' })).toEqual(
        [],
      );
      expect(eventDataProblems('PAROLE_DECIDED', { granted: false })).toEqual([]);
    });

    it('takes reasons of exactly 4000 characters and motivated false', () => {
      expect(eventDataProblems('ASSESSED', { track: 'PREVENTION', reasons: 'x'.repeat(4000) })).toEqual([]);
      expect(eventDataProblems('MOTIVATION_ASSESSED', { motivated: false })).toEqual([]);
    });

    it('takes every track, placement kind, district and closing outcome', () => {
      for (const track of TRACK_LIST.split(', '))
        expect(eventDataProblems('ASSESSED', { track, reasons: 'ok' })).toEqual([]);
      for (const kind of KIND_LIST.split(', ')) expect(eventDataProblems('PLACED', { kind })).toEqual([]);
      for (const district of [...DISTRICTS, 'VESTERBRO']) expect(eventDataProblems('MOVED', { district })).toEqual([]);
      for (const outcome of OUTCOME_LIST.split(', ')) expect(eventDataProblems('CLOSED', { outcome })).toEqual([]);
    });

    it('reports both ASSESSED fields when both are wrong', () => {
      expect(eventDataProblems('ASSESSED', { track: 'NONE', reasons: '  ' })).toEqual([
        { field: 'data.track', reason: `must be one of ${TRACK_LIST}` },
        { field: 'data.reasons', reason: REASONS_REASON },
      ]);
    });
  });

  describe('unknown fields', () => {
    it.each(EVENT_TYPES)('reports data.foo as not a field of %s, next to valid data', (type) => {
      expect(eventDataProblems(type, { ...valid[type], foo: 'bar' })).toEqual([
        { field: 'data.foo', reason: `is not a field of ${type}` },
      ]);
    });

    it('reports a field of another event type as unknown', () => {
      expect(eventDataProblems('PLACED', { kind: 'JOB', district: 'TINGBJERG' })).toEqual([
        { field: 'data.district', reason: 'is not a field of PLACED' },
      ]);
    });

    it('reports unknown fields before missing ones', () => {
      expect(eventDataProblems('CLOSED', { reason: 'COMPLETED' })).toEqual([
        { field: 'data.reason', reason: 'is not a field of CLOSED' },
        { field: 'data.outcome', reason: 'is required' },
      ]);
    });
  });

  describe('data that is not an object', () => {
    it.each([
      ['a string', 'COMPLETED'],
      ['a number', 42],
      ['a boolean', true],
      ['an array', [{ outcome: 'COMPLETED' }]],
      ['an empty array', []],
    ])('refuses %s with a single problem on data', (_label, data) => {
      expect(eventDataProblems('CLOSED', data)).toEqual([{ field: 'data', reason: 'must be an object' }]);
      expect(eventDataProblems('ARRESTED', data)).toEqual([{ field: 'data', reason: 'must be an object' }]);
    });
  });
});

describe('isReleaseDate', () => {
  it.each([
    '2026-07-01',
    '2024-02-29',
    '2026-12-31',
    '2026-07-01T09:00:00Z',
    '2026-07-01T09:00Z',
    '2026-07-01T09:00:00.5Z',
    '2026-07-01T09:00:00.123+02:00',
    '2026-01-15T09:00:00+01:00',
    '2026-07-01T09:00:00-05:30',
  ])('accepts %s', (value) => {
    expect(isReleaseDate(value)).toBe(true);
  });

  it.each([
    ['February 30th', '2026-02-30'],
    ['29 February in a common year', '2025-02-29'],
    ['month 13', '2026-13-01'],
    ['month 00', '2026-00-10'],
    ['day 00', '2026-07-00'],
    ['31 April', '2026-04-31'],
    ['an instant without a zone', '2026-07-01T09:00:00'],
    ['an instant without a zone or seconds', '2026-07-01T09:00'],
    ['an instant on 30 February', '2026-02-30T09:00:00Z'],
    ['an instant at hour 25', '2026-07-01T25:00:00Z'],
    ['more than millisecond precision', '2026-07-01T09:00:00.1234Z'],
    ['a short year', '26-07-01'],
    ['a Danish date', '01-07-2026'],
    ['a date with slashes', '2026/07/01'],
    ['a zone without colon', '2026-07-01T09:00:00+0200'],
    ['a date with trailing text', '2026-07-01 '],
    ['an empty string', ''],
  ])('refuses %s (%s)', (_label, value) => {
    expect(isReleaseDate(value)).toBe(false);
  });

  it.each([
    ['a number', 20260701],
    ['a Date', new Date('2026-07-01T07:00:00Z')],
    ['null', null],
    ['undefined', undefined],
  ])('refuses %s', (_label, value) => {
    expect(isReleaseDate(value)).toBe(false);
  });
});

describe('releaseInstant', () => {
  it('means 09:00 Copenhagen summer time for a summer date', () => {
    expect(releaseInstant('2026-07-01').toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });

  it('means 09:00 Copenhagen winter time for a winter date', () => {
    expect(releaseInstant('2026-01-15').toISOString()).toBe('2026-01-15T08:00:00.000Z');
  });

  it('uses the offset in force at 09:00 on the days the clocks change', () => {
    // 29 March 2026: clocks go forward at 02:00, so 09:00 is summer time.
    expect(releaseInstant('2026-03-29').toISOString()).toBe('2026-03-29T07:00:00.000Z');
    // 25 October 2026: clocks go back at 03:00, so 09:00 is winter time.
    expect(releaseInstant('2026-10-25').toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(releaseInstant('2026-03-28').toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(releaseInstant('2026-10-24').toISOString()).toBe('2026-10-24T07:00:00.000Z');
  });

  it('passes an instant through unchanged', () => {
    expect(releaseInstant('2026-07-01T12:30:00+02:00').toISOString()).toBe('2026-07-01T10:30:00.000Z');
    expect(releaseInstant('2026-01-15T06:00:00Z').toISOString()).toBe('2026-01-15T06:00:00.000Z');
    expect(releaseInstant('2026-01-15T23:30:00-01:00').toISOString()).toBe('2026-01-16T00:30:00.000Z');
  });
});
