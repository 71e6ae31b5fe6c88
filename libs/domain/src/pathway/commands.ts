// What goes into and comes out of the pathway workflow, as plain types: its input, the state it carries across
// continue-as-new, its status answer and the commands' inputs. The Temporal message definitions that carry them
// live beside the workflow (workflows/pathway/messages.ts); this file has no Temporal import.
import type { ClosingOutcome, PlacementKind } from '../events';
import type {
  Contact,
  District,
  Escalation,
  EscalationDecision,
  Notification,
  Person,
  Stage,
  Task,
  TimelineEntry,
  Track,
} from './vocabulary';
import type { Playbook, PlannedTask } from '../playbook';
import type { Role } from '../roles';

export const PATHWAY_WORKFLOW_TYPE = 'pathwayWorkflow';

/**
 * Who the pathway is about as the workflow holds it (the `person` query): the person as last corrected and the first
 * contact. Reconciliation compares the read model's sealed person and search tokens with it and repairs them from it.
 */
export interface PathwayPersonRecord {
  person: Person;
  contact: Contact;
}

/**
 * A published playbook version and the content hash of its document (contentHash, libs/domain/src/content-hash.ts).
 * Published versions never change; the hash makes sure the one loaded is the one pinned.
 */
export interface PlaybookPin {
  version: number;
  contentHash: string;
}

/**
 * What the machine runs on: the pathway's input with its playbook whole. One input object, versionable: add optional
 * fields, never repurpose one.
 */
export interface PathwayInput {
  pathwayId: string;
  person: Person;
  contact: Contact;
  /** The playbook version the pathway pins; only an explicit migration (an update) changes it. */
  playbook: Playbook;
  /**
   * When the person counts as adult for the age handover. Derived from the birth date when absent; given only by
   * drills and tests that cannot wait for a birthday.
   */
  adultAt?: string;
  /** Continue as new past this many history events (the server's suggestion counts too). */
  maxHistoryEvents?: number;
  /** Carried over by continue-as-new; absent when a pathway starts. */
  state?: PathwayState;
}

/**
 * The workflow's input. Since `playbook-pinned` (issue 14, item 7) a new pathway, and a run continued as new, carries
 * only `playbookPin` and loads the document once per run; runs started before carry the playbook whole, and both
 * shapes are accepted. Exactly one of the two is set.
 */
export type PathwayWorkflowInput = Omit<PathwayInput, 'playbook'> &
  ({ playbook: Playbook; playbookPin?: undefined } | { playbook?: undefined; playbookPin: PlaybookPin });

/** A task planned but not yet handed to its agency: waiting for a time, for consent or for motivation. */
export interface WaitingTask {
  plan: PlannedTask;
  stage: Stage;
  /** ISO instant it is created at, for tasks that start later (follow-ups). */
  createAt?: string;
  /** Timeline sequence of the TASK_WAITING entry, so it is recorded once. */
  announced: boolean;
}

/** Everything the workflow knows, carried whole across continue-as-new. */
export interface PathwayState {
  stage: Stage;
  track?: Track;
  district: District;
  consent: boolean;
  motivated?: boolean;
  releaseAt?: string;
  placement?: { kind: PlacementKind; at: string };
  handedOver: boolean;
  /** Arrested or remanded and neither sentenced nor released since: RELEASED_AFTER_ARREST applies. */
  arrestPending?: boolean;
  /** The stage custody was entered from, to go back to on RELEASED_AFTER_ARREST. */
  stageBeforeCustody?: Stage;
  /** The sentence's dates as recorded (either may be pending). */
  sentence?: { earliestParoleAt?: string; fullTermAt?: string };
  /** The person as corrected by a coordinator; the input's person until the first correction. */
  person?: Person;
  /** A correction not yet written to the read model. */
  personCorrected?: boolean;
  /** The transition-plan task before the age handover has been planned (absent in states from before v2). */
  transitionPlanned?: boolean;
  closedOutcome?: ClosingOutcome;
  /** A coordinator's CLOSED waiting for a second coordinator's confirmation (four eyes); the pathway runs on. */
  pendingClosure?: PendingClosure;
  /** The stage the pathway was closed from: a reopen goes back to it. */
  stageBeforeClosing?: Stage;
  /**
   * Until when a coordinator may reopen the closed pathway (ISO instant): the workflow waits that long before it ends,
   * so a reopen is an Update to a running workflow. Absent for pathways closed before reopening existed.
   */
  reopenableUntil?: string;
  openedAt: string;
  stageEnteredAt: string;
  lastProgressAt: string;
  version: number;
  timelineSequence: number;
  tasks: Task[];
  waiting: WaitingTask[];
  escalations: Escalation[];
  stalled: boolean;
  /** Timeline entries, changed tasks and escalations, and notifications not yet in the read model. */
  pendingTimeline: TimelineEntry[];
  pendingTaskIds: string[];
  pendingEscalationIds: string[];
  pendingNotifications: Notification[];
  projectedOnce: boolean;
  /** How many times the pathway has continued as new. */
  runs?: number;
  /**
   * The operative group's decisions recorded on this pathway, by agenda item id (recordMeetingDecision): a repeat of
   * one is no change, another decision on the same item is refused. Absent until the first.
   */
  meetingDecisions?: Record<string, MeetingItemDecision>;
  /**
   * The pathway's priority, decided by the operative group's meeting (CHANGE_PRIORITY). Absent until the first
   * decision, and read as NORMAL.
   */
  priority?: PathwayPriority;
}

export interface PathwayStatus {
  pathwayId: string;
  stage: Stage;
  track?: Track;
  district: District;
  consent: boolean;
  motivated?: boolean;
  expectedReleaseAt?: string;
  playbookVersion: number;
  tasks: Task[];
  waitingTasks: { key: string; agency: string; stage: Stage; createAt?: string; requires: string[] }[];
  stalled: boolean;
  escalations: Escalation[];
  /** Increases with every change; the read model keeps the highest it has seen. */
  version: number;
  /** How many times the workflow has continued as new. */
  runs: number;
  pendingClosure?: PendingClosure;
  reopenableUntil?: string;
  /** NORMAL unless the operative group's meeting prioritized the pathway. */
  priority?: PathwayPriority;
}

/**
 * Who asks: an agency code (never a person's name), and for claims the assignee's user id within it. The asking
 * person's roles travel along where the API knows them (libs/domain/src/policy.ts); histories from before sign-in
 * carry none and replay as they were.
 */
export interface TaskCommand {
  taskId: string;
  requestedBy: string;
  requestedByRoles?: readonly Role[];
}
export interface ClaimTaskInput extends TaskCommand {
  assignee: string;
}
/** A team lead's assignment: `assignee` and `assignedBy` are user ids of the task's agency, never names. */
export interface AssignTaskInput extends TaskCommand {
  assignee: string;
  assignedBy: string;
}
export interface ReassignTaskInput extends TaskCommand {
  toAgency: string;
  reason: string;
}
export interface ExtendTaskInput extends TaskCommand {
  dueAt: string;
  reason: string;
}
export interface CancelTaskInput extends TaskCommand {
  reason: string;
}
/**
 * The task's own agency holds it until a date (YYYY-MM-DD, Copenhagen) with a coded reason and an optional note
 * (required for OTHER). Holding a held task again changes the date and reason; the clock stays stopped since the first.
 */
export interface HoldTaskInput extends TaskCommand {
  until: string;
  reason: string;
  note?: string;
}
export interface ResolveEscalationInput {
  escalationId: string;
  decision: 'EXTEND' | 'REASSIGN' | 'CANCEL_TASK' | 'NOTE';
  note: string;
  requestedBy: string;
  requestedByRoles?: readonly Role[];
  dueAt?: string;
  toAgency?: string;
}
export type { EscalationDecision };

/** A closure waiting for its second coordinator: the outcome asked for, when, and by whom. */
export interface PendingClosure {
  outcome: ClosingOutcome;
  requestedAt: string;
  /** The requesting coordinator's agency. */
  requestedBy: string;
  /** The requesting coordinator's user id (the token's subject): the one person who may not confirm it. */
  requestedByUser?: string;
  /** Asked for by the operative group's meeting (its CLOSE decision): the meeting's id. */
  meetingId?: string;
}

/** A second coordinator's answer to a pending closure: CONFIRM closes the pathway, REJECT (with a reason) drops it. */
export interface DecideClosureInput {
  decision: 'CONFIRM' | 'REJECT';
  reason?: string;
  requestedBy: string;
  requestedByUser: string;
  requestedByRoles?: readonly Role[];
}

/** Reopening a closed pathway within the window (REOPEN_WITHIN_DAYS), with a reason. */
export interface ReopenPathwayInput {
  reason: string;
  requestedBy: string;
  requestedByUser: string;
  requestedByRoles?: readonly Role[];
}

/**
 * A pathway's priority. The operative group "kan træffe beslutning om ændret prioritering": HIGH (Danish
 * "Prioriteret") puts the pathway's tasks first in their agencies' queues within the same urgency step (escalation
 * level, overdue), ahead of earlier deadlines (docs/PLAYBOOK.md, "Prioritised pathways"). Only the meeting decides it.
 */
export const PATHWAY_PRIORITIES = ['NORMAL', 'HIGH'] as const;
export type PathwayPriority = (typeof PATHWAY_PRIORITIES)[number];

/**
 * What the operative group's meeting decides on an agenda item about a pathway without resolving an escalation:
 * a NOTE, a recommendation to Sikker By (RECOMMEND), a new priority (CHANGE_PRIORITY, with `priority`), or a closure
 * (CLOSE, with `outcome`), which asks for the closure as a coordinator's CLOSED does: a coordinator confirms or
 * rejects it (four eyes).
 */
export const MEETING_ITEM_DECISIONS = ['NOTE', 'RECOMMEND', 'CHANGE_PRIORITY', 'CLOSE'] as const;
export type MeetingItemDecision = (typeof MEETING_ITEM_DECISIONS)[number];

/**
 * The operative group's decision on an agenda item about the pathway that resolves no escalation. On the timeline as
 * MEETING_DECISION (the note's words only for the coordinators and the operative group, who alone read a pathway's
 * timeline), followed by PRIORITY_CHANGED or CLOSURE_REQUESTED for CHANGE_PRIORITY and CLOSE.
 */
export interface RecordMeetingDecisionInput {
  meetingId: string;
  /** The agenda item: one decision per item, however often it is sent. */
  itemId: string;
  decision: MeetingItemDecision;
  note?: string;
  /** With CHANGE_PRIORITY: the pathway's new priority. */
  priority?: PathwayPriority;
  /** With CLOSE: the closing outcome, as with a coordinator's CLOSED. */
  outcome?: ClosingOutcome;
  requestedBy: string;
  /** The member who recorded it (the token's subject): with CLOSE, the one person who may not confirm the closure. */
  requestedByUser?: string;
  requestedByRoles?: readonly Role[];
}

/** How long after closing a coordinator may reopen a pathway, and so how long its workflow waits before it ends. */
export const REOPEN_WITHIN_DAYS = 30;

/**
 * A coordinator's correction of who the pathway is about: a new name, a new birth date, or both, with a reason
 * (audited by the API, never on the timeline).
 */
export interface CorrectPersonInput {
  name?: string;
  /** YYYY-MM-DD */
  birthDate?: string;
  reason: string;
  requestedBy: string;
  requestedByUser?: string;
  requestedByRoles?: readonly Role[];
}

export interface MigratePlaybookInput {
  playbook: Playbook;
  reason: string;
  requestedBy: string;
  requestedByRoles?: readonly Role[];
}

export interface CompleteTaskInput {
  taskId: string;
  /** A TaskOutcome (vocabulary.ts); free text in histories from before task outcomes, which counts as done. */
  outcome: string;
  /** The agency's own short note on the outcome (never on the timeline). */
  note?: string;
  /** Who completed it: an agency code, never a person's name. */
  completedBy: string;
}

/**
 * A task no playbook plans (housing, relocation, a volunteer mentor), added by a coordinator for an agency of the
 * agencies table (the API checks it: external partners are not rows yet, and a task row must name one). The title is
 * what the agency's queue shows: neutral, never about the person.
 */
export interface AddTaskInput {
  agency: string;
  title: string;
  /** ISO instant in the future. */
  dueAt: string;
  requestedBy: string;
  requestedByRoles?: readonly Role[];
}
/** A coordinator adds one of the stage's suggested tasks (the playbook's optional steps, `suggested`) by its key. */
export interface AddSuggestedTaskInput {
  key: string;
  requestedBy: string;
  requestedByRoles?: readonly Role[];
}
/** The key every ad-hoc task carries: no playbook plans it, so no playbook rule (retry, outcomes) applies. */
export const AD_HOC_TASK_KEY = 'ad-hoc';
export const AD_HOC_TITLE_MAX_LENGTH = 120;

export const OUTCOME_MAX_LENGTH = 2000;

/** ApplicationFailure types the workflow rejects commands with; the API maps them to HTTP answers. */
export const FailureType = {
  TaskNotFound: 'TaskNotFound',
  TaskNotOpen: 'TaskNotOpen',
  InvalidInput: 'InvalidInput',
  EventRefused: 'EventRefused',
  PlaybookRefused: 'PlaybookRefused',
  /** The command does not fit the task's state (claimed by someone else, not claimed, …): HTTP 409. */
  TaskConflict: 'TaskConflict',
  /** Only the operative group may do this: HTTP 403. */
  NotAllowed: 'NotAllowed',
  EscalationNotFound: 'EscalationNotFound',
  EscalationResolved: 'EscalationResolved',
} as const;
