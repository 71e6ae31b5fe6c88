import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import {
  AGENCY_CODE_PATTERN,
  CLOSING_OUTCOMES,
  PATHWAY_PRIORITIES,
  type ClosingOutcome,
  type PathwayPriority,
  ESCALATION_KINDS,
  OUTCOME_MAX_LENGTH,
  STAGES,
  isCalendarDate,
} from '../../../../libs/domain/src';
import { MEETING_ITEM_KINDS } from '../../../../libs/persistence/src';
import { RESOLUTIONS } from '../escalations/escalation.dto';
import { IsFutureInstant, UUID_SHAPE } from '../core/validation';

export { MEETING_ITEM_KINDS };

/**
 * The meeting's decisions: the board's (to the pathway), a recommendation to Sikker By, a new priority for the pathway
 * and a closure of it (asked for, confirmed by a coordinator).
 */
export const MEETING_DECISIONS = [...RESOLUTIONS, 'RECOMMEND', 'CHANGE_PRIORITY', 'CLOSE'] as const;
export type MeetingDecision = (typeof MEETING_DECISIONS)[number];

/** Why an item is on the agenda, one per kind (an escalation by its level). */
export const AGENDA_REASONS = [
  'ESCALATED_L2',
  'ESCALATED_L1',
  'AWAITING_ASSESSMENT',
  'STALLED',
  'RELEASE_WITHIN_8_WEEKS',
  'TURNS_18_WITHIN_6_MONTHS',
  'ADDED_BY_MEMBER',
] as const;

const isMeetingDate = (value: unknown) =>
  typeof value === 'string' && isCalendarDate(value) && value >= '2000-01-01' && value <= '2099-12-31';

export class CreateMeetingDto {
  @ApiProperty({ example: '2026-12-08', description: 'The day of the meeting (YYYY-MM-DD); one meeting per day' })
  @ValidateBy({
    name: 'isMeetingDate',
    validator: {
      validate: isMeetingDate,
      defaultMessage: () => 'must be a real date written YYYY-MM-DD (2000–2099)',
    },
  })
  date!: string;
}

/** A decision on an agenda item. The fields of the board's decision, and RECOMMEND. */
export class MeetingDecisionDto {
  @ApiProperty({
    enum: MEETING_DECISIONS,
    description:
      'EXTEND, REASSIGN, CANCEL_TASK and NOTE on an open escalation go to the pathway as the board’s decision; ' +
      'RECOMMEND (a recommendation to Sikker By) and NOTE on any other item go onto the pathway’s timeline (and ' +
      'the minutes). On any item about a pathway: CHANGE_PRIORITY (with priority) sets the pathway’s priority; ' +
      'CLOSE (with outcome) asks for its closure, which a coordinator then confirms or rejects (four eyes; the ' +
      'member who recorded it may not confirm it). Both leave an open escalation open',
  })
  @IsIn(MEETING_DECISIONS, { message: `must be one of ${MEETING_DECISIONS.join(', ')}` })
  decision!: MeetingDecision;

  @ApiProperty({ example: 'Indstilles til Sikker By: bolig uden for området', maxLength: OUTCOME_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(OUTCOME_MAX_LENGTH)
  @Matches(/\S/, { message: 'must not be blank' })
  note!: string;

  @ApiPropertyOptional({ description: 'With EXTEND: the new deadline' })
  @ValidateIf((o: MeetingDecisionDto) => o.decision === 'EXTEND' || o.dueAt !== undefined)
  @IsFutureInstant({ message: 'must be an ISO 8601 time with a time zone, in the future (required with EXTEND)' })
  dueAt?: string;

  @ApiPropertyOptional({ description: 'With REASSIGN: the agency that takes the task' })
  @ValidateIf((o: MeetingDecisionDto) => o.decision === 'REASSIGN' || o.toAgency !== undefined)
  @Matches(AGENCY_CODE_PATTERN, { message: 'must be an agency code (required with REASSIGN)' })
  toAgency?: string;

  @ApiPropertyOptional({ enum: PATHWAY_PRIORITIES, description: 'With CHANGE_PRIORITY: the pathway’s new priority' })
  @ValidateIf((o: MeetingDecisionDto) => o.decision === 'CHANGE_PRIORITY' || o.priority !== undefined)
  @IsIn(PATHWAY_PRIORITIES, {
    message: `must be one of ${PATHWAY_PRIORITIES.join(', ')} (required with CHANGE_PRIORITY)`,
  })
  priority?: PathwayPriority;

  @ApiPropertyOptional({ enum: CLOSING_OUTCOMES, description: 'With CLOSE: the closing outcome asked for' })
  @ValidateIf((o: MeetingDecisionDto) => o.decision === 'CLOSE' || o.outcome !== undefined)
  @IsIn(CLOSING_OUTCOMES, { message: `must be one of ${CLOSING_OUTCOMES.join(', ')} (required with CLOSE)` })
  outcome?: ClosingOutcome;
}

/** An item a member adds to the agenda of an open meeting. */
export class AddMeetingItemDto {
  @ApiProperty({ example: 'Bolig efter løsladelse', maxLength: 200, description: 'The subject' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  title!: string;

  @ApiProperty({
    example: 'Kriminalforsorgen har ingen bolig i udsigt',
    maxLength: 1000,
    description: 'Why it is there',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(/\S/, { message: 'must not be blank' })
  why!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The pathway it is about, if any' })
  @IsOptional()
  @Matches(UUID_SHAPE, { message: 'must be a pathway id (a UUID)' })
  pathwayId?: string;
}

export class RecommendationQueryDto {
  @ApiPropertyOptional({
    example: '2026-07-01',
    description: 'Meetings held on or after this day (YYYY-MM-DD); by default the last 6 months',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isMeetingDate',
    validator: { validate: isMeetingDate, defaultMessage: () => 'must be a real date written YYYY-MM-DD (2000–2099)' },
  })
  from?: string;
}

export class RecommendationView {
  @ApiProperty({ format: 'uuid' }) meetingId!: string;
  @ApiProperty({ example: '2026-12-08' }) meetingDate!: string;
  @ApiProperty({ enum: ['OPEN', 'APPROVED'], description: 'OPEN: the minutes are not approved yet' })
  meetingStatus!: string;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({ enum: MEETING_ITEM_KINDS }) kind!: string;
  @ApiPropertyOptional({ format: 'uuid' }) pathwayId?: string;
  @ApiPropertyOptional({ description: 'A member’s subject, or the escalated task’s title' }) title?: string;
  @ApiProperty({ description: 'The recommendation' }) note!: string;
  @ApiProperty() decidedBy!: string;
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
}

export class RecommendationListView {
  @ApiProperty({ example: '2026-06-08', description: 'The first day the list covers' }) from!: string;
  @ApiProperty({ type: [RecommendationView], description: 'Newest meeting first, in agenda order; at most 200' })
  items!: RecommendationView[];
}

export class ApproveMeetingDto {
  @ApiProperty({
    type: [String],
    example: ['Politiets EAS', 'SSP København', 'Jobcenter'],
    description: 'Who was present (members or their agencies), for the minutes',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'must name at least one who was present' })
  @ArrayMaxSize(40)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  @Matches(/\S/, { each: true, message: 'must not be blank' })
  present!: string[];
}

export class MeetingDecisionView {
  @ApiProperty({ enum: MEETING_DECISIONS }) decision!: string;
  @ApiProperty() note!: string;
  @ApiPropertyOptional({ format: 'date-time' }) dueAt?: string;
  @ApiPropertyOptional() toAgency?: string;
  @ApiPropertyOptional({ enum: PATHWAY_PRIORITIES, description: 'CHANGE_PRIORITY: the priority decided' })
  priority?: string;
  @ApiPropertyOptional({ enum: CLOSING_OUTCOMES, description: 'CLOSE: the closing outcome asked for' })
  outcome?: string;
  @ApiProperty({ description: 'The agency of the member who recorded it' }) decidedBy!: string;
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
}

export class MeetingItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Place on the agenda, from 1' }) position!: number;
  @ApiProperty({ enum: MEETING_ITEM_KINDS }) kind!: string;
  @ApiProperty({
    description:
      'Why it is on the agenda: ESCALATED_L2, ESCALATED_L1 (an open escalation), AWAITING_ASSESSMENT (a new pathway ' +
      'whose joint assessment is open), STALLED (no progress, no escalation open), RELEASE_WITHIN_8_WEEKS, ' +
      'TURNS_18_WITHIN_6_MONTHS (onDate is the day), ADDED_BY_MEMBER (title and why)',
    enum: AGENDA_REASONS,
  })
  reason!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Every item but a member’s without a pathway' })
  pathwayId?: string;
  @ApiPropertyOptional() escalationId?: string;
  @ApiPropertyOptional({ enum: ESCALATION_KINDS }) escalationKind?: string;
  @ApiPropertyOptional({ enum: [1, 2] }) level?: number;
  @ApiPropertyOptional({ description: 'The agency that did not act' }) agency?: string;
  @ApiPropertyOptional() taskTitle?: string;
  @ApiPropertyOptional({ enum: STAGES }) stage?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Escalated at, the assessment asked for at, the last progress of a stalled pathway, or added at',
  })
  since?: string;
  @ApiPropertyOptional({ example: '2027-01-20', description: 'The expected release, or the day the person turns 18' })
  onDate?: string;
  @ApiPropertyOptional({ description: 'A member’s item: the subject' }) title?: string;
  @ApiPropertyOptional({ description: 'A member’s item: why it is there' }) why?: string;
  @ApiPropertyOptional({ description: 'A member’s item: the member’s agency' }) addedBy?: string;
  @ApiPropertyOptional({
    enum: PATHWAY_PRIORITIES,
    description: 'The priority the item’s pathway has now (HIGH: "Prioriteret"); absent for an item about no pathway',
  })
  priority?: string;
  @ApiPropertyOptional({ type: MeetingDecisionView }) decision?: MeetingDecisionView;
}

export class MeetingView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-12-08' }) date!: string;
  @ApiProperty({ enum: ['OPEN', 'APPROVED'], description: 'APPROVED minutes cannot change' }) status!: string;
  @ApiProperty({ type: [String] }) present!: string[];
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional() approvedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) approvedAt?: string;
  @ApiProperty({
    type: [MeetingItemView],
    description:
      'The agenda: escalations (level 2 first), pathways awaiting joint assessment, stalled pathways, releases within ' +
      '8 weeks, people turning 18 within 6 months, then members’ items in the order added',
  })
  items!: MeetingItemView[];
}

export class MeetingSummaryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-12-08' }) date!: string;
  @ApiProperty({ enum: ['OPEN', 'APPROVED'] }) status!: string;
  @ApiProperty({ description: 'Items on the agenda' }) items!: number;
  @ApiProperty({ description: 'Items with a decision' }) decided!: number;
}

export class MeetingListView {
  @ApiProperty({ type: [MeetingSummaryView], description: 'The newest 50, newest first' })
  items!: MeetingSummaryView[];
}
