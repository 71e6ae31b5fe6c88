import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { ESCALATION_KINDS, STAGES, isCalendarDate } from '../../../../libs/domain/src';
import { RESOLUTIONS } from '../escalations/escalation.dto';

export const MEETING_ITEM_KINDS = ['ESCALATION', 'STALLED_PATHWAY'] as const;

export class CreateMeetingDto {
  @ApiProperty({ example: '2026-12-08', description: 'The day of the meeting (YYYY-MM-DD); one meeting per day' })
  @ValidateBy({
    name: 'isMeetingDate',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && isCalendarDate(value) && value >= '2000-01-01' && value <= '2099-12-31',
      defaultMessage: () => 'must be a real date written YYYY-MM-DD (2000–2099)',
    },
  })
  date!: string;
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
  @ApiProperty({ enum: RESOLUTIONS }) decision!: string;
  @ApiProperty() note!: string;
  @ApiPropertyOptional({ format: 'date-time' }) dueAt?: string;
  @ApiPropertyOptional() toAgency?: string;
  @ApiProperty({ description: 'The agency of the member who recorded it' }) decidedBy!: string;
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
}

export class MeetingItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Place on the agenda, from 1' }) position!: number;
  @ApiProperty({ enum: MEETING_ITEM_KINDS }) kind!: string;
  @ApiProperty({
    description:
      'Why it is on the agenda: ESCALATED_L2, ESCALATED_L1 (an open escalation) or STALLED (no progress, no escalation open)',
    enum: ['ESCALATED_L2', 'ESCALATED_L1', 'STALLED'],
  })
  reason!: string;
  @ApiProperty({ format: 'uuid' }) pathwayId!: string;
  @ApiPropertyOptional() escalationId?: string;
  @ApiPropertyOptional({ enum: ESCALATION_KINDS }) escalationKind?: string;
  @ApiPropertyOptional({ enum: [1, 2] }) level?: number;
  @ApiPropertyOptional({ description: 'The agency that did not act' }) agency?: string;
  @ApiPropertyOptional() taskTitle?: string;
  @ApiPropertyOptional({ enum: STAGES }) stage?: string;
  @ApiProperty({ format: 'date-time', description: 'Escalated at, or the last progress of a stalled pathway' })
  since!: string;
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
  @ApiProperty({ type: [MeetingItemView], description: 'The agenda: escalations (level 2 first), then stalled' })
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
