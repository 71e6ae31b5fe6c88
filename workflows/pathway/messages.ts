// The pathway workflow's messages: updates are commands, queries are nouns. Their argument and
// answer types are plain domain types (libs/domain/src/pathway/commands.ts).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AddSuggestedTaskInput,
  AddTaskInput,
  AssignTaskInput,
  CancelTaskInput,
  ClaimTaskInput,
  CompleteTaskInput,
  CorrectPersonInput,
  DecideClosureInput,
  ExtendTaskInput,
  HoldTaskInput,
  MigratePlaybookInput,
  EventPreview,
  PathwayEvent,
  PathwayPersonRecord,
  PathwayStatus,
  ReassignTaskInput,
  RecordMeetingDecisionInput,
  ReopenPathwayInput,
  ResolveEscalationInput,
  TaskCommand,
} from '../../libs/domain/src';

/** Waits until every change so far is in the read model, then returns the status. */
export const syncUpdate = defineUpdate<PathwayStatus>('sync');
export const completeTaskUpdate = defineUpdate<PathwayStatus, [CompleteTaskInput]>('completeTask');
export const recordEventUpdate = defineUpdate<PathwayStatus, [PathwayEvent]>('recordEvent');
export const migratePlaybookUpdate = defineUpdate<PathwayStatus, [MigratePlaybookInput]>('migratePlaybook');
export const claimTaskUpdate = defineUpdate<PathwayStatus, [ClaimTaskInput]>('claimTask');
export const assignTaskUpdate = defineUpdate<PathwayStatus, [AssignTaskInput]>('assignTask');
export const unclaimTaskUpdate = defineUpdate<PathwayStatus, [TaskCommand]>('unclaimTask');
export const reassignTaskUpdate = defineUpdate<PathwayStatus, [ReassignTaskInput]>('reassignTask');
export const extendTaskUpdate = defineUpdate<PathwayStatus, [ExtendTaskInput]>('extendTask');
export const holdTaskUpdate = defineUpdate<PathwayStatus, [HoldTaskInput]>('holdTask');
export const resumeTaskUpdate = defineUpdate<PathwayStatus, [TaskCommand]>('resumeTask');
export const cancelTaskUpdate = defineUpdate<PathwayStatus, [CancelTaskInput]>('cancelTask');
export const resolveEscalationUpdate = defineUpdate<PathwayStatus, [ResolveEscalationInput]>('resolveEscalation');
export const addTaskUpdate = defineUpdate<PathwayStatus, [AddTaskInput]>('addTask');
export const addSuggestedTaskUpdate = defineUpdate<PathwayStatus, [AddSuggestedTaskInput]>('addSuggestedTask');
export const decideClosureUpdate = defineUpdate<PathwayStatus, [DecideClosureInput]>('decideClosure');
export const reopenPathwayUpdate = defineUpdate<PathwayStatus, [ReopenPathwayInput]>('reopenPathway');
export const correctPersonUpdate = defineUpdate<PathwayStatus, [CorrectPersonInput]>('correctPerson');
export const recordMeetingDecisionUpdate = defineUpdate<PathwayStatus, [RecordMeetingDecisionInput]>(
  'recordMeetingDecision',
);
export const statusQuery = defineQuery<PathwayStatus>('status');
/**
 * The person and the first contact as the workflow holds them: for the worker's reconciliation only (never the API's
 * answers). A query leaves no trace in history, so adding it needed no patch.
 */
export const personQuery = defineQuery<PathwayPersonRecord>('person');
/** What recording this event would create, end and lead to (PathwayMachine.preview); changes nothing. */
export const previewEventQuery = defineQuery<EventPreview, [PathwayEvent]>('previewEvent');
