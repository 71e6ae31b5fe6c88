// The pathway's vocabulary: stages, tracks, districts, task and timeline shapes shared by workflows, activities
// and the API. Pure types and constants only.
import type { DueRule, Requirement } from '../playbook';

export const STAGES = [
  'CONTACT',
  'ASSESSMENT',
  'INTERVENTION',
  'CUSTODY',
  'RELEASE_PLANNING',
  'REINTEGRATION',
  'PLACEMENT',
  'FOLLOW_UP',
  'CLOSED',
] as const;
export type Stage = (typeof STAGES)[number];

export const TRACKS = [
  'PREVENTION',
  'OUTREACH',
  'EXIT_NATIONAL',
  'EXIT_KK',
  'INVESTIGATION_ONLY',
  'NO_ACTION',
] as const;
export type Track = (typeof TRACKS)[number];
/** Exit KK and the national Exit programme: for adults only (refused under 18, refusals.ts). */
export const EXIT_TRACKS: readonly Track[] = ['EXIT_NATIONAL', 'EXIT_KK'];

/**
 * The districts a fresh database is seeded with (DISTRICT_SEED in districts.ts has their names). The `districts` table
 * is the list in use: the steering group changes it, so a district is any code of the table (`District`).
 */
export const DISTRICTS = ['INDRE_NORREBRO', 'YDRE_NORREBRO', 'BISPEBJERG_NORDVEST', 'TINGBJERG', 'OTHER'] as const;
export type District = string;

export const TASK_STATUSES = ['OPEN', 'CLAIMED', 'DONE', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['OPEN', 'CLAIMED'];

/**
 * How the agency ended a task (issue 10, item 8): done; the person declined the offer; the person could not be
 * reached (the task comes back for another attempt, then the operative group hears of it); not relevant (not this
 * agency's, or no longer needed). Each leaves the task DONE; the outcome says how.
 */
export const TASK_OUTCOMES = ['DONE', 'DECLINED', 'NOT_REACHED', 'NOT_RELEVANT'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
export const isTaskOutcome = (value: unknown): value is TaskOutcome => TASK_OUTCOMES.includes(value as TaskOutcome);
/** The completing agency's own short note on the outcome: never on the timeline, shown to that agency only. */
export const TASK_NOTE_MAX_LENGTH = 500;

/**
 * Why a task's own agency put it on hold (issue 10, item 8): coded, so the queue and the task page can say it in
 * Danish and nothing about the person leaks through words. OTHER needs the note.
 */
export const HOLD_REASONS = [
  /** The person asked for time or will get back (a new meeting, a decision to make). */
  'AWAITING_PERSON',
  /** Another agency's part must come first (a decision, an appointment, a case to open). */
  'AWAITING_OTHER_AGENCY',
  /** Papers, records or a statement the agency waits for. */
  'AWAITING_DOCUMENTS',
  /** The person is away for a while (travel, hospital, school camp). */
  'PERSON_AWAY',
  'OTHER',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];
export const isHoldReason = (value: unknown): value is HoldReason => HOLD_REASONS.includes(value as HoldReason);
/** The agency's own note on a hold: on the task for that agency only, never on the timeline. */
export const HOLD_NOTE_MAX_LENGTH = 500;
/** The longest a task may be held at once (calendar days from today): longer than that is not a pause. */
export const HOLD_MAX_DAYS = 90;

/** A task on hold: out of the active queue, its deadline clock stopped, back by itself at `until`. */
export interface TaskHold {
  /** ISO instant it returns by itself: the start of the chosen day in Copenhagen. */
  until: string;
  reason: HoldReason;
  /** The agency's own note (HOLD_NOTE_MAX_LENGTH): for that agency's eyes only. */
  note?: string;
  /** ISO instant the clock stopped: on return the deadline and the ladder move by the time since. */
  since: string;
}

/** The person a pathway is about. Personal data: never in ids, search attributes, memos or logs. */
export interface Person {
  name: string;
  /** YYYY-MM-DD */
  birthDate: string;
  district: District;
  /** For § 115a parent involvement of young adults; unknown when absent. */
  livesWithParents?: boolean;
}

/**
 * The first contact's target group, the partnership agreement's three: young people at risk of being recruited
 * (AT_RISK), on the fringe of a group (FRINGE), members of a group (MEMBER). A category, so lists and figures can
 * count by it; `context` stays the words.
 */
export const TARGET_GROUPS = ['AT_RISK', 'FRINGE', 'MEMBER'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

export interface Contact {
  sourceAgency: string;
  /** ISO 8601 instant */
  occurredAt: string;
  context: string;
  /** Absent for pathways opened before it was asked, and when the reporter leaves it open. */
  targetGroup?: TargetGroup;
}

export interface Task {
  id: string;
  pathwayId: string;
  /** The playbook task key, e.g. 'eas-registration'. */
  key: string;
  stage: Stage;
  agency: string;
  type: string;
  title: string;
  status: TaskStatus;
  createdAt: string;
  dueAt: string;
  assignee?: string;
  /** A TaskOutcome; free text in pathways completed before task outcomes. */
  outcome?: string;
  /** The completing agency's own note on the outcome (TASK_NOTE_MAX_LENGTH): for that agency's eyes only. */
  note?: string;
  /** The outcomes this task allows, when the playbook allows fewer than all (an acknowledgement: DONE only). */
  outcomes?: TaskOutcome[];
  /** Which attempt at reaching the person this is, from 2 once the person was not reached (absent: the first). */
  attempt?: number;
  completedAt?: string;
  completedBy?: string;
  /**
   * Why it was cancelled, in words (an operative group's note, `pathway closed: DECLINED`): for the overseers' timeline
   * only, since it can reveal investigation context. Every agency sees `cancelCode`.
   */
  cancelReason?: string;
  /** Why it was cancelled, coded and neutral: what the task's own agency and every answer show. */
  cancelCode?: CancelCode;
  /** The release date left less time than the playbook's lead time: the deadline is the earliest feasible one. */
  compressed?: boolean;
  /** Set when the deadline hangs on a date that can move (the expected release date). */
  dueRule?: DueRule;
  /** Consent or motivation the task depends on: withdrawing it cancels the task. */
  requires?: Requirement[];
  /** Past its deadline and not done. */
  overdue?: boolean;
  /** 0 none, 1 the operative group, 2 Sikker By. */
  escalationLevel?: number;
  remindersSent?: number;
  /** When the current deadline was set (creation or the last extension). */
  windowStart?: string;
  reminderShares?: number[];
  escalateAfter?: DueRule;
  /** A handover task: the receiving agency and where the acknowledgement stands. */
  handover?: { to: string; state: 'NOT_STARTED' | 'AWAITING_ACK' | 'ACKNOWLEDGED'; ackTaskId?: string };
  /** For an acknowledgement task: the handover task it acknowledges. */
  acknowledges?: string;
  /** On hold by its own agency: no reminder, overdue or escalation until it returns (issue 10, item 8). */
  hold?: TaskHold;
}

/** TASK_NOT_REACHED: the person was not reached at the task's last attempt; the operative group decides what next. */
export const ESCALATION_KINDS = ['TASK_OVERDUE', 'PATHWAY_STALLED', 'TASK_NOT_REACHED'] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];
export const ESCALATION_DECISIONS = ['EXTEND', 'REASSIGN', 'CANCEL_TASK', 'NOTE', 'PROGRESS', 'TASK_DONE'] as const;
export type EscalationDecision = (typeof ESCALATION_DECISIONS)[number];

export interface Escalation {
  /** Derived from the task or pathway and the level, so raising it twice is one row. */
  id: string;
  pathwayId: string;
  kind: EscalationKind;
  level: number;
  taskId?: string;
  /** The agency that did not act. */
  agency: string;
  /** Who the escalation goes to: OPERATIVE_GROUP or SIKKER_BY. */
  escalatedTo: string;
  status: 'OPEN' | 'RESOLVED';
  raisedAt: string;
  resolvedAt?: string;
  decision?: EscalationDecision;
  note?: string;
}

export const NOTIFICATION_KINDS = [
  'TASK_ASSIGNED',
  'TASK_REMINDER',
  'TASK_OVERDUE',
  'ESCALATION_RAISED',
  'HANDOVER_REQUESTED',
  'PATHWAY_STALLED',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** A message to an agency: a kind and links, never personal data. */
export interface Notification {
  /** Random (uuid) since random-notification-ids; `pathway:sequence:agency` before. What receivers see. */
  id: string;
  /** What the outbox is unique on: `pathway:sequence:agency`. Absent on notifications made before it existed. */
  dedupKey?: string;
  agency: string;
  kind: NotificationKind;
  pathwayId: string;
  taskId?: string;
  escalationId?: string;
}

/**
 * Why a task was cancelled, as the agencies see it: coded and neutral, never the free text (which may say that the
 * person is followed by investigation alone). The web app names each in Danish and English.
 */
export const CANCEL_CODES = ['PATHWAY_CLOSED', 'TRACK_CHANGED', 'NOT_NEEDED', 'WITHDRAWN_CONSENT'] as const;
export type CancelCode = (typeof CANCEL_CODES)[number];

export const TIMELINE_KINDS = [
  'PATHWAY_OPENED',
  'EVENT_RECORDED',
  'STAGE_CHANGED',
  'TASK_CREATED',
  'TASK_WAITING',
  /** The engine did not hand out a task the playbook plans (purpose limitation, the agency's ages). */
  'TASK_WITHHELD',
  'TASK_COMPLETED',
  /** The person declined what the task offered (outcome DECLINED). */
  'OFFER_DECLINED',
  /** The person was not reached; the task comes back for another attempt with a new deadline. */
  'TASK_RETRY_PLANNED',
  'TASK_CANCELLED',
  /** A coordinator added one of the stage's suggested (optional) tasks; TASK_CREATED follows. */
  'SUGGESTION_ADDED',
  'TASK_HANDED_OVER',
  'DEADLINE_MOVED',
  'PLAYBOOK_MIGRATED',
  'PATHWAY_CLOSED',
  'TASK_CLAIMED',
  'TASK_UNCLAIMED',
  'TASK_REASSIGNED',
  'DEADLINE_EXTENDED',
  'TASK_REMINDED',
  'TASK_OVERDUE',
  'ESCALATED',
  'ESCALATION_RESOLVED',
  'HANDOVER_REQUESTED',
  'HANDOVER_ACKNOWLEDGED',
  'PATHWAY_STALLED',
  'PATHWAY_UNSTALLED',
  /** Four eyes: a coordinator asked to close; a second one confirms (then PATHWAY_CLOSED) or rejects it. */
  'CLOSURE_REQUESTED',
  'CLOSURE_CONFIRMED',
  'CLOSURE_REJECTED',
  /** The task's agency put it on hold until a date (detail: key, until; never the reason's note). */
  'TASK_HELD',
  /** A held task is back in the queue: at its date, or resumed by its agency (detail: key, because, dueAt). */
  'TASK_RESUMED',
  /** A coordinator reopened a closed pathway within REOPEN_WITHIN_DAYS; it goes back to the stage it was closed from. */
  'PATHWAY_REOPENED',
  /**
   * A coordinator corrected the person's name or birth date: which fields (detail.fields) and whether the age group
   * changed (detail.ageGroup: MINOR or ADULT), never the old or new values.
   */
  'PERSON_CORRECTED',
  /**
   * The operative group's meeting decided on an agenda item about the pathway without an escalation (detail: meetingId,
   * itemId, decision NOTE, RECOMMEND, CHANGE_PRIORITY or CLOSE, and the note's words, which only the coordinators and the operative group read).
   */
  'MEETING_DECISION',
  /**
   * The operative group's meeting changed the pathway's priority (detail: from, to — NORMAL or HIGH —, meetingId,
   * itemId; the reason is the MEETING_DECISION entry's note, never here).
   */
  'PRIORITY_CHANGED',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  /** Derived from the pathway and a per-pathway sequence number, so a retried write never duplicates it. */
  id: string;
  /** Position on the pathway's timeline, from 1. */
  sequence: number;
  at: string;
  kind: TimelineKind;
  /** The agency that acted, when one did. */
  agency?: string;
  taskId?: string;
  /** Non-personal detail: stage names, task keys, outcomes agencies typed in. */
  detail: Record<string, string>;
}

/** A task as clients see it: the work and its urgency, without the workflow's bookkeeping. */
export function publicTask(task: Task): Task {
  return {
    id: task.id,
    pathwayId: task.pathwayId,
    key: task.key,
    stage: task.stage,
    agency: task.agency,
    type: task.type,
    title: task.title,
    status: task.status,
    createdAt: task.createdAt,
    dueAt: task.dueAt,
    ...(task.assignee ? { assignee: task.assignee } : {}),
    ...(task.outcome ? { outcome: task.outcome } : {}),
    ...(task.outcomes ? { outcomes: [...task.outcomes] } : {}),
    ...(task.attempt ? { attempt: task.attempt } : {}),
    ...(task.completedAt ? { completedAt: task.completedAt } : {}),
    ...(task.completedBy ? { completedBy: task.completedBy } : {}),
    ...(task.cancelCode ? { cancelCode: task.cancelCode } : {}),
    overdue: task.overdue ?? false,
    ...(task.compressed ? { compressed: true } : {}),
    escalationLevel: task.escalationLevel ?? 0,
    ...(task.handover ? { handover: { to: task.handover.to, state: task.handover.state } } : {}),
    ...(task.acknowledges ? { acknowledges: task.acknowledges } : {}),
    // The hold's coded reason and date; its note only to the task's own agency (the API adds it).
    ...(task.hold ? { hold: { until: task.hold.until, reason: task.hold.reason, since: task.hold.since } } : {}),
  };
}
