// The playbook: which tasks each stage creates, for which agency, with which deadline. It is data (JSON in
// libs/domain/playbooks and rows in the database), validated here and evaluated inside workflows, so every
// function in this file is pure and deterministic.
import { monthsBefore } from './age';
import { addCalendarDays, addWorkingDays, copenhagenDate, copenhagenTime, type CalendarOptions } from './calendar';
import { AGENCY_CODE_PATTERN, agencyServesAge, isInvestigationAgency } from './agencies';
import { STAGES, TASK_OUTCOMES, TRACKS, type Stage, type TaskOutcome, type Track } from './pathway/vocabulary';

export type DueRule =
  | { kind: 'workingDays'; days: number }
  | { kind: 'calendarDays'; days: number }
  /** Seconds: for tests and drills, where a playbook must run in real time. */
  | { kind: 'duration'; seconds: number }
  /**
   * Hangs on the expected release date: that many calendar days, months (the køreplan's lead times) or seconds
   * before it; moves when it moves. With `atLeast`, a deadline that would fall sooner than that from the task's
   * creation (a late sentence) is the earliest feasible one instead, and the task is flagged compressed.
   */
  | { kind: 'beforeRelease'; days?: number; months?: number; seconds?: number; atLeast?: DueRule };

/** A span to count back from a date: calendar days, or seconds for drills. */
export type LeadTime = { kind: 'calendarDays'; days: number } | { kind: 'duration'; seconds: number };

/** What must hold before a task is handed to its agency; until then it waits, visible on the timeline. */
export const REQUIREMENTS = ['consent', 'motivation', 'releaseDate'] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

export interface TaskCondition {
  /** Age in whole years when the task is planned, inclusive bounds. */
  minAge?: number;
  maxAge?: number;
  livesWithParents?: boolean;
  tracks?: Track[];
}

export interface PlaybookTask {
  key: string;
  agency: string;
  type: string;
  /** Danish title shown in the agency's queue. */
  title: string;
  due: DueRule;
  when?: TaskCondition;
  /** Share(s) of the time to the deadline at which the agency is reminded (0 < share < 1); a list repeats. */
  reminderShare?: number | number[];
  /** How long past the deadline before escalation goes to level 2. */
  escalateAfter?: DueRule;
  /** Exit work needs the person's consent (and the national programme assessed motivation). */
  requires?: Requirement[];
  /** Created this long after the stage is entered, not at once (follow-ups months after placement). */
  startAfter?: DueRule;
  /**
   * A handover: completing the task asks this agency to acknowledge; the sender stays responsible (the task stays
   * open) until it does ("nobody lets go until the next has hold").
   */
  handoverTo?: string;
  /** How long the receiver has to acknowledge a handover (default 2 working days). */
  acknowledgeWithin?: DueRule;
  /** The outcomes the agency may end the task with (default all of TASK_OUTCOMES; DONE always among them). */
  outcomes?: TaskOutcome[];
  /** When the person was not reached: another attempt after `retryAfter`, `attempts` in all (DEFAULT_NOT_REACHED). */
  notReached?: NotReachedRule;
}

/** NOT_REACHED brings the task back for another attempt, this long after, until this many attempts were made. */
export interface NotReachedRule {
  retryAfter: DueRule;
  attempts: number;
}

/** Partnership default (docs/PLAYBOOK.md): a new attempt after 5 working days, 3 attempts before the group hears. */
export const DEFAULT_NOT_REACHED: NotReachedRule = { retryAfter: { kind: 'workingDays', days: 5 }, attempts: 3 };

/** The events a playbook may plan work for. */
export const PLANNED_EVENTS = [
  'ARRESTED',
  'REMANDED',
  'SENTENCED',
  'CONTACT_DIFFICULT',
  'RELEASED_AFTER_ARREST',
  /** ASSESSED with register: true (the joint assessment decided the registration). */
  'REGISTRATION_DECIDED',
] as const;
export type PlannedEvent = (typeof PLANNED_EVENTS)[number];

export interface StagePlan {
  tasks: PlaybookTask[];
  /**
   * False: a pathway in this stage is never flagged stalled (v2's CUSTODY: a remand or a sentence with its dates
   * pending waits on the courts and Kriminalforsorgen, not on the partnership).
   */
  stalls?: boolean;
  /**
   * Optional steps "by need" (Tidlig helhedsindsats in custody): offered to the coordinators while the pathway is in
   * this stage and created only when one adds it (`POST /pathways/:id/suggested-tasks`), never by themselves.
   */
  suggested?: PlaybookTask[];
}

export interface Playbook {
  version: number;
  name: string;
  calendar?: CalendarOptions;
  /** Den Gode Løsladelse starts this long before the expected release date (at once if less is left). */
  releasePlanning?: { leadTime: LeadTime };
  /** On the birthday, open tasks of under-age agencies are handed to the adult agencies named here. */
  ageHandover?: { age: number; agencies: Record<string, string>; transitionPlan?: TransitionPlan };
  /** A pathway with no progress (event, task done, stage change) for this long is stalled (default 30 days). */
  stallAfter?: DueRule;
  /** False from v2: an arrest (at most 24 hours before a court hearing) is a fact with a follow-up, not custody. */
  arrestEntersCustody?: boolean;
  /** Work an event plans in whatever stage the pathway is in (the arrest follow-up, the køreplan at sentence). */
  onEvent?: Partial<Record<PlannedEvent, StagePlan>>;
  stages: Partial<Record<Stage, StagePlan>>;
  /**
   * What the agency does for a task of each type, in Danish, shown on the task's page (GET /tasks/{id}). Text for
   * people only: the machine never reads it, so adding or changing it changes no rule.
   */
  instructions?: Record<string, string>;
}

/** The longest instruction text a playbook may give one task type. */
export const INSTRUCTIONS_MAX_LENGTH = 2000;

/** A task planned this long before the birthday of the age handover, so the move to adult agencies is prepared. */
export interface TransitionPlan {
  /** Calendar months before the birthday; seconds for drills. */
  before: { kind: 'months'; months: number } | { kind: 'duration'; seconds: number };
  task: PlaybookTask;
}

export interface PlaybookError {
  /** Where in the document, e.g. `stages.CONTACT.tasks[1].due.days`. */
  path: string;
  message: string;
}

export interface PlanningContext {
  now: Date;
  age: number;
  livesWithParents?: boolean;
  track?: Track;
  /** The expected release, for deadlines that hang on it. */
  releaseAt?: Date;
}

export interface PlannedTask {
  key: string;
  agency: string;
  type: string;
  title: string;
  dueAt: Date;
  due: DueRule;
  requires: Requirement[];
  startAfter?: DueRule;
  reminderShare?: number | number[];
  escalateAfter?: DueRule;
  handoverTo?: string;
  acknowledgeWithin?: DueRule;
  outcomes?: TaskOutcome[];
  notReached?: NotReachedRule;
}

/**
 * The deadline a rule gives for a task created at `from`. A deadline before the release date that has already
 * passed (planning started late) is `from` (due at once), or with `atLeast` the earliest feasible one.
 */
export function dueFrom(rule: DueRule, from: Date, calendar?: CalendarOptions, releaseAt?: Date): Date {
  return deadline(rule, from, calendar, releaseAt).dueAt;
}

/** The deadline, and whether a late release date compressed it to the earliest feasible one (`atLeast`). */
export function deadline(
  rule: DueRule,
  from: Date,
  calendar?: CalendarOptions,
  releaseAt?: Date,
): { dueAt: Date; compressed: boolean } {
  if (rule.kind === 'beforeRelease' && releaseAt && (rule.months !== undefined || rule.atLeast)) {
    const due =
      rule.months !== undefined
        ? copenhagenTime(monthsBefore(copenhagenDate(releaseAt), rule.months), 9)
        : baseDue(rule, from, calendar, releaseAt);
    const floor = rule.atLeast ? baseDue(rule.atLeast, from, calendar) : from;
    return due.getTime() < floor.getTime() ? { dueAt: floor, compressed: true } : { dueAt: due, compressed: false };
  }
  if (rule.kind === 'beforeRelease' && !releaseAt && rule.months !== undefined)
    return { dueAt: addCalendarDays(from, rule.months * 30), compressed: false };
  return { dueAt: baseDue(rule, from, calendar, releaseAt), compressed: false };
}

function baseDue(rule: DueRule, from: Date, calendar?: CalendarOptions, releaseAt?: Date): Date {
  switch (rule.kind) {
    case 'workingDays':
      return addWorkingDays(from, rule.days, calendar);
    case 'calendarDays':
      return addCalendarDays(from, rule.days);
    case 'duration':
      return new Date(from.getTime() + rule.seconds * 1000);
    case 'beforeRelease': {
      // Without a release date yet, the rule falls back to the same span counted forward from now.
      if (!releaseAt) {
        return rule.seconds !== undefined
          ? new Date(from.getTime() + rule.seconds * 1000)
          : addCalendarDays(from, rule.days ?? 0);
      }
      const due =
        rule.seconds !== undefined
          ? new Date(releaseAt.getTime() - rule.seconds * 1000)
          : addCalendarDays(releaseAt, -(rule.days ?? 0));
      return due.getTime() < from.getTime() ? from : due;
    }
  }
}

/** When release planning starts for a release at `releaseAt`. */
export function releasePlanningStart(playbook: Playbook, releaseAt: Date): Date {
  const lead = playbook.releasePlanning?.leadTime ?? { kind: 'calendarDays', days: 84 };
  return lead.kind === 'duration'
    ? new Date(releaseAt.getTime() - lead.seconds * 1000)
    : addCalendarDays(releaseAt, -lead.days);
}

export function conditionHolds(when: TaskCondition | undefined, ctx: PlanningContext): boolean {
  if (!when) return true;
  if (when.minAge !== undefined && ctx.age < when.minAge) return false;
  if (when.maxAge !== undefined && ctx.age > when.maxAge) return false;
  if (when.livesWithParents !== undefined && ctx.livesWithParents !== when.livesWithParents) return false;
  if (when.tracks !== undefined && (ctx.track === undefined || !when.tracks.includes(ctx.track))) return false;
  return true;
}

/** The tasks a stage creates for this person now, in playbook order. */
export function planStageTasks(playbook: Playbook, stage: Stage, ctx: PlanningContext): PlannedTask[] {
  const plan = playbook.stages[stage];
  if (!plan) return [];
  return plan.tasks.filter((task) => conditionHolds(task.when, ctx)).map((task) => planTask(playbook, task, ctx));
}

/**
 * The stage's optional steps a coordinator may add now: their conditions hold (age, track), the engine would hand them
 * out (no investigation unit, an agency that serves the age) and none with the key is already open.
 */
export function suggestedTasks(
  playbook: Playbook,
  stage: Stage,
  ctx: PlanningContext,
  openKeys: ReadonlySet<string>,
): PlannedTask[] {
  return (playbook.stages[stage]?.suggested ?? [])
    .filter(
      (task) =>
        conditionHolds(task.when, ctx) &&
        !openKeys.has(task.key) &&
        !isInvestigationAgency(task.agency) &&
        agencyServesAge(task.agency, ctx.age),
    )
    .map((task) => planTask(playbook, task, ctx));
}

/** One playbook task as planned now. */
export function planTask(playbook: Playbook, task: PlaybookTask, ctx: PlanningContext): PlannedTask {
  return {
    key: task.key,
    agency: task.agency,
    type: task.type,
    title: task.title,
    dueAt: dueFrom(task.due, ctx.now, playbook.calendar, ctx.releaseAt),
    due: task.due,
    requires: task.requires ?? [],
    ...(task.startAfter ? { startAfter: task.startAfter } : {}),
    ...(task.reminderShare !== undefined ? { reminderShare: task.reminderShare } : {}),
    ...(task.escalateAfter ? { escalateAfter: task.escalateAfter } : {}),
    ...(task.handoverTo ? { handoverTo: task.handoverTo, acknowledgeWithin: task.acknowledgeWithin } : {}),
    ...(task.outcomes ? { outcomes: [...task.outcomes] } : {}),
    ...(task.notReached ? { notReached: task.notReached } : {}),
  };
}

// ---- validation -------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWhole = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const KEY = /^[a-z][a-z0-9-]{1,63}$/;
const TYPE = /^[A-Z][A-Z0-9_]{1,63}$/;

function checkKeys(value: Json, allowed: readonly string[], path: string, errors: PlaybookError[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) errors.push({ path: path ? `${path}.${key}` : key, message: 'unknown property' });
  }
}

function checkDueRule(value: unknown, path: string, errors: PlaybookError[], allowRelease = false): void {
  if (!isObject(value)) {
    errors.push({ path, message: 'must be an object with kind and days or seconds' });
    return;
  }
  switch (value.kind) {
    case 'workingDays':
    case 'calendarDays':
      checkKeys(value, ['kind', 'days'], path, errors);
      if (!isWhole(value.days, 0, 3650))
        errors.push({ path: `${path}.days`, message: 'must be a whole number 0-3650' });
      break;
    case 'duration':
      checkKeys(value, ['kind', 'seconds'], path, errors);
      if (!isWhole(value.seconds, 1, 10 * 365 * 86400))
        errors.push({ path: `${path}.seconds`, message: 'must be a whole number of seconds, at least 1' });
      break;
    case 'beforeRelease':
      if (!allowRelease) {
        errors.push({ path: `${path}.kind`, message: 'beforeRelease is only allowed for a task deadline' });
        break;
      }
      checkKeys(value, ['kind', 'days', 'months', 'seconds', 'atLeast'], path, errors);
      if (value.atLeast !== undefined) checkDueRule(value.atLeast, `${path}.atLeast`, errors);
      if ([value.days, value.months, value.seconds].filter((v) => v !== undefined).length !== 1) {
        errors.push({ path, message: 'beforeRelease takes one of days, months or seconds' });
      } else if (value.months !== undefined && !isWhole(value.months, 1, 36)) {
        errors.push({ path: `${path}.months`, message: 'must be a whole number 1-36' });
      } else if (value.days !== undefined && !isWhole(value.days, 0, 3650)) {
        errors.push({ path: `${path}.days`, message: 'must be a whole number 0-3650' });
      } else if (value.seconds !== undefined && !isWhole(value.seconds, 0, 10 * 365 * 86400)) {
        errors.push({ path: `${path}.seconds`, message: 'must be a whole number of seconds' });
      }
      break;
    default:
      errors.push({
        path: `${path}.kind`,
        message: `must be one of workingDays, calendarDays, duration${allowRelease ? ', beforeRelease' : ''}`,
      });
  }
}

function checkCondition(value: unknown, path: string, errors: PlaybookError[]): void {
  if (!isObject(value)) {
    errors.push({ path, message: 'must be an object' });
    return;
  }
  checkKeys(value, ['minAge', 'maxAge', 'livesWithParents', 'tracks'], path, errors);
  for (const bound of ['minAge', 'maxAge'] as const) {
    if (value[bound] !== undefined && !isWhole(value[bound], 0, 120))
      errors.push({ path: `${path}.${bound}`, message: 'must be a whole number 0-120' });
  }
  if (value.livesWithParents !== undefined && typeof value.livesWithParents !== 'boolean')
    errors.push({ path: `${path}.livesWithParents`, message: 'must be true or false' });
  if (value.tracks !== undefined) {
    if (!Array.isArray(value.tracks) || value.tracks.length === 0) {
      errors.push({ path: `${path}.tracks`, message: 'must be a non-empty list of tracks' });
    } else {
      value.tracks.forEach((track, i) => {
        if (!TRACKS.includes(track as Track))
          errors.push({ path: `${path}.tracks[${i}]`, message: `must be one of ${TRACKS.join(', ')}` });
      });
    }
  }
}

function checkTask(value: unknown, path: string, errors: PlaybookError[], seenKeys: Set<string>): void {
  if (!isObject(value)) {
    errors.push({ path, message: 'must be an object' });
    return;
  }
  checkKeys(
    value,
    [
      'key',
      'agency',
      'type',
      'title',
      'due',
      'when',
      'reminderShare',
      'escalateAfter',
      'requires',
      'startAfter',
      'handoverTo',
      'acknowledgeWithin',
      'outcomes',
      'notReached',
    ],
    path,
    errors,
  );
  checkOutcomes(value, path, errors);
  if (typeof value.key !== 'string' || !KEY.test(value.key)) {
    errors.push({ path: `${path}.key`, message: 'must be lower-case letters, digits and dashes' });
  } else if (seenKeys.has(value.key)) {
    errors.push({ path: `${path}.key`, message: `duplicate task key '${value.key}'` });
  } else {
    seenKeys.add(value.key);
  }
  if (typeof value.agency !== 'string' || !AGENCY_CODE_PATTERN.test(value.agency))
    errors.push({ path: `${path}.agency`, message: 'must be an agency code' });
  if (typeof value.type !== 'string' || !TYPE.test(value.type))
    errors.push({ path: `${path}.type`, message: 'must be an upper-case identifier' });
  if (typeof value.title !== 'string' || value.title.trim().length === 0 || value.title.length > 200)
    errors.push({ path: `${path}.title`, message: 'must be a non-empty text of at most 200 characters' });
  checkDueRule(value.due, `${path}.due`, errors, true);
  if (value.startAfter !== undefined) checkDueRule(value.startAfter, `${path}.startAfter`, errors);
  if (value.requires !== undefined) {
    if (!Array.isArray(value.requires)) {
      errors.push({ path: `${path}.requires`, message: `must be a list of ${REQUIREMENTS.join(', ')}` });
    } else {
      value.requires.forEach((r, i) => {
        if (!REQUIREMENTS.includes(r as Requirement))
          errors.push({ path: `${path}.requires[${i}]`, message: `must be one of ${REQUIREMENTS.join(', ')}` });
      });
    }
  }
  if (value.when !== undefined) checkCondition(value.when, `${path}.when`, errors);
  if (value.reminderShare !== undefined) {
    const shares = Array.isArray(value.reminderShare) ? value.reminderShare : [value.reminderShare];
    if (shares.length === 0 || !shares.every((v) => typeof v === 'number' && v > 0 && v < 1))
      errors.push({ path: `${path}.reminderShare`, message: 'must be a number between 0 and 1, or a list of them' });
  }
  if (
    value.handoverTo !== undefined &&
    (typeof value.handoverTo !== 'string' || !AGENCY_CODE_PATTERN.test(value.handoverTo))
  )
    errors.push({ path: `${path}.handoverTo`, message: 'must be an agency code' });
  if (value.acknowledgeWithin !== undefined) {
    if (value.handoverTo === undefined)
      errors.push({ path: `${path}.acknowledgeWithin`, message: 'only a handover task (handoverTo) has it' });
    checkDueRule(value.acknowledgeWithin, `${path}.acknowledgeWithin`, errors);
  }
  if (value.escalateAfter !== undefined) checkDueRule(value.escalateAfter, `${path}.escalateAfter`, errors);
}

/** Which outcomes a task allows (DONE always) and how a person not reached is tried again. */
function checkOutcomes(value: Json, path: string, errors: PlaybookError[]): void {
  const { outcomes, notReached } = value;
  if (outcomes !== undefined) {
    if (
      !Array.isArray(outcomes) ||
      !outcomes.every((o) => TASK_OUTCOMES.includes(o as TaskOutcome)) ||
      !outcomes.includes('DONE') ||
      new Set(outcomes).size !== outcomes.length
    )
      errors.push({
        path: `${path}.outcomes`,
        message: `must be a list of distinct outcomes from ${TASK_OUTCOMES.join(', ')}, DONE among them`,
      });
  }
  if (notReached !== undefined) {
    if (!isObject(notReached)) {
      errors.push({ path: `${path}.notReached`, message: 'must be an object with retryAfter and attempts' });
      return;
    }
    checkKeys(notReached, ['retryAfter', 'attempts'], `${path}.notReached`, errors);
    checkDueRule(notReached.retryAfter, `${path}.notReached.retryAfter`, errors);
    if (!isWhole(notReached.attempts, 1, 10))
      errors.push({ path: `${path}.notReached.attempts`, message: 'must be a whole number 1-10' });
  }
}

const INVESTIGATION_REASON =
  'is an investigation unit: information shared to prevent crime is not passed to investigation (Retsplejeloven § 115)';

/**
 * Purpose limitation: no task, handover or age-handover mapping for an investigation unit. The machine enforces it
 * too (it never plans such work), so a playbook published before the rule (v1's oc-information) stays harmless.
 */
function checkTransitionPlan(value: unknown, errors: PlaybookError[], seenKeys: Set<string>): void {
  const path = 'ageHandover.transitionPlan';
  if (!isObject(value)) {
    errors.push({ path, message: 'must be an object with before and task' });
    return;
  }
  checkKeys(value, ['before', 'task'], path, errors);
  const before = value.before;
  if (isObject(before) && before.kind === 'months') {
    checkKeys(before, ['kind', 'months'], `${path}.before`, errors);
    if (!isWhole(before.months, 1, 24))
      errors.push({ path: `${path}.before.months`, message: 'must be a whole number 1-24' });
  } else if (isObject(before) && before.kind === 'duration') {
    checkDueRule(before, `${path}.before`, errors);
  } else {
    errors.push({ path: `${path}.before.kind`, message: 'must be months or duration' });
  }
  checkTask(value.task, `${path}.task`, errors, seenKeys);
  if (isObject(value.task) && typeof value.task.agency === 'string' && isInvestigationAgency(value.task.agency))
    errors.push({ path: `${path}.task.agency`, message: `${value.task.agency} ${INVESTIGATION_REASON}` });
}

function checkPurposeLimitation(value: Json, errors: PlaybookError[]): void {
  const plans = (section: 'stages' | 'onEvent') =>
    Object.entries(isObject(value[section]) ? value[section] : {}).map(([key, plan]) => [`${section}.${key}`, plan]);
  for (const [where, plan] of [...plans('stages'), ...plans('onEvent')] as [string, unknown][]) {
    if (!isObject(plan) || !Array.isArray(plan.tasks)) continue;
    for (const list of ['tasks', 'suggested'] as const) {
      const tasks = plan[list];
      if (!Array.isArray(tasks)) continue;
      tasks.forEach((task, i) => {
        if (!isObject(task)) return;
        for (const field of ['agency', 'handoverTo'] as const) {
          const code = task[field];
          if (typeof code === 'string' && isInvestigationAgency(code))
            errors.push({ path: `${where}.${list}[${i}].${field}`, message: `${code} ${INVESTIGATION_REASON}` });
        }
      });
    }
  }
  const handover = value.ageHandover;
  if (isObject(handover) && isObject(handover.agencies)) {
    for (const [from, to] of Object.entries(handover.agencies)) {
      const code = isInvestigationAgency(from) ? from : typeof to === 'string' && isInvestigationAgency(to) ? to : '';
      if (code) errors.push({ path: `ageHandover.agencies.${from}`, message: `${code} ${INVESTIGATION_REASON}` });
    }
  }
}

/**
 * Every error in the document, each with its location; an empty list means the playbook is valid.
 * `purposeLimitation: false` only for the bundled version 1, published before that rule (the machine keeps it).
 */
export function validatePlaybook(value: unknown, { purposeLimitation = true } = {}): PlaybookError[] {
  const errors: PlaybookError[] = [];
  if (!isObject(value)) return [{ path: '', message: 'a playbook must be an object' }];
  checkKeys(
    value,
    [
      'version',
      'name',
      'calendar',
      'releasePlanning',
      'ageHandover',
      'stallAfter',
      'arrestEntersCustody',
      'onEvent',
      'stages',
      'instructions',
    ],
    '',
    errors,
  );
  if (value.instructions !== undefined) {
    if (!isObject(value.instructions)) {
      errors.push({ path: 'instructions', message: 'must map task types to texts' });
    } else {
      for (const [type, text] of Object.entries(value.instructions)) {
        if (!TYPE.test(type))
          errors.push({ path: `instructions.${type}`, message: 'must be keyed by an upper-case task type' });
        else if (typeof text !== 'string' || !text.trim() || text.length > INSTRUCTIONS_MAX_LENGTH)
          errors.push({
            path: `instructions.${type}`,
            message: `must be a non-empty text of at most ${INSTRUCTIONS_MAX_LENGTH} characters`,
          });
      }
    }
  }
  if (value.arrestEntersCustody !== undefined && typeof value.arrestEntersCustody !== 'boolean')
    errors.push({ path: 'arrestEntersCustody', message: 'must be true or false' });
  if (value.stallAfter !== undefined) checkDueRule(value.stallAfter, 'stallAfter', errors);
  if (value.releasePlanning !== undefined) {
    const planning = value.releasePlanning;
    if (!isObject(planning)) {
      errors.push({ path: 'releasePlanning', message: 'must be an object with leadTime' });
    } else {
      checkKeys(planning, ['leadTime'], 'releasePlanning', errors);
      const lead = planning.leadTime;
      if (!isObject(lead) || (lead.kind !== 'calendarDays' && lead.kind !== 'duration')) {
        errors.push({ path: 'releasePlanning.leadTime.kind', message: 'must be calendarDays or duration' });
      } else {
        checkDueRule(lead, 'releasePlanning.leadTime', errors);
      }
    }
  }
  if (value.ageHandover !== undefined) {
    const handover = value.ageHandover;
    if (!isObject(handover)) {
      errors.push({ path: 'ageHandover', message: 'must be an object with age and agencies' });
    } else {
      checkKeys(handover, ['age', 'agencies', 'transitionPlan'], 'ageHandover', errors);
      if (!isWhole(handover.age, 1, 30))
        errors.push({ path: 'ageHandover.age', message: 'must be a whole number 1-30' });
      if (!isObject(handover.agencies)) {
        errors.push({ path: 'ageHandover.agencies', message: 'must map agency codes to agency codes' });
      } else {
        for (const [from, to] of Object.entries(handover.agencies)) {
          if (!AGENCY_CODE_PATTERN.test(from) || typeof to !== 'string' || !AGENCY_CODE_PATTERN.test(to))
            errors.push({ path: `ageHandover.agencies.${from}`, message: 'must map an agency code to an agency code' });
        }
      }
    }
  }
  if (!isWhole(value.version, 1, 1_000_000)) errors.push({ path: 'version', message: 'must be a whole number >= 1' });
  if (typeof value.name !== 'string' || value.name.trim().length === 0)
    errors.push({ path: 'name', message: 'must be a non-empty text' });
  if (value.calendar !== undefined) {
    const calendar = value.calendar;
    if (!isObject(calendar)) {
      errors.push({ path: 'calendar', message: 'must be an object' });
    } else {
      checkKeys(calendar, ['closingDays'], 'calendar', errors);
      if (calendar.closingDays !== undefined) {
        const days = calendar.closingDays;
        if (!isObject(days)) {
          errors.push({ path: 'calendar.closingDays', message: 'must be an object' });
        } else {
          checkKeys(days, ['constitutionDay', 'christmasEve', 'newYearsEve'], 'calendar.closingDays', errors);
          for (const [k, v] of Object.entries(days)) {
            if (typeof v !== 'boolean')
              errors.push({ path: `calendar.closingDays.${k}`, message: 'must be true or false' });
          }
        }
      }
    }
  }
  if (!isObject(value.stages)) {
    errors.push({ path: 'stages', message: 'must be an object keyed by stage' });
    return errors;
  }
  const seenKeys = new Set<string>();
  for (const [stage, plan] of Object.entries(value.stages)) {
    const path = `stages.${stage}`;
    if (!STAGES.includes(stage as Stage)) {
      errors.push({ path, message: `unknown stage; stages are ${STAGES.join(', ')}` });
      continue;
    }
    if (!isObject(plan) || !Array.isArray(plan.tasks)) {
      errors.push({ path: `${path}.tasks`, message: 'must be a list of tasks' });
      continue;
    }
    checkKeys(plan, ['tasks', 'stalls', 'suggested'], path, errors);
    if (plan.stalls !== undefined && typeof plan.stalls !== 'boolean')
      errors.push({ path: `${path}.stalls`, message: 'must be true or false' });
    plan.tasks.forEach((task, i) => checkTask(task, `${path}.tasks[${i}]`, errors, seenKeys));
    if (plan.suggested !== undefined && !Array.isArray(plan.suggested))
      errors.push({ path: `${path}.suggested`, message: 'must be a list of tasks' });
    else (plan.suggested ?? []).forEach((task, i) => checkTask(task, `${path}.suggested[${i}]`, errors, seenKeys));
  }
  if (value.onEvent !== undefined) {
    if (!isObject(value.onEvent)) {
      errors.push({ path: 'onEvent', message: 'must be an object keyed by event type' });
    } else {
      for (const [event, plan] of Object.entries(value.onEvent)) {
        const path = `onEvent.${event}`;
        if (!PLANNED_EVENTS.includes(event as PlannedEvent)) {
          errors.push({ path, message: `events that plan work are ${PLANNED_EVENTS.join(', ')}` });
        } else if (!isObject(plan) || !Array.isArray(plan.tasks)) {
          errors.push({ path: `${path}.tasks`, message: 'must be a list of tasks' });
        } else {
          checkKeys(plan, ['tasks'], path, errors);
          plan.tasks.forEach((task, i) => checkTask(task, `${path}.tasks[${i}]`, errors, seenKeys));
        }
      }
    }
  }
  const transition = isObject(value.ageHandover) ? value.ageHandover.transitionPlan : undefined;
  if (transition !== undefined) checkTransitionPlan(transition, errors, seenKeys);
  if (purposeLimitation) checkPurposeLimitation(value, errors);
  return errors;
}
