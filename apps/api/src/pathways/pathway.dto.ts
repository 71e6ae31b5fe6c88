import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Max,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { TaskView } from '../tasks/task.dto';
import {
  AGENCY_CODE_PATTERN,
  CLOSING_OUTCOMES,
  DISTRICT_CODE_PATTERN,
  TARGET_GROUPS,
  type TargetGroup,
  DISTRICT_CODE_REASON,
  EVENT_TYPES,
  STAGES,
  PATHWAY_PRIORITIES,
  type PathwayPriority,
  TIMELINE_KINDS,
  TRACKS,
  type District,
  type EventType,
  type Stage,
  type Track,
} from '../../../../libs/domain/src';
import { IsPastCalendarDate, IsPastInstant, IsPersonName, NfcText } from '../core/validation';
import { PageQueryDto } from '../core/page-query.dto';

export class PersonDto {
  @ApiProperty({ example: 'Ali Hansen', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  @IsPersonName()
  @NfcText()
  name!: string;

  @ApiProperty({ example: '2010-05-17', description: 'YYYY-MM-DD, not in the future' })
  @IsPastCalendarDate()
  birthDate!: string;

  @ApiProperty({
    type: String,
    example: 'YDRE_NORREBRO',
    description: 'A district in use (GET /districts); the steering group changes the list (PUT /districts/:code)',
  })
  @Matches(DISTRICT_CODE_PATTERN, { message: DISTRICT_CODE_REASON })
  district!: District;

  @ApiPropertyOptional({ description: 'For § 115a parent involvement of a young adult' })
  // Absent is unknown; null is not a third answer.
  @ValidateIf((_dto: PersonDto, value: unknown) => value !== undefined)
  @IsBoolean()
  livesWithParents?: boolean;
}

export class ContactDto {
  @ApiProperty({
    example: 'POLICE_LOCAL',
    description: 'Code of the agency that registered the contact: the signed-in person’s own agency (403 otherwise)',
  })
  @IsString()
  @Matches(AGENCY_CODE_PATTERN, { message: 'must be an agency code such as POLICE_EAS' })
  sourceAgency!: string;

  @ApiProperty({ example: '2026-11-20T15:30:00Z', description: 'ISO 8601 time with zone, not in the future' })
  @IsPastInstant()
  occurredAt!: string;

  @ApiProperty({ example: 'Set sammen med kendte medlemmer ved Mjølnerparken', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  context!: string;

  @ApiPropertyOptional({
    enum: TARGET_GROUPS,
    description:
      'The target group: AT_RISK (at risk of being recruited), FRINGE (on the fringe of a group), MEMBER (a member)',
  })
  @IsOptional()
  @IsIn(TARGET_GROUPS, { message: `must be one of ${TARGET_GROUPS.join(', ')}` })
  targetGroup?: TargetGroup;
}

/** Starting a pathway although someone alike is already known: why (audited, not shown on the timeline). */
export class DuplicateOverrideDto {
  @ApiProperty({ example: 'Samme navn, men en anden person: forældre bekræfter fødselsdatoen', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(/\S/, { message: 'must not be blank' })
  @NfcText()
  reason!: string;
}

export class CreatePathwayDto {
  @ApiProperty({ type: PersonDto })
  @IsDefined()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => PersonDto)
  person!: PersonDto;

  @ApiProperty({ type: ContactDto })
  @IsDefined()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;

  @ApiPropertyOptional({
    type: DuplicateOverrideDto,
    description:
      'Start although the answer was 409 DUPLICATE_SUSPECTED: the coordinator has looked at the candidates and ' +
      'says why this is someone else or needs a pathway of its own',
  })
  @IsOptional()
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => DuplicateOverrideDto)
  duplicateOverride?: DuplicateOverrideDto;
}

/** One pathway that looks like the person being started (same birth date and a name word, or a birth-date slip). */
export class DuplicateCandidateView {
  @ApiProperty({ format: 'uuid' }) pathwayId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty({ enum: STAGES }) stage!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({
    enum: ['BIRTH_DATE_AND_NAME_WORD', 'NAME_AND_BIRTH_DATE_SLIP'],
    description:
      'Why it looks alike: the same birth date and a name word in common, or the same full name and a birth date a typing slip away',
  })
  match!: string;
}

export class DuplicateSuspectedView {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({ enum: ['DUPLICATE_SUSPECTED'] }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [DuplicateCandidateView] }) candidates!: DuplicateCandidateView[];
}

/** A coordinator's correction of the person: a name, a birth date or both, and why. */
export class CorrectPersonDto {
  @ApiPropertyOptional({ example: 'Ali Hassan', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  @IsPersonName()
  @NfcText()
  name?: string;

  @ApiPropertyOptional({ example: '2010-05-17', description: 'YYYY-MM-DD, not in the future' })
  @IsOptional()
  @IsPastCalendarDate()
  birthDate?: string;

  @ApiProperty({ example: 'Fødselsdato rettet efter CPR-opslag', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason!: string;
}

export class TimelineEntryView {
  @ApiProperty() sequence!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: TIMELINE_KINDS }) kind!: string;
  @ApiPropertyOptional() agency?: string;
  @ApiPropertyOptional({ format: 'uuid' }) taskId?: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) detail!: Record<string, string>;
}

export class TimelineView {
  @ApiProperty({ type: [TimelineEntryView] }) items!: TimelineEntryView[];
}

export class PersonView {
  @ApiProperty() name!: string;
  @ApiProperty() birthDate!: string;
  @ApiPropertyOptional() livesWithParents?: boolean;
}

/** A pathway without the person: what lists show. */
export class PathwaySummaryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: STAGES }) stage!: string;
  @ApiPropertyOptional({ enum: TRACKS }) track?: string;
  @ApiProperty({ type: String, example: 'YDRE_NORREBRO', description: 'A district code (GET /districts)' })
  district!: string;
  @ApiProperty() playbookVersion!: number;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ format: 'date-time' }) stageEnteredAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) expectedReleaseAt?: string;
  @ApiPropertyOptional({
    description: 'The person has consented to exit work; absent for an agency without need to know (see README)',
  })
  consent?: boolean;
  @ApiPropertyOptional({ enum: CLOSING_OUTCOMES }) closingOutcome?: string;
  @ApiProperty({
    enum: PATHWAY_PRIORITIES,
    description:
      'HIGH ("Prioriteret"): the operative group’s meeting prioritized the pathway (CHANGE_PRIORITY); its tasks come ' +
      'first in their queues within the same urgency step',
  })
  priority!: string;
}

/** A coordinator's CLOSED waiting for a second, different coordinator (four eyes). */
export class PendingClosureView {
  @ApiProperty({ enum: CLOSING_OUTCOMES }) outcome!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ description: 'The requesting coordinator’s agency' }) requestedBy!: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Asked for by the operative group’s meeting (its CLOSE decision): the meeting',
  })
  meetingId?: string;
}

export class PathwayView extends PathwaySummaryView {
  @ApiPropertyOptional({ description: 'Motivation as last assessed; absent until it is' }) motivated?: boolean;
  @ApiPropertyOptional({ format: 'date-time' }) closedAt?: string;
  @ApiPropertyOptional({
    type: PendingClosureView,
    description:
      'A closure waiting for a second coordinator to confirm or reject it (POST /pathways/{id}/closure/confirm or ' +
      '/reject); until then the pathway runs on. For the coordinators and the operative group only',
  })
  pendingClosure?: PendingClosureView;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'A closed pathway can be reopened by a coordinator until then (30 days after closing)',
  })
  reopenableUntil?: string;
  @ApiPropertyOptional({
    type: PersonView,
    description: 'For the roles COORDINATOR and OPERATIVE_GROUP only (and the opener, in the answer that creates it)',
  })
  person?: PersonView;
  @ApiProperty({ type: [TaskView], description: 'Every task; an agency that is not an overseer sees its own' })
  tasks!: TaskView[];
  @ApiPropertyOptional({ type: [TimelineEntryView], description: 'For the coordinators and steering groups only' })
  timeline?: TimelineEntryView[];
}

/**
 * A start that could not finish within its deadline (PATHWAY_OPEN_TIMEOUT_MS): the workflow is started, its first
 * tasks are not written yet. A 503 with Retry-After, so a client retries; with the same Idempotency-Key the retry
 * answers 200 with the pathway once its tasks are there, and never starts a second one.
 */
export class PathwayStartPendingView {
  @ApiProperty({ example: 503 }) statusCode!: number;
  @ApiProperty({ example: 'Service Unavailable' }) error!: string;
  @ApiProperty({ enum: ['START_PENDING'] }) code!: string;
  @ApiProperty({ format: 'uuid', description: 'The started pathway; GET /pathways/{id} shows it once it is written' })
  id!: string;
  @ApiProperty({
    example:
      'the pathway is started but its first tasks were not written in time; repeat the request with the same ' +
      'Idempotency-Key in a moment',
  })
  message!: string;
}

export class PathwayPageView {
  @ApiProperty({ type: [PathwaySummaryView] }) items!: PathwaySummaryView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor!: string | null;
}

/** The furthest ahead the pathway list looks for a release (two years) and an 18th birthday (two years). */
export const RELEASE_WITHIN_WEEKS_MAX = 104;
export const TURNING_18_WITHIN_MONTHS_MAX = 24;

/** Digits only, then the number: Number() would take 0x10, 1e2 or ' 5 ' as well. */
const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^[0-9]{1,4}$/.test(value) ? Number(value) : value;

export class PathwayListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional()
  @IsIn(STAGES, { message: `must be one of ${STAGES.join(', ')}` })
  stage?: Stage;

  @ApiPropertyOptional({ enum: TRACKS })
  @IsOptional()
  @IsIn(TRACKS, { message: `must be one of ${TRACKS.join(', ')}` })
  track?: Track;

  @ApiPropertyOptional({
    type: String,
    example: 'YDRE_NORREBRO',
    description: 'A district of GET /districts, in use or not',
  })
  @IsOptional()
  @Matches(DISTRICT_CODE_PATTERN, { message: DISTRICT_CODE_REASON })
  district?: District;

  @ApiPropertyOptional({ description: 'true: only pathways with an open task past its deadline; false: only without' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({
    description: 'true: only stalled pathways (no progress for the playbook’s time); false: only not',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  stalled?: boolean;

  @ApiPropertyOptional({
    enum: PATHWAY_PRIORITIES,
    description: 'Only pathways of this priority (HIGH: prioritized by the operative group’s meeting)',
  })
  @IsOptional()
  @IsIn(PATHWAY_PRIORITIES, { message: `must be one of ${PATHWAY_PRIORITIES.join(', ')}` })
  priority?: PathwayPriority;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: RELEASE_WITHIN_WEEKS_MAX,
    description: 'Only pathways whose expected release is from now to this many weeks ahead',
  })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: `must be from 1 to ${RELEASE_WITHIN_WEEKS_MAX}` })
  @Max(RELEASE_WITHIN_WEEKS_MAX, { message: `must be from 1 to ${RELEASE_WITHIN_WEEKS_MAX}` })
  releaseWithinWeeks?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: TURNING_18_WITHIN_MONTHS_MAX,
    description: 'Only pathways whose person turns 18 from today to this many months ahead (Copenhagen dates)',
  })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: `must be from 1 to ${TURNING_18_WITHIN_MONTHS_MAX}` })
  @Max(TURNING_18_WITHIN_MONTHS_MAX, { message: `must be from 1 to ${TURNING_18_WITHIN_MONTHS_MAX}` })
  turning18WithinMonths?: number;
}

export class RecordEventDto {
  @ApiProperty({ enum: EVENT_TYPES })
  @IsIn(EVENT_TYPES, { message: `must be one of ${EVENT_TYPES.join(', ')}` })
  type!: EventType;

  @ApiProperty({
    example: '2026-11-24T08:15:00Z',
    description: 'When it happened: ISO 8601 time with zone, not in the future',
  })
  @IsPastInstant()
  occurredAt!: string;

  // Checked per type by eventDataProblems (libs/domain), the same rules the workflow's update validator applies.
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { track: 'EXIT_KK', reasons: 'Motiveret for exit efter samtale' },
    description:
      'The fields of the event type, none for the others: ASSESSED { track, reasons, register?, ' +
      'registrationReason? } (Exit tracks 18+ only, else 409; registering someone under 18 needs ' +
      'registrationReason, else 400); SENTENCED { earliestParoleDate?, fullTermDate?, expectedReleaseDate? } (each YYYY-MM-DD or ISO ' +
      'time, each optional while pending); RELEASE_DATE_CHANGED { expectedReleaseDate }; PAROLE_DECIDED ' +
      '{ granted, date? }; PLACED { kind }; MOTIVATION_ASSESSED { motivated }; MOVED { district }; ' +
      'CLOSED { outcome }. RELEASED_AFTER_ARREST (409 without an arrest or remand pending), CONTACT_DIFFICULT and ' +
      'CHARGED (a charge as its own fact: no stage change) ' +
      'take none.',
  })
  @IsOptional()
  @IsObject({ message: 'must be an object' })
  data?: Record<string, unknown>;
}

export class MigratePlaybookDto {
  @ApiProperty({ example: 2, description: 'A published playbook version, newer than the pathway’s' })
  @IsInt()
  @Min(1)
  // Playbook versions are whole numbers up to 1,000,000 (libs/domain/src/playbook.ts).
  @Max(1_000_000)
  version!: number;

  @ApiProperty({ example: 'Ny frist for fælles vurdering aftalt i styregruppen', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason!: string;
}

/** Why: a rejected closure, a reopened pathway. */
export class ReasonDto {
  @ApiProperty({ example: 'Personen er stadig i gang med uddannelsen', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason!: string;
}

export class PreviewTaskView {
  @ApiProperty({ example: 'SSP' }) agency!: string;
  @ApiProperty({ example: 'HOME_VISIT' }) type!: string;
  @ApiProperty({ example: 'Hjemmebesøg' }) title!: string;
  @ApiProperty({ format: 'date-time', description: 'The deadline the task will have' }) dueAt!: string;
  @ApiPropertyOptional({
    description: 'The release date left less time than the playbook asks: the earliest feasible deadline',
  })
  compressed?: boolean;
}

export class PreviewEndedTaskView {
  @ApiProperty({ example: 'SSP' }) agency!: string;
  @ApiProperty({ example: 'Hjemmebesøg' }) title!: string;
  @ApiProperty({ enum: ['DONE', 'CANCELLED'], description: 'Cancelled, or completed as the event’s own work' })
  status!: string;
}

export class EventPreviewView {
  @ApiProperty({ enum: STAGES }) stageBefore!: string;
  @ApiProperty({ enum: STAGES, description: 'The stage the pathway is in once the event is recorded' })
  stageAfter!: string;
  @ApiProperty({ type: [PreviewTaskView], description: 'Tasks the event opens, in the order they are created' })
  created!: PreviewTaskView[];
  @ApiProperty({ type: [PreviewEndedTaskView], description: 'Open tasks the event ends' })
  ended!: PreviewEndedTaskView[];
}
