import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsFutureInstant } from '../core/validation';
import {
  AD_HOC_TITLE_MAX_LENGTH,
  AGENCY_CODE_PATTERN,
  CANCEL_CODES,
  HOLD_MAX_DAYS,
  HOLD_NOTE_MAX_LENGTH,
  HOLD_REASONS,
  OUTCOME_MAX_LENGTH,
  STAGES,
  TASK_NOTE_MAX_LENGTH,
  TASK_OUTCOMES,
  TASK_STATUSES,
  TIMELINE_KINDS,
} from '../../../../libs/domain/src';

/** The longest working note on a task. */
export const TASK_WORKING_NOTE_MAX_LENGTH = 4000;

const NOT_BLANK = { message: 'must not be blank' };

export class TaskHoldView {
  @ApiProperty({ format: 'date-time', description: 'When it returns by itself: the start of the day, Copenhagen' })
  until!: string;
  @ApiProperty({ enum: HOLD_REASONS }) reason!: string;
  @ApiProperty({ format: 'date-time', description: 'Since when its deadline clock stands still' }) since!: string;
  @ApiPropertyOptional({
    maxLength: HOLD_NOTE_MAX_LENGTH,
    description: 'The holding agency’s own note: shown to the task’s agency only',
  })
  note?: string;
}

/** A task as every answer shows it: a pathway's tasks, an agency's queue, a task command's result. */
export class TaskView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) pathwayId!: string;
  @ApiProperty({ example: 'eas-registration' }) key!: string;
  @ApiProperty({ enum: STAGES }) stage!: string;
  @ApiProperty({ example: 'POLICE_EAS' }) agency!: string;
  @ApiProperty({ example: 'REGISTRATION_ANALYSIS' }) type!: string;
  @ApiProperty({ example: 'Registrering og analyse af personen' }) title!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiPropertyOptional({
    description: 'Who works it: a user id (the token subject). Only for the task’s own agency; others see CLAIMED only',
  })
  assignee?: string;
  @ApiPropertyOptional({
    example: 'Sagsbehandler, SSP København',
    description: 'The assignee’s display name, for the task’s own agency, once that person has signed in',
  })
  assigneeName?: string;
  @ApiPropertyOptional({
    example: 'NOT_REACHED',
    description: `How the task ended: ${TASK_OUTCOMES.join(', ')} (free text for tasks completed before outcomes)`,
  })
  outcome?: string;
  @ApiPropertyOptional({
    description: 'The completing agency’s own note on the outcome: shown to that agency only',
    maxLength: TASK_NOTE_MAX_LENGTH,
  })
  note?: string;
  @ApiPropertyOptional({
    enum: TASK_OUTCOMES,
    isArray: true,
    description: 'The outcomes this task allows, when fewer than all',
  })
  outcomes?: string[];
  @ApiPropertyOptional({ minimum: 2, description: 'Another attempt at reaching the person (absent: the first)' })
  attempt?: number;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
  @ApiPropertyOptional() completedBy?: string;
  @ApiPropertyOptional({
    enum: CANCEL_CODES,
    description: 'Why it was cancelled, coded and neutral; the words stay on the coordinators’ timeline',
  })
  cancelCode?: string;
  @ApiProperty({ description: 'Past its deadline and not done' }) overdue?: boolean;
  @ApiPropertyOptional({
    description:
      'The release date left less time than the playbook’s lead time (a late sentence): the deadline is the ' +
      'earliest feasible one, not the usual one',
  })
  compressed?: boolean;
  @ApiProperty({ enum: [0, 1, 2], description: '1: the operative group knows; 2: Sikker By knows' })
  escalationLevel?: number;
  @ApiPropertyOptional({ description: 'A handover: the receiving agency and whether it has acknowledged' })
  handover?: { to: string; state: string };
  @ApiPropertyOptional({ format: 'uuid', description: 'For an acknowledgement task: the handover it acknowledges' })
  acknowledges?: string;
  @ApiPropertyOptional({
    type: TaskHoldView,
    description: 'On hold by its agency: out of the active queue, no reminder or escalation until it returns',
  })
  hold?: TaskHoldView;
  @ApiPropertyOptional({
    description:
      'Its pathway is prioritized (the operative group’s meeting, CHANGE_PRIORITY): in a queue it comes before the ' +
      'other tasks of the same urgency step, ahead of earlier deadlines. Absent: not prioritized (or not a queue answer)',
  })
  prioritized?: boolean;
}

export class CompleteTaskDto {
  @ApiProperty({
    enum: TASK_OUTCOMES,
    description:
      'DONE; DECLINED: the person declined the offer (recorded on the timeline); NOT_REACHED: the task comes back ' +
      'with a new deadline until its attempts are used up, then the operative group decides; NOT_RELEVANT',
  })
  @IsIn(TASK_OUTCOMES, { message: `must be one of ${TASK_OUTCOMES.join(', ')}` })
  outcome!: string;

  @ApiPropertyOptional({
    example: 'Ingen hjemme kl. 16, prøver igen torsdag',
    maxLength: TASK_NOTE_MAX_LENGTH,
    description: 'A short note for the own agency: never on the pathway’s timeline',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(TASK_NOTE_MAX_LENGTH)
  @Matches(/\S/, NOT_BLANK)
  note?: string;
}

export class ClaimTaskDto {
  @ApiPropertyOptional({
    example: 'eki-sagsbehandler',
    description:
      'Optional: a task is always taken in the caller’s own name (the user id of the token). If sent, it must be that id (403 otherwise); a team lead assigns others with /assign.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, NOT_BLANK)
  assignee?: string;
}

export class AssignTaskDto {
  @ApiProperty({
    example: 'ssp-sagsbehandler',
    description: 'A person of the task’s agency (a user id, as GET /agencies/{code}/users lists them)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, NOT_BLANK)
  userId!: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Familien er kendt af lokalpolitiet', maxLength: OUTCOME_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(OUTCOME_MAX_LENGTH)
  @Matches(/\S/, NOT_BLANK)
  reason!: string;
}

export class ReassignTaskDto extends ReasonDto {
  @ApiProperty({ example: 'POLICE_LOCAL' })
  @IsString()
  @Matches(AGENCY_CODE_PATTERN, { message: 'must be an agency code such as POLICE_EAS' })
  toAgency!: string;
}

export class ExtendTaskDto extends ReasonDto {
  @ApiProperty({ example: '2026-12-10T12:00:00Z', description: 'The new deadline, in the future' })
  @IsFutureInstant()
  dueAt!: string;
}

export class AddTaskDto {
  @ApiProperty({ example: 'CFR', description: 'An agency of the agencies table (GET /agencies)' })
  @IsString()
  @Matches(AGENCY_CODE_PATTERN, { message: 'must be an agency code such as SSP' })
  agency!: string;

  @ApiProperty({
    example: 'Hjælp til boligsøgning',
    maxLength: AD_HOC_TITLE_MAX_LENGTH,
    description: 'What the agency’s queue shows: neutral, nothing about the person',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(AD_HOC_TITLE_MAX_LENGTH)
  @Matches(/\S/, NOT_BLANK)
  title!: string;

  @ApiProperty({ example: '2026-12-20T12:00:00Z', description: 'The deadline, in the future' })
  @IsFutureInstant()
  dueAt!: string;
}

export class AddSuggestedTaskDto {
  @ApiProperty({
    example: 'tidlig-plan',
    description: 'The key of one of the pathway’s suggested tasks now (GET /pathways/:id/suggested-tasks)',
  })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'must be a task key such as tidlig-plan' })
  key!: string;
}

/** The playbook's condition a suggested task meets: why it is offered for this person now. */
export class SuggestedTaskConditionView {
  @ApiPropertyOptional({ example: 18, description: 'Offered from this age (whole years, inclusive)' })
  minAge?: number;
  @ApiPropertyOptional({ description: 'Offered up to this age (whole years, inclusive)' })
  maxAge?: number;
  @ApiPropertyOptional({
    description: 'Offered only when the person lives (true) or does not live (false) with parents',
  })
  livesWithParents?: boolean;
  @ApiPropertyOptional({ type: [String], example: ['EXIT_NATIONAL'], description: 'Offered on these tracks only' })
  tracks?: string[];
}

export class SuggestedTaskView {
  @ApiProperty({ example: 'tidlig-plan' }) key!: string;
  @ApiProperty({ example: 'CUSTODY', description: 'The stage whose playbook offers it "by need"' }) stage!: string;
  @ApiProperty({
    type: SuggestedTaskConditionView,
    description:
      'Why it fits the person now: the playbook’s condition it meets; empty when offered to everyone in the stage',
  })
  when!: SuggestedTaskConditionView;
  @ApiProperty({ example: 'TIDLIG' }) agency!: string;
  @ApiProperty({ example: 'EDUCATION_JOB_PLAN' }) type!: string;
  @ApiProperty({ example: 'Uddannelses- og jobplan bag murene (Tidlig helhedsindsats)' }) title!: string;
  @ApiProperty({ description: 'The deadline the task would get if it were added now' }) dueAt!: string;
}

export class SuggestedTasksView {
  @ApiProperty({
    type: [SuggestedTaskView],
    description:
      'The playbook’s optional steps for the pathway’s stage that fit the person now and are not already open; ' +
      'empty when there are none (or the pathway is closed)',
  })
  suggestions!: SuggestedTaskView[];
}

export class HoldTaskDto {
  @ApiProperty({
    example: '2027-01-15',
    description: `The day it returns by itself (YYYY-MM-DD, Copenhagen; after today, at most ${HOLD_MAX_DAYS} days ahead)`,
  })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date (YYYY-MM-DD)' })
  until!: string;

  @ApiProperty({
    enum: HOLD_REASONS,
    description:
      'AWAITING_PERSON: the person asked for time; AWAITING_OTHER_AGENCY; AWAITING_DOCUMENTS; PERSON_AWAY; ' +
      'OTHER (the note says what)',
  })
  @IsIn(HOLD_REASONS, { message: `must be one of ${HOLD_REASONS.join(', ')}` })
  reason!: string;

  @ApiPropertyOptional({
    example: 'Mor ringer tilbage efter ferien',
    maxLength: HOLD_NOTE_MAX_LENGTH,
    description: 'For the own agency only (required with OTHER); never on the timeline',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(HOLD_NOTE_MAX_LENGTH)
  @Matches(/\S/, NOT_BLANK)
  note?: string;
}

export class AddTaskNoteDto {
  @ApiProperty({
    example: 'Talt med mor i telefon; hun vil gerne have et møde.',
    maxLength: TASK_WORKING_NOTE_MAX_LENGTH,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(TASK_WORKING_NOTE_MAX_LENGTH)
  @Matches(/\S/, NOT_BLANK)
  body!: string;
}

export class TaskNoteView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The agency that wrote it (always the reader’s own)' }) agency!: string;
  @ApiProperty({ description: 'Who wrote it: a user id of that agency' }) authorUserId!: string;
  @ApiPropertyOptional({ description: 'The author’s display name, once that person has signed in' })
  authorName?: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TaskNotesView {
  @ApiProperty({ type: [TaskNoteView], description: 'Oldest first' }) items!: TaskNoteView[];
}

export class TaskHistoryEntryView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: TIMELINE_KINDS }) kind!: string;
  @ApiPropertyOptional({ description: 'The agency that acted, when one did' }) agency?: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'Non-personal detail. User ids only for the task’s own agency; reasons in words only for the coordinators and ' +
      'the operative group',
  })
  detail!: Record<string, string>;
}

export class TaskHistoryView {
  @ApiProperty({ type: [TaskHistoryEntryView], description: 'Oldest first' }) items!: TaskHistoryEntryView[];
}

export class TaskCommandView {
  @ApiProperty({ type: TaskView }) task!: TaskView;
  @ApiProperty({ enum: STAGES, description: 'The pathway’s stage after the command' }) pathwayStage!: string;
}

/** @deprecated name kept for the completion endpoint's documentation. */
export class TaskCompletedView extends TaskCommandView {}

class TaskPersonView {
  @ApiProperty() name!: string;
  @ApiProperty() birthDate!: string;
}

class TaskContextView {
  @ApiProperty({ enum: STAGES }) stage!: string;
  @ApiPropertyOptional() track?: string;
  @ApiProperty() district!: string;
  @ApiProperty() contactSourceAgency!: string;
  @ApiProperty() contactContext!: string;
  @ApiPropertyOptional({ enum: ['AT_RISK', 'FRINGE', 'MEMBER'], description: 'The first contact’s target group' })
  contactTargetGroup?: string;
}

export class TaskDetailView {
  @ApiProperty({ type: TaskView }) task!: TaskView;
  @ApiPropertyOptional({
    description:
      'What to do, in Danish: the text the pathway’s playbook gives the task’s type (`instructions`); absent when ' +
      'that playbook gives none',
    example: 'Aftal besøget med den anden myndighed, og tag kontakt til forældrene.',
  })
  instructions?: string;
  @ApiPropertyOptional({ type: TaskPersonView, description: 'Absent for an external partner (no personal data)' })
  person?: TaskPersonView;
  @ApiPropertyOptional({
    type: TaskContextView,
    description: 'Only for the police units, EKI and the steering groups (need to know)',
  })
  context?: TaskContextView;
}
