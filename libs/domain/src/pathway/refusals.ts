// One refusal function per pathway command: pure, over small fact objects that both the workflow (from its state)
// and the API (from the read model, before it contacts Temporal) can supply. A refusal says which kind it is (the
// API turns the kind into 400/403/404/409), which field it is about when it is about one, and why. The workflow
// throws it as an ApplicationFailure with the refusal as its details (workflows/pathway/workflow.ts); the API reads
// those details back (apps/api/src/core/workflow-commands.ts).
import { ADULT_AGE, isCalendarDate } from '../age';
import { isInvestigationAgency, isKnownAgency } from '../agencies';
import {
  CLOSING_OUTCOMES,
  RELEASE_DATE_FIELDS,
  eventDataProblems,
  eventRefusal,
  releaseInstant,
  type ClosingOutcome,
  type EventType,
  type FieldProblem,
} from '../events';
import { AGENCY_CODE_PATTERN } from '../agencies';
import { UNSTORABLE_REASON, hasUnstorable } from '../text';
import { copenhagenTime } from '../calendar';
import { isUuid } from '../ids';
import {
  AD_HOC_TITLE_MAX_LENGTH,
  FailureType,
  OUTCOME_MAX_LENGTH,
  MEETING_ITEM_DECISIONS,
  PATHWAY_PRIORITIES,
  type PathwayPriority,
  REOPEN_WITHIN_DAYS,
  type MeetingItemDecision,
  type PendingClosure,
  type ResolveEscalationInput,
} from './commands';
import {
  EXIT_TRACKS,
  HOLD_MAX_DAYS,
  HOLD_NOTE_MAX_LENGTH,
  HOLD_REASONS,
  TASK_NOTE_MAX_LENGTH,
  isHoldReason,
  TASK_OUTCOMES,
  isTaskOutcome,
  type Escalation,
  type Stage,
  type Task,
  type TaskOutcome,
  type TaskStatus,
  type Track,
} from './vocabulary';

export type RefusalType = (typeof FailureType)[keyof typeof FailureType];

export interface Refusal {
  type: RefusalType;
  /** The input field the refusal is about, for InvalidInput. */
  field?: string;
  message: string;
  /** Every field problem, when the input has several (event data). */
  errors?: FieldProblem[];
}

/** What a command needs to know about a task. */
export interface TaskFacts {
  agency: string;
  status: TaskStatus;
  assignee?: string;
  /** Set while a handover waits for its receiver's acknowledgement: the receiving agency. */
  awaitingAckFrom?: string;
  /** The outcomes the task allows, when fewer than all. */
  outcomes?: readonly TaskOutcome[];
  /** On hold until this instant (ISO). */
  heldUntil?: string;
}

export function taskFacts(task: Task): TaskFacts {
  return {
    agency: task.agency,
    status: task.status,
    ...(task.assignee !== undefined ? { assignee: task.assignee } : {}),
    ...(task.handover?.state === 'AWAITING_ACK' ? { awaitingAckFrom: task.handover.to } : {}),
    // An acknowledgement is given or not: declining a handover is the operative group's to settle.
    ...(task.acknowledges ? { outcomes: ['DONE'] } : task.outcomes ? { outcomes: task.outcomes } : {}),
    ...(task.hold ? { heldUntil: task.hold.until } : {}),
  };
}

const refusal = (type: RefusalType, message: string, field?: string): Refusal => ({
  type,
  ...(field ? { field } : {}),
  message,
});

/** A task is found and open, or the command is refused with why. */
export function openTaskRefusal(task: TaskFacts | undefined): Refusal | undefined {
  if (!task) return refusal(FailureType.TaskNotFound, 'task not found');
  if (task.status !== 'OPEN' && task.status !== 'CLAIMED')
    return refusal(FailureType.TaskNotOpen, `task is already ${task.status}`);
  return undefined;
}

export function textRefusal(value: unknown, field: string, max = OUTCOME_MAX_LENGTH): Refusal | undefined {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max)
    return refusal(FailureType.InvalidInput, `${field} must be a non-empty text of at most ${max} characters`, field);
  if (hasUnstorable(value)) return refusal(FailureType.InvalidInput, `${field} ${UNSTORABLE_REASON}`, field);
  return undefined;
}

function operativeGroupRefusal(requestedBy: string, what: string): Refusal | undefined {
  if (requestedBy !== 'OPERATIVE_GROUP') return refusal(FailureType.NotAllowed, `only the operative group may ${what}`);
  return undefined;
}

const belongsTo = (task: TaskFacts) => refusal(FailureType.NotAllowed, `the task belongs to ${task.agency}`);

/**
 * The outcome is one of TASK_OUTCOMES and the note, when there is one, a short text. `coded: false` only in the
 * workflow's update handler, which runs again on replay: commands from before task outcomes carry free text.
 */
function outcomeRefusal(command: { outcome: unknown; note?: unknown }, coded: boolean): Refusal | undefined {
  if (!coded) return textRefusal(command.outcome, 'outcome');
  if (!isTaskOutcome(command.outcome))
    return refusal(FailureType.InvalidInput, `outcome must be one of ${TASK_OUTCOMES.join(', ')}`, 'outcome');
  if (command.note !== undefined) return textRefusal(command.note, 'note', TASK_NOTE_MAX_LENGTH);
  return undefined;
}

/**
 * Completing: the input, then whether the task is there, then whose it is (`checkOwner`; the workflow's update
 * handler leaves it out, so histories from before the rule replay), then its state: another agency hears that the
 * task is not its own before it hears anything about the task's state. Not while a handover waits for the receiver,
 * and only with an outcome the task allows (an acknowledgement is DONE or nothing).
 */
export function completeTaskRefusal(
  task: TaskFacts | undefined,
  command: { outcome: unknown; completedBy: unknown; note?: unknown },
  { checkOwner = true, checkOutcome = true } = {},
): Refusal | undefined {
  const text = outcomeRefusal(command, checkOutcome);
  if (text) return text;
  if (typeof command.completedBy !== 'string' || command.completedBy.length === 0)
    return refusal(FailureType.InvalidInput, 'completedBy must name an agency', 'completedBy');
  if (task && checkOwner && command.completedBy !== task.agency) return belongsTo(task);
  const closed = openTaskRefusal(task);
  if (closed || !task) return closed;
  if (task.awaitingAckFrom)
    return refusal(FailureType.TaskConflict, `the handover waits for ${task.awaitingAckFrom} to acknowledge it`);
  if (checkOutcome && task.outcomes && !task.outcomes.includes(command.outcome as TaskOutcome))
    return refusal(
      FailureType.InvalidInput,
      `outcome ${String(command.outcome)} is not one this task allows (${task.outcomes.join(', ')})`,
      'outcome',
    );
  return undefined;
}

/** Claiming: the input, then the task, then whose it is, then its state (as completing). */
export function claimTaskRefusal(
  task: TaskFacts | undefined,
  command: { requestedBy: string; assignee: unknown },
): Refusal | undefined {
  const text = textRefusal(command.assignee, 'assignee', 100);
  if (text) return text;
  if (task && command.requestedBy !== task.agency) return belongsTo(task);
  const closed = openTaskRefusal(task);
  if (closed || !task) return closed;
  if (task.status === 'CLAIMED')
    return refusal(FailureType.TaskConflict, `the task is already claimed by ${task.assignee}`);
  return undefined;
}

/**
 * A team lead gives a task of its agency to one of its people, claimed or not (the same order as claiming). Whether
 * the sender is a team lead is the policy's (task.assign); whether the assignee belongs to the agency the API's.
 */
export function assignTaskRefusal(
  task: TaskFacts | undefined,
  command: { requestedBy: string; assignee: unknown },
): Refusal | undefined {
  const text = textRefusal(command.assignee, 'userId', 100);
  if (text) return text;
  if (task && command.requestedBy !== task.agency) return belongsTo(task);
  const closed = openTaskRefusal(task);
  if (closed || !task) return closed;
  if (task.awaitingAckFrom)
    return refusal(FailureType.TaskConflict, `the handover waits for ${task.awaitingAckFrom} to acknowledge it`);
  if (task.status === 'CLAIMED' && task.assignee === command.assignee)
    return refusal(FailureType.TaskConflict, 'the task is already assigned to that person');
  return undefined;
}

/** The task's agency or the operative group may give a claimed task back. */
export function unclaimTaskRefusal(task: TaskFacts | undefined, command: { requestedBy: string }): Refusal | undefined {
  const closed = openTaskRefusal(task);
  if (closed || !task) return closed;
  if (command.requestedBy !== task.agency && command.requestedBy !== 'OPERATIVE_GROUP') return belongsTo(task);
  if (task.status !== 'CLAIMED') return refusal(FailureType.TaskConflict, 'the task is not claimed');
  return undefined;
}

export function reassignTaskRefusal(
  task: TaskFacts | undefined,
  command: { requestedBy: string; toAgency: unknown; reason: unknown },
): Refusal | undefined {
  const closed = openTaskRefusal(task);
  if (closed || !task) return closed;
  const first = operativeGroupRefusal(command.requestedBy, 'reassign a task') ?? textRefusal(command.reason, 'reason');
  if (first) return first;
  if (typeof command.toAgency !== 'string' || command.toAgency.length === 0)
    return refusal(FailureType.InvalidInput, 'toAgency must name an agency', 'toAgency');
  if (isInvestigationAgency(command.toAgency))
    return refusal(
      FailureType.InvalidInput,
      `toAgency ${command.toAgency} is an investigation unit: prevention work is not passed to investigation`,
      'toAgency',
    );
  if (!isKnownAgency(command.toAgency))
    return refusal(FailureType.InvalidInput, `unknown agency '${command.toAgency}'`, 'toAgency');
  if (command.toAgency === task.agency)
    return refusal(FailureType.TaskConflict, `the task is already with ${command.toAgency}`);
  return undefined;
}

/** A deadline must be a real instant in the future that PostgreSQL can store. */
function dueAtRefusal(dueAt: unknown, now: Date): Refusal | undefined {
  const at = typeof dueAt === 'string' ? Date.parse(dueAt) : NaN;
  // A year past 9999 has no ISO form PostgreSQL reads: the read model could never take it.
  if (!Number.isNaN(at) && new Date(at).getUTCFullYear() > 9999)
    return refusal(FailureType.InvalidInput, 'dueAt must be a time before the year 10000', 'dueAt');
  if (Number.isNaN(at) || at <= now.getTime())
    return refusal(FailureType.InvalidInput, 'dueAt must be a time in the future', 'dueAt');
  return undefined;
}

export function extendTaskRefusal(
  task: TaskFacts | undefined,
  command: { requestedBy: string; dueAt: unknown; reason: unknown },
  now: Date,
): Refusal | undefined {
  return (
    openTaskRefusal(task) ??
    operativeGroupRefusal(command.requestedBy, 'extend a deadline') ??
    textRefusal(command.reason, 'reason') ??
    dueAtRefusal(command.dueAt, now)
  );
}

/**
 * An ad-hoc task: a neutral title, an agency (never an investigation unit: purpose limitation), a deadline in the
 * future; then whether the pathway still runs. Who may is the policy's (`pathway.add-task`).
 */
export function addTaskRefusal(
  pathway: { stage: Stage },
  command: { agency: unknown; title: unknown; dueAt: unknown },
  now: Date,
): Refusal | undefined {
  const title = textRefusal(command.title, 'title', AD_HOC_TITLE_MAX_LENGTH);
  if (title) return title;
  if (typeof command.agency !== 'string' || !AGENCY_CODE_PATTERN.test(command.agency))
    return refusal(FailureType.InvalidInput, 'agency must be an agency code such as SSP', 'agency');
  if (isInvestigationAgency(command.agency))
    return refusal(
      FailureType.InvalidInput,
      `agency ${command.agency} is an investigation unit: prevention work is not passed to investigation`,
      'agency',
    );
  if (!isKnownAgency(command.agency))
    return refusal(FailureType.InvalidInput, `unknown agency '${command.agency}'`, 'agency');
  const due = dueAtRefusal(command.dueAt, now);
  if (due) return due;
  if (pathway.stage === 'CLOSED') return refusal(FailureType.EventRefused, 'the pathway is closed');
  return undefined;
}

/**
 * A suggested task: a key among the stage's suggestions now (`suggested`, the keys suggestedTasks in playbook.ts
 * offers); then whether the pathway still runs.
 */
export function addSuggestedTaskRefusal(
  pathway: { stage: Stage; suggested: readonly string[] },
  command: { key: unknown },
): Refusal | undefined {
  if (typeof command.key !== 'string' || command.key.trim().length === 0)
    return refusal(FailureType.InvalidInput, 'key must name a suggested task', 'key');
  if (pathway.stage === 'CLOSED') return refusal(FailureType.EventRefused, 'the pathway is closed');
  if (!pathway.suggested.includes(command.key))
    return refusal(
      FailureType.EventRefused,
      pathway.suggested.length === 0
        ? `${command.key} is not suggested for this pathway now; nothing is`
        : `${command.key} is not suggested for this pathway now; suggested: ${pathway.suggested.join(', ')}`,
    );
  return undefined;
}

export function cancelTaskRefusal(
  task: TaskFacts | undefined,
  command: { requestedBy: string; reason: unknown },
): Refusal | undefined {
  return (
    openTaskRefusal(task) ??
    operativeGroupRefusal(command.requestedBy, 'cancel a task') ??
    textRefusal(command.reason, 'reason')
  );
}

/**
 * Resolving an escalation; a decision that acts on the task (extend, reassign, cancel) needs the task open.
 * `task` is the escalation's task as it stands (undefined when it has none or it is gone).
 */
export function resolveEscalationRefusal(
  escalation: Pick<Escalation, 'status' | 'taskId'> | undefined,
  task: TaskFacts | undefined,
  command: ResolveEscalationInput,
  now: Date,
): Refusal | undefined {
  if (!escalation) return refusal(FailureType.EscalationNotFound, 'escalation not found');
  if (escalation.status !== 'OPEN')
    return refusal(FailureType.EscalationResolved, `the escalation is already ${escalation.status}`);
  const first =
    operativeGroupRefusal(command.requestedBy, 'resolve an escalation') ?? textRefusal(command.note, 'note');
  if (first || command.decision === 'NOTE') return first;
  if (!escalation.taskId)
    return refusal(
      FailureType.InvalidInput,
      `a stalled pathway is resolved with NOTE, not ${command.decision}`,
      'decision',
    );
  if (!task || (task.status !== 'OPEN' && task.status !== 'CLAIMED'))
    return refusal(FailureType.TaskConflict, 'the task is no longer open; resolve with NOTE');
  const { requestedBy, note: reason } = command;
  if (command.decision === 'EXTEND')
    return extendTaskRefusal(task, { requestedBy, dueAt: command.dueAt ?? '', reason }, now);
  if (command.decision === 'REASSIGN')
    return reassignTaskRefusal(task, { requestedBy, toAgency: command.toAgency ?? '', reason });
  return undefined;
}

/** What a fact that may not repeat is compared with; left out (undefined) where the caller does not know it. */
export interface RepeatFacts {
  consent?: boolean;
  /** The sentence recorded (its dates as instants), when there is one, and the expected release it set. */
  sentence?: { earliestParoleAt?: string; fullTermAt?: string; releaseAt?: string };
}

/**
 * A fact that may not be recorded twice: consent given while it stands (withdrawn is the way back), and a second
 * SENTENCED with the same dates as the sentence already recorded (a retried request, not a new judgment). A new
 * sentence with other dates is a new fact.
 */
export function repeatedFactRefusal(pathway: RepeatFacts, type: EventType, fields: unknown): Refusal | undefined {
  if (type === 'CONSENT_GIVEN' && pathway.consent === true)
    return refusal(FailureType.EventRefused, 'consent is already given; record CONSENT_WITHDRAWN first');
  if (type === 'SENTENCED' && pathway.sentence) {
    const data = (fields ?? {}) as { earliestParoleDate?: string; fullTermDate?: string; expectedReleaseDate?: string };
    const at = (date?: string) => (date ? releaseInstant(date).toISOString() : undefined);
    const { sentence } = pathway;
    if (
      at(data.earliestParoleDate) === sentence.earliestParoleAt &&
      at(data.fullTermDate) === sentence.fullTermAt &&
      (data.expectedReleaseDate === undefined || at(data.expectedReleaseDate) === sentence.releaseAt)
    )
      return refusal(FailureType.EventRefused, 'this sentence is already recorded (the same dates)');
  }
  return undefined;
}

/** A bare release date is 09:00 on the day: a date recorded later that day is still "today". */
export const RELEASE_PAST_TOLERANCE_MS = 24 * 3600_000;

/**
 * Recording an event: its data, then whether it fits the stage. With `now`, a release date long past is refused
 * too (a typing error, or a release that happened: either would start release planning with every deadline
 * already missed); the workflow's update handler leaves that out, since it runs again on replay at a later time.
 */
export function recordEventRefusal(
  pathway: {
    stage: Stage;
    hasReleaseDate: boolean;
    age?: number;
    arrestPending?: boolean;
    sentenced?: boolean;
    pendingClosure?: Pick<PendingClosure, 'outcome'>;
  } & RepeatFacts,
  type: EventType,
  fields: unknown,
  now?: Date,
): Refusal | undefined {
  const problems = eventDataProblems(type, fields);
  if (problems.length > 0)
    return {
      type: FailureType.InvalidInput,
      field: problems[0].field,
      message: problems.map((p) => `${p.field} ${p.reason}`).join('; '),
      errors: problems,
    };
  const dates = (fields ?? {}) as Record<string, string | undefined>;
  for (const field of RELEASE_DATE_FIELDS) {
    const release = dates[field];
    if (now && release !== undefined && releaseInstant(release).getTime() < now.getTime() - RELEASE_PAST_TOLERANCE_MS)
      return refusal(
        FailureType.InvalidInput,
        `data.${field} must not be in the past (record RELEASED when the person is out)`,
        `data.${field}`,
      );
  }
  const misfit = eventRefusal(pathway.stage, type);
  if (misfit) return refusal(FailureType.EventRefused, misfit);
  if (type === 'CLOSED' && pathway.pendingClosure)
    return refusal(
      FailureType.EventRefused,
      `a closure (${pathway.pendingClosure.outcome}) already waits for a second coordinator to confirm or reject it`,
    );
  if (type === 'RELEASE_DATE_CHANGED' && !pathway.hasReleaseDate && pathway.stage !== 'CUSTODY')
    return refusal(FailureType.EventRefused, 'there is no expected release date to change');
  if (type === 'RELEASED_AFTER_ARREST' && pathway.arrestPending === false)
    return refusal(FailureType.EventRefused, 'there is no arrest or remand without a sentence to be released from');
  if (type === 'PAROLE_DECIDED' && pathway.sentenced === false)
    return refusal(FailureType.EventRefused, 'parole is decided on a sentence; record SENTENCED first');
  const repeated = repeatedFactRefusal(pathway, type, fields);
  if (repeated) return repeated;
  const assessed = (fields ?? {}) as { track?: Track; register?: boolean; registrationReason?: string };
  // Registration can have considerable consequences; very few under 18 are registered, each with a recorded reason.
  if (
    type === 'ASSESSED' &&
    assessed.register === true &&
    !assessed.registrationReason &&
    pathway.age !== undefined &&
    pathway.age < ADULT_AGE
  )
    return refusal(
      FailureType.InvalidInput,
      `data.registrationReason is required to register someone under ${ADULT_AGE}`,
      'data.registrationReason',
    );
  const track = assessed.track;
  if (type === 'ASSESSED' && pathway.age !== undefined && pathway.age < ADULT_AGE && EXIT_TRACKS.includes(track!))
    return refusal(
      FailureType.EventRefused,
      `${track} is for adults (${ADULT_AGE} and over); under ${ADULT_AGE} the tracks are PREVENTION, OUTREACH and NO_ACTION`,
      'data.track',
    );
  return undefined;
}

/** Moving to another playbook: only to a newer version, with a reason, while the pathway runs. */
export function migratePlaybookRefusal(
  pathway: { stage: Stage; playbookVersion: number },
  command: { playbook?: { version?: unknown }; reason: unknown },
): Refusal | undefined {
  // A closed pathway's workflow is ending or ended: the answer is the one a completed workflow gets.
  if (pathway.stage === 'CLOSED') return refusal(FailureType.PlaybookRefused, 'the pathway is no longer running');
  const version = command.playbook?.version;
  if (typeof version !== 'number' || version <= pathway.playbookVersion)
    return refusal(
      FailureType.PlaybookRefused,
      `the pathway is on playbook version ${pathway.playbookVersion}; it can only move to a newer one`,
    );
  if (typeof command.reason !== 'string' || command.reason.trim().length === 0)
    return refusal(FailureType.InvalidInput, 'a reason is required', 'reason');
  return undefined;
}

/**
 * A second coordinator's answer to a pending closure (four eyes). The coordinator who asked may withdraw it (REJECT)
 * but never confirm it: that is a 403 saying so, since it is about who, not about the pathway's state.
 */
export function decideClosureRefusal(
  pathway: { stage: Stage; pendingClosure?: Partial<PendingClosure> },
  command: { decision: unknown; reason?: unknown; requestedByUser: unknown },
): Refusal | undefined {
  if (command.decision !== 'CONFIRM' && command.decision !== 'REJECT')
    return refusal(FailureType.InvalidInput, 'decision must be CONFIRM or REJECT', 'decision');
  if (command.decision === 'REJECT') {
    const text = textRefusal(command.reason, 'reason');
    if (text) return text;
  }
  const { pendingClosure } = pathway;
  if (!pendingClosure)
    return refusal(
      FailureType.EventRefused,
      pathway.stage === 'CLOSED'
        ? 'the pathway is already closed'
        : 'no closure waits for confirmation: a coordinator records CLOSED first',
    );
  // Who asked is known to the workflow; the read model does not keep it, so the API's own check leaves this out.
  const askedBy = pendingClosure.requestedByUser;
  if (command.decision === 'CONFIRM' && askedBy !== undefined && command.requestedByUser === askedBy)
    return refusal(
      FailureType.NotAllowed,
      'you asked for this closure: a second, different coordinator must confirm it (four eyes)',
    );
  return undefined;
}

/** The instant until which a pathway closed at `closedAt` may be reopened. */
export const reopenDeadline = (closedAt: string): string =>
  new Date(Date.parse(closedAt) + REOPEN_WITHIN_DAYS * 86_400_000).toISOString();

/**
 * Reopening: a reason, a closed pathway, and within REOPEN_WITHIN_DAYS of closing (`reopenableUntil`; absent for a
 * pathway closed before reopening existed, whose workflow has ended).
 */
export function reopenRefusal(
  pathway: { stage: Stage; closedAt?: string; reopenableUntil?: string },
  command: { reason: unknown },
  now: Date,
): Refusal | undefined {
  const text = textRefusal(command.reason, 'reason');
  if (text) return text;
  if (pathway.stage !== 'CLOSED') return refusal(FailureType.EventRefused, 'the pathway is not closed');
  const until = pathway.reopenableUntil;
  const closed = pathway.closedAt ? ` on ${pathway.closedAt.slice(0, 10)}` : '';
  if (until === undefined || now.getTime() >= Date.parse(until))
    return refusal(
      FailureType.EventRefused,
      `the pathway was closed${closed}: a pathway can be reopened only within ${REOPEN_WITHIN_DAYS} days of closing` +
        (until ? ` (until ${until})` : ''),
    );
  return undefined;
}

/**
 * Why a correction of the person is refused: no field to correct, a name or birth date that cannot be stored, a birth
 * date in the future, a closed pathway, or nothing that differs from the record.
 */
export function correctPersonRefusal(
  pathway: { stage: Stage; person: { name: string; birthDate: string } },
  command: { name?: unknown; birthDate?: unknown; reason: unknown },
  now: Date,
): Refusal | undefined {
  const reason = textRefusal(command.reason, 'reason');
  if (reason) return reason;
  if (command.name === undefined && command.birthDate === undefined)
    return refusal(FailureType.InvalidInput, 'name or birthDate must be given', 'name');
  if (command.name !== undefined) {
    const name = textRefusal(command.name, 'name', 200);
    if (name) return name;
  }
  if (command.birthDate !== undefined) {
    if (typeof command.birthDate !== 'string' || !isCalendarDate(command.birthDate))
      return refusal(FailureType.InvalidInput, 'birthDate must be a date YYYY-MM-DD', 'birthDate');
    if (command.birthDate > now.toISOString().slice(0, 10))
      return refusal(FailureType.InvalidInput, 'birthDate must not be in the future', 'birthDate');
  }
  if (pathway.stage === 'CLOSED') return refusal(FailureType.EventRefused, 'the pathway is closed');
  const sameName = command.name === undefined || (command.name as string).trim() === pathway.person.name;
  const sameDate = command.birthDate === undefined || command.birthDate === pathway.person.birthDate;
  if (sameName && sameDate)
    return refusal(FailureType.EventRefused, 'the name and birth date are already recorded as given');
  return undefined;
}

/** The instant a hold ends: the start of its day in Copenhagen; undefined when `until` is not a YYYY-MM-DD date. */
export function holdEndsAt(until: unknown): Date | undefined {
  if (typeof until !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(until)) return undefined;
  const [y, m, d] = until.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return undefined;
  return copenhagenTime(until, 0);
}

/**
 * Holding a task: the input (a date after today and at most HOLD_MAX_DAYS ahead, a coded reason, a note for OTHER),
 * then the task, whose it is (its own agency only), its state: not while a handover waits for the receiver, whose
 * clock it is then. Holding a held task again moves its date. `now` is the workflow's time in the validator and
 * handler alike, as for an extension.
 */
export function holdTaskRefusal(
  task: TaskFacts | undefined,
  command: { requestedBy: string; until: unknown; reason: unknown; note?: unknown },
  now: Date,
): Refusal | undefined {
  const ends = holdEndsAt(command.until);
  if (!ends) return refusal(FailureType.InvalidInput, 'until must be a date (YYYY-MM-DD)', 'until');
  if (ends.getTime() <= now.getTime())
    return refusal(FailureType.InvalidInput, 'until must be a day after today', 'until');
  if (ends.getTime() - now.getTime() > HOLD_MAX_DAYS * 86_400_000)
    return refusal(FailureType.InvalidInput, `until must be at most ${HOLD_MAX_DAYS} days ahead`, 'until');
  if (!isHoldReason(command.reason))
    return refusal(FailureType.InvalidInput, `reason must be one of ${HOLD_REASONS.join(', ')}`, 'reason');
  if (command.note !== undefined) {
    const text = textRefusal(command.note, 'note', HOLD_NOTE_MAX_LENGTH);
    if (text) return text;
  } else if (command.reason === 'OTHER')
    return refusal(FailureType.InvalidInput, 'note must say why when the reason is OTHER', 'note');
  if (task && command.requestedBy !== task.agency) return belongsTo(task);
  const closed = openTaskRefusal(task);
  if (closed || !task) return closed;
  if (task.awaitingAckFrom)
    return refusal(FailureType.TaskConflict, `the handover waits for ${task.awaitingAckFrom} to acknowledge it`);
  return undefined;
}

/** Resuming: the task's own agency, an open task, and one that is on hold. */
export function resumeTaskRefusal(task: TaskFacts | undefined, command: { requestedBy: string }): Refusal | undefined {
  if (task && command.requestedBy !== task.agency) return belongsTo(task);
  const closed = openTaskRefusal(task);
  if (closed || !task) return closed;
  if (!task.heldUntil) return refusal(FailureType.TaskConflict, 'the task is not on hold');
  return undefined;
}

/**
 * The operative group's decision on an agenda item about the pathway (no escalation to resolve): the meeting's and the
 * item's ids, the decision, its note when there is one; the operative group only; not on a closed pathway (409).
 * CHANGE_PRIORITY names a priority other than the pathway's (409 when it already has it); CLOSE names a closing outcome
 * and is refused (409) while a closure already waits for confirmation. `decided` is the decision already recorded for
 * this item, if any: the same one again is no refusal (a retry), another one is.
 */
export function meetingDecisionRefusal(
  pathway: { stage: Stage; decided?: MeetingItemDecision; priority?: PathwayPriority; pendingClosure?: unknown },
  command: {
    meetingId: unknown;
    itemId: unknown;
    decision: unknown;
    note?: unknown;
    priority?: unknown;
    outcome?: unknown;
    requestedBy: string;
  },
): Refusal | undefined {
  for (const field of ['meetingId', 'itemId'] as const) {
    const id = command[field];
    if (typeof id !== 'string' || !isUuid(id))
      return refusal(FailureType.InvalidInput, `${field} must be a UUID`, field);
  }
  if (!(MEETING_ITEM_DECISIONS as readonly unknown[]).includes(command.decision))
    return refusal(
      FailureType.InvalidInput,
      `decision must be one of ${MEETING_ITEM_DECISIONS.join(', ')}`,
      'decision',
    );
  if (command.note !== undefined) {
    const text = textRefusal(command.note, 'note');
    if (text) return text;
  }
  if (command.decision === 'CHANGE_PRIORITY' && !(PATHWAY_PRIORITIES as readonly unknown[]).includes(command.priority))
    return refusal(
      FailureType.InvalidInput,
      `priority must be one of ${PATHWAY_PRIORITIES.join(', ')} (required with CHANGE_PRIORITY)`,
      'priority',
    );
  if (command.decision === 'CLOSE' && !CLOSING_OUTCOMES.includes(command.outcome as ClosingOutcome))
    return refusal(
      FailureType.InvalidInput,
      `outcome must be one of ${CLOSING_OUTCOMES.join(', ')} (required with CLOSE)`,
      'outcome',
    );
  const forbidden = operativeGroupRefusal(command.requestedBy, "record the meeting's decision");
  if (forbidden) return forbidden;
  if (pathway.decided !== undefined && pathway.decided !== command.decision)
    return refusal(FailureType.EventRefused, `the agenda item already has a decision (${pathway.decided})`);
  // A retry of a decision already recorded: nothing below applies to it (the workflow records it once).
  if (pathway.decided !== undefined) return undefined;
  if (pathway.stage === 'CLOSED')
    return refusal(
      FailureType.EventRefused,
      command.decision === 'CLOSE'
        ? 'the pathway is already closed'
        : "the pathway is closed: the meeting's decision cannot go on its timeline",
    );
  if (command.decision === 'CHANGE_PRIORITY' && command.priority === (pathway.priority ?? 'NORMAL'))
    return refusal(
      FailureType.EventRefused,
      `the pathway's priority is already ${pathway.priority ?? 'NORMAL'}: there is nothing to change`,
    );
  if (command.decision === 'CLOSE' && pathway.pendingClosure)
    return refusal(
      FailureType.EventRefused,
      'a closure already waits for a coordinator to confirm or reject it: the meeting cannot ask for another',
    );
  return undefined;
}
