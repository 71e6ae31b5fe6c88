import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsFutureInstant } from '../core/validation';
import { AGENCY_CODE_PATTERN, ESCALATION_KINDS, OUTCOME_MAX_LENGTH } from '../../../../libs/domain/src';
import { PageQueryDto } from '../core/page-query.dto';

export const RESOLUTIONS = ['EXTEND', 'REASSIGN', 'CANCEL_TASK', 'NOTE'] as const;

export class EscalationQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: [1, 2] })
  @IsOptional()
  // Exactly "1" or "2": Number() would take 0x2, 2.0 or 1e0 as well.
  @Transform(({ value }: { value: unknown }) => (value === '1' ? 1 : value === '2' ? 2 : value))
  @IsIn([1, 2], { message: 'must be 1 or 2' })
  level?: number;

  @ApiPropertyOptional({ example: 'JOBCENTER', description: 'The agency that did not act' })
  @IsOptional()
  @Matches(AGENCY_CODE_PATTERN, { message: 'must be an agency code such as POLICE_EAS' })
  agency?: string;
}

export class ResolvedEscalationQueryDto extends EscalationQueryDto {
  @ApiPropertyOptional({ enum: RESOLUTIONS, description: 'Only escalations resolved with this decision' })
  @IsOptional()
  @IsIn(RESOLUTIONS, { message: `must be one of ${RESOLUTIONS.join(', ')}` })
  decision?: (typeof RESOLUTIONS)[number];
}

export class ResolveEscalationDto {
  @ApiProperty({ enum: RESOLUTIONS })
  @IsIn(RESOLUTIONS, { message: `must be one of ${RESOLUTIONS.join(', ')}` })
  decision!: (typeof RESOLUTIONS)[number];

  @ApiProperty({ example: 'Jobcenter har fået en ny kontaktperson', maxLength: OUTCOME_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(OUTCOME_MAX_LENGTH)
  @Matches(/\S/, { message: 'must not be blank' })
  note!: string;

  @ApiPropertyOptional({ description: 'With EXTEND: the new deadline' })
  @ValidateIf((o: ResolveEscalationDto) => o.decision === 'EXTEND' || o.dueAt !== undefined)
  @IsFutureInstant({ message: 'must be an ISO 8601 time with a time zone, in the future (required with EXTEND)' })
  dueAt?: string;

  @ApiPropertyOptional({ description: 'With REASSIGN: the agency that takes the task' })
  @ValidateIf((o: ResolveEscalationDto) => o.decision === 'REASSIGN' || o.toAgency !== undefined)
  @Matches(AGENCY_CODE_PATTERN, { message: 'must be an agency code (required with REASSIGN)' })
  toAgency?: string;
}

export class EscalationView {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'uuid' }) pathwayId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) taskId?: string;
  @ApiPropertyOptional() taskTitle?: string;
  @ApiProperty({ enum: ESCALATION_KINDS }) kind!: string;
  @ApiProperty({ enum: [1, 2] }) level!: number;
  @ApiProperty({ description: 'The agency that did not act' }) agency!: string;
  @ApiProperty({ enum: ['OPERATIVE_GROUP', 'SIKKER_BY'] }) escalatedTo!: string;
  @ApiProperty({ enum: ['OPEN', 'RESOLVED'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiProperty({ description: 'Seconds since it was raised' }) ageSeconds!: number;
  @ApiPropertyOptional({ format: 'date-time' }) resolvedAt?: string;
  @ApiPropertyOptional() decision?: string;
  @ApiPropertyOptional() note?: string;
}

export class EscalationPageView {
  @ApiProperty({ type: [EscalationView] }) items!: EscalationView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
