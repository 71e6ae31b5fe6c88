// The pathway workflow's messages: updates are commands, queries are nouns (STYLE.md §4).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ClosingOutcome, PathwayEvent, PlacementKind } from './events';
import type { Contact, District, Person, Stage, Task, TimelineEntry, Track } from './pathway';
import type { Playbook, PlannedTask } from './playbook';

export const PATHWAY_WORKFLOW_TYPE = 'pathwayWorkflow';

/** One input object, versionable: add optional fields, never repurpose one. */
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
  closedOutcome?: ClosingOutcome;
  openedAt: string;
  stageEnteredAt: string;
  lastProgressAt: string;
  version: number;
  timelineSequence: number;
  tasks: Task[];
  waiting: WaitingTask[];
  /** Timeline entries and changed tasks not yet in the read model. */
  pendingTimeline: TimelineEntry[];
  pendingTaskIds: string[];
  projectedOnce: boolean;
  /** How many times the pathway has continued as new. */
  runs?: number;
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
  /** Increases with every change; the read model keeps the highest it has seen. */
  version: number;
  /** How many times the workflow has continued as new. */
  runs: number;
}

export interface MigratePlaybookInput {
  playbook: Playbook;
  reason: string;
  requestedBy: string;
}

export interface CompleteTaskInput {
  taskId: string;
  outcome: string;
  /** Who completed it: an agency code, never a person's name. */
  completedBy: string;
}

export const OUTCOME_MAX_LENGTH = 2000;

/** Waits until every change so far is in the read model, then returns the status. */
export const syncUpdate = defineUpdate<PathwayStatus>('sync');
export const completeTaskUpdate = defineUpdate<PathwayStatus, [CompleteTaskInput]>('completeTask');
export const recordEventUpdate = defineUpdate<PathwayStatus, [PathwayEvent]>('recordEvent');
export const migratePlaybookUpdate = defineUpdate<PathwayStatus, [MigratePlaybookInput]>('migratePlaybook');
export const statusQuery = defineQuery<PathwayStatus>('status');

/** ApplicationFailure types the workflow rejects commands with; the API maps them to HTTP answers. */
export const FailureType = {
  TaskNotFound: 'TaskNotFound',
  TaskNotOpen: 'TaskNotOpen',
  InvalidInput: 'InvalidInput',
  EventRefused: 'EventRefused',
  PlaybookRefused: 'PlaybookRefused',
} as const;
