// The pathway workflow's messages: updates are commands, queries are nouns (STYLE.md §4).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Contact, Person, Stage, Task, Track } from './pathway';
import type { Playbook } from './playbook';

export const PATHWAY_WORKFLOW_TYPE = 'pathwayWorkflow';

/** One input object, versionable: add optional fields, never repurpose one. */
export interface PathwayInput {
  pathwayId: string;
  person: Person;
  contact: Contact;
  /** The playbook version the pathway pins for its whole life. */
  playbook: Playbook;
}

export interface PathwayStatus {
  pathwayId: string;
  stage: Stage;
  track?: Track;
  playbookVersion: number;
  tasks: Task[];
  /** Increases with every change; the read model keeps the highest it has seen. */
  version: number;
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
export const statusQuery = defineQuery<PathwayStatus>('status');

/** ApplicationFailure types the workflow rejects commands with; the API maps them to HTTP answers. */
export const FailureType = {
  TaskNotFound: 'TaskNotFound',
  TaskNotOpen: 'TaskNotOpen',
  InvalidInput: 'InvalidInput',
} as const;
