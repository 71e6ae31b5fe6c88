import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  AGENCY_CODE_PATTERN,
  DISTRICTS,
  STAGES,
  TASK_STATUSES,
  TIMELINE_KINDS,
  type District,
} from '../../../../libs/domain/src';
import { IsPastCalendarDate, IsPastInstant } from '../core/validation';

export class PersonDto {
  @ApiProperty({ example: 'Ali Hansen', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  name!: string;

  @ApiProperty({ example: '2010-05-17', description: 'YYYY-MM-DD, not in the future' })
  @IsPastCalendarDate()
  birthDate!: string;

  @ApiProperty({ enum: DISTRICTS })
  @IsIn(DISTRICTS, { message: `must be one of ${DISTRICTS.join(', ')}` })
  district!: District;

  @ApiPropertyOptional({ description: 'For § 115a parent involvement of a young adult' })
  @IsOptional()
  @IsBoolean()
  livesWithParents?: boolean;
}

export class ContactDto {
  @ApiProperty({ example: 'POLICE_LOCAL', description: 'Code of the agency that registered the contact' })
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
}

export class CreatePathwayDto {
  @ApiProperty({ type: PersonDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => PersonDto)
  person!: PersonDto;

  @ApiProperty({ type: ContactDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;
}

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
  @ApiPropertyOptional() assignee?: string;
  @ApiPropertyOptional() outcome?: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
  @ApiPropertyOptional() completedBy?: string;
}

export class TimelineEntryView {
  @ApiProperty() sequence!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: TIMELINE_KINDS }) kind!: string;
  @ApiPropertyOptional() agency?: string;
  @ApiPropertyOptional({ format: 'uuid' }) taskId?: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) detail!: Record<string, string>;
}

export class PersonView {
  @ApiProperty() name!: string;
  @ApiProperty() birthDate!: string;
  @ApiPropertyOptional() livesWithParents?: boolean;
}

export class PathwayView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: STAGES }) stage!: string;
  @ApiPropertyOptional() track?: string;
  @ApiProperty({ enum: DISTRICTS }) district!: string;
  @ApiProperty() playbookVersion!: number;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: PersonView }) person!: PersonView;
  @ApiProperty({ type: [TaskView] }) tasks!: TaskView[];
  @ApiProperty({ type: [TimelineEntryView] }) timeline!: TimelineEntryView[];
}

export class PathwayAcceptedView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: STAGES }) stage!: string;
  @ApiProperty({ example: 'The pathway is started; its tasks appear once the worker has written them.' })
  message!: string;
}
