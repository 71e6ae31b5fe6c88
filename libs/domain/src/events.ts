// What coordinators record on a pathway, and which stage accepts what. Pure: the API validates with it (400 and
// 409 before anything is sent) and the workflow's update validator checks the same rules against its own state.
import { copenhagenTime } from './calendar';
import { DISTRICT_CODE_REASON, isDistrictCode } from './districts';
import { TRACKS, type District, type Stage, type Track } from './pathway/vocabulary';
import type { Role } from './roles';
import { UNSTORABLE_REASON, findUnstorable } from './text';

export const EVENT_TYPES = [
  'ASSESSED',
  'ARRESTED',
  'REMANDED',
  'SENTENCED',
  'RELEASE_DATE_CHANGED',
  'RELEASED',
  'PLACED',
  'DROPPED_OUT',
  'CONSENT_GIVEN',
  'CONSENT_WITHDRAWN',
  'MOTIVATION_ASSESSED',
  'MOVED',
  'CLOSED',
  // Playbook v2 (issue 10): arrest, remand and sentence as distinct facts; parent involvement by need.
  'RELEASED_AFTER_ARREST',
  'PAROLE_DECIDED',
  'CONTACT_DIFFICULT',
  /** A charge (sigtelse) as its own fact: neither an arrest nor custody; it plans nothing and moves no stage. */
  'CHARGED',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const PLACEMENT_KINDS = ['JOB', 'EDUCATION', 'INTERNSHIP'] as const;
export type PlacementKind = (typeof PLACEMENT_KINDS)[number];

export const CLOSING_OUTCOMES = [
  'COMPLETED',
  'DECLINED',
  'CONSENT_WITHDRAWN',
  'DEREGISTERED',
  'MOVED',
  'TRANSFERRED',
  'DECEASED',
  'OTHER',
  /** Not motivated for Exit and handled by investigation outside this system; nothing is passed on. */
  'REFERRED_TO_INVESTIGATION',
] as const;
export type ClosingOutcome = (typeof CLOSING_OUTCOMES)[number];

export type EventData =
  /**
   * The joint assessment's decision. `register`: it decides the person is registered by EAS (the registration task
   * comes from the playbook's onEvent.REGISTRATION_DECIDED); under 18 only with a coordinator's recorded reason.
   */
  | { type: 'ASSESSED'; track: Track; reasons: string; register?: boolean; registrationReason?: string }
  | { type: 'ARRESTED' }
  | { type: 'REMANDED' }
  /**
   * Any date may be unknown when the sentence is recorded ("dates pending"): the expected release is the earliest
   * parole date (two-thirds), else the full-term date, else expectedReleaseDate (as recorded before v2).
   */
  | { type: 'SENTENCED'; expectedReleaseDate?: string; earliestParoleDate?: string; fullTermDate?: string }
  | { type: 'RELEASE_DATE_CHANGED'; expectedReleaseDate: string }
  | { type: 'RELEASED' }
  | { type: 'PLACED'; kind: PlacementKind }
  | { type: 'DROPPED_OUT' }
  | { type: 'CONSENT_GIVEN' }
  | { type: 'CONSENT_WITHDRAWN' }
  | { type: 'MOTIVATION_ASSESSED'; motivated: boolean }
  | { type: 'MOVED'; district: District }
  | { type: 'CLOSED'; outcome: ClosingOutcome }
  /** Out again without a sentence (charges dropped, remand lifted): the pathway goes back to where it was. */
  | { type: 'RELEASED_AFTER_ARREST' }
  /** Parole (prøveløsladelse) decided, about 4 weeks before the two-thirds date: granted moves the release there. */
  | { type: 'PAROLE_DECIDED'; granted: boolean; date?: string }
  /** A coordinator finds it hard to reach the young adult: parent involvement (Retsplejeloven § 115a) by need. */
  | { type: 'CONTACT_DIFFICULT' }
  /** Charged (sigtet) with an offence: a fact on the timeline, with or without an arrest; nothing more. */
  | { type: 'CHARGED' };

export interface PathwayEvent {
  /** ISO 8601 instant the event happened (not when it was recorded). */
  occurredAt: string;
  /** The agency recording it. */
  recordedBy: string;
  /**
   * The recording person's roles, checked by the update validator against the policy (eventTypeRefusal in
   * libs/domain/src/policy.ts). Absent in histories recorded before sign-in, which replay as they were.
   */
  recordedByRoles?: readonly Role[];
  /** The recording person's user id (the token's subject): who asked for a closure. Absent before four eyes. */
  recordedByUser?: string;
  data: EventData;
}

/** Events every open stage takes: facts about the person that can happen at any time. */
const ANYTIME: readonly EventType[] = [
  'CONSENT_GIVEN',
  'CONSENT_WITHDRAWN',
  'MOTIVATION_ASSESSED',
  'MOVED',
  'CLOSED',
  'RELEASED_AFTER_ARREST',
  'CONTACT_DIFFICULT',
  'CHARGED',
];
const ARREST: readonly EventType[] = ['ARRESTED', 'REMANDED', 'SENTENCED'];

// ASSESSED from the joint assessment on, in every open stage: Exit can start in custody (Kriminalforsorgen's and
// EKI's custody Exit work) or after release, and a reassessment can change the track at any time.
const BY_STAGE: Record<Stage, readonly EventType[]> = {
  CONTACT: [...ARREST, ...ANYTIME],
  ASSESSMENT: ['ASSESSED', ...ARREST, ...ANYTIME],
  INTERVENTION: ['ASSESSED', 'PLACED', ...ARREST, ...ANYTIME],
  // Already in custody: a new arrest is not news, a remand or a sentence is.
  CUSTODY: ['ASSESSED', 'REMANDED', 'SENTENCED', 'RELEASE_DATE_CHANGED', 'PAROLE_DECIDED', 'RELEASED', ...ANYTIME],
  RELEASE_PLANNING: ['ASSESSED', 'SENTENCED', 'RELEASE_DATE_CHANGED', 'PAROLE_DECIDED', 'RELEASED', ...ANYTIME],
  REINTEGRATION: ['ASSESSED', 'PLACED', ...ARREST, ...ANYTIME],
  PLACEMENT: ['ASSESSED', 'DROPPED_OUT', ...ARREST, ...ANYTIME],
  FOLLOW_UP: ['ASSESSED', 'DROPPED_OUT', ...ARREST, ...ANYTIME],
  CLOSED: [],
};

export function acceptedEvents(stage: Stage): readonly EventType[] {
  return BY_STAGE[stage];
}

/** Why an event does not fit the stage, or undefined when it does. */
export function eventRefusal(stage: Stage, type: EventType): string | undefined {
  const accepted = BY_STAGE[stage];
  if (accepted.includes(type)) return undefined;
  if (accepted.length === 0) return `the pathway is ${stage} and accepts no events`;
  return `${type} does not fit stage ${stage}; it accepts ${accepted.join(', ')}`;
}

export interface FieldProblem {
  field: string;
  reason: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_REASON = 'must be a date YYYY-MM-DD or an ISO 8601 time with a time zone, in the years 2000–2099';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;

/** A release date is a calendar date (then 09:00 Copenhagen time is meant) or an exact ISO 8601 instant. */
export function isReleaseDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  // A release in year 100 or 9999 is a typing error that would start release planning at once, or never.
  if (!/^20\d\d-/.test(value)) return false;
  if (ISO_DATE.test(value)) return !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && realDate(value);
  return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && realDate(value.slice(0, 10));
}

/** The instant a release date means: a bare date is 09:00 Copenhagen time on that day. */
export function releaseInstant(value: string): Date {
  return ISO_DATE.test(value) ? copenhagenTime(value, 9) : new Date(value);
}

function realDate(value: string): boolean {
  const [y, m, d] = value.split('-').map(Number);
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

const FIELDS: Record<EventType, readonly string[]> = {
  ASSESSED: ['track', 'reasons', 'register', 'registrationReason'],
  ARRESTED: [],
  REMANDED: [],
  SENTENCED: ['expectedReleaseDate', 'earliestParoleDate', 'fullTermDate'],
  RELEASE_DATE_CHANGED: ['expectedReleaseDate'],
  RELEASED: [],
  PLACED: ['kind'],
  DROPPED_OUT: [],
  CONSENT_GIVEN: [],
  CONSENT_WITHDRAWN: [],
  MOTIVATION_ASSESSED: ['motivated'],
  MOVED: ['district'],
  CLOSED: ['outcome'],
  RELEASED_AFTER_ARREST: [],
  PAROLE_DECIDED: ['granted', 'date'],
  CONTACT_DIFFICULT: [],
  CHARGED: [],
};

/** The date fields of events that set when someone is released. */
export const RELEASE_DATE_FIELDS = ['expectedReleaseDate', 'earliestParoleDate', 'fullTermDate', 'date'] as const;

/** Every problem with an event's `data` for its type, each naming the field (`data.track`). */
export function eventDataProblems(type: EventType, data: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const value: Record<string, unknown> = data === undefined || data === null ? {} : (data as Record<string, unknown>);
  if (typeof value !== 'object' || Array.isArray(value)) return [{ field: 'data', reason: 'must be an object' }];
  for (const key of Object.keys(value)) {
    if (!FIELDS[type].includes(key)) problems.push({ field: `data.${key}`, reason: `is not a field of ${type}` });
  }
  const nul = findUnstorable(value, 'data');
  if (nul !== undefined) problems.push({ field: nul, reason: UNSTORABLE_REASON });
  const need = (field: string, ok: boolean, reason: string) => {
    if (value[field] === undefined) problems.push({ field: `data.${field}`, reason: 'is required' });
    else if (!ok) problems.push({ field: `data.${field}`, reason });
  };
  const date = (field: string) => {
    if (value[field] !== undefined && !isReleaseDate(value[field]))
      problems.push({ field: `data.${field}`, reason: DATE_REASON });
  };
  switch (type) {
    case 'ASSESSED':
      need('track', TRACKS.includes(value.track as Track), `must be one of ${TRACKS.join(', ')}`);
      need(
        'reasons',
        typeof value.reasons === 'string' && value.reasons.trim().length > 0 && value.reasons.length <= 4000,
        'must be a non-empty text of at most 4000 characters',
      );
      if (value.register !== undefined && typeof value.register !== 'boolean')
        problems.push({ field: 'data.register', reason: 'must be true or false' });
      if (
        value.registrationReason !== undefined &&
        (typeof value.registrationReason !== 'string' ||
          value.registrationReason.trim().length === 0 ||
          value.registrationReason.length > 2000)
      )
        problems.push({
          field: 'data.registrationReason',
          reason: 'must be a non-empty text of at most 2000 characters',
        });
      else if (value.registrationReason !== undefined && value.register !== true)
        problems.push({ field: 'data.registrationReason', reason: 'is only given with register: true' });
      break;
    case 'SENTENCED':
      for (const field of FIELDS.SENTENCED) date(field);
      if (
        isReleaseDate(value.earliestParoleDate) &&
        isReleaseDate(value.fullTermDate) &&
        releaseInstant(value.earliestParoleDate).getTime() > releaseInstant(value.fullTermDate).getTime()
      )
        problems.push({ field: 'data.earliestParoleDate', reason: 'must not be after data.fullTermDate' });
      break;
    case 'RELEASE_DATE_CHANGED':
      need('expectedReleaseDate', isReleaseDate(value.expectedReleaseDate), DATE_REASON);
      break;
    case 'PAROLE_DECIDED':
      need('granted', typeof value.granted === 'boolean', 'must be true or false');
      date('date');
      break;
    case 'PLACED':
      need(
        'kind',
        PLACEMENT_KINDS.includes(value.kind as PlacementKind),
        `must be one of ${PLACEMENT_KINDS.join(', ')}`,
      );
      break;
    case 'MOTIVATION_ASSESSED':
      need('motivated', typeof value.motivated === 'boolean', 'must be true or false');
      break;
    case 'MOVED':
      // The API checks the code against the districts table; the workflow's validator can check its form only.
      need('district', isDistrictCode(value.district), DISTRICT_CODE_REASON);
      break;
    case 'CLOSED':
      need(
        'outcome',
        CLOSING_OUTCOMES.includes(value.outcome as ClosingOutcome),
        `must be one of ${CLOSING_OUTCOMES.join(', ')}`,
      );
      break;
  }
  return problems;
}
