// The audit trail as an auditor reads it: rows with who, when, what, why and the result, never a person's name.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, ValidateBy } from 'class-validator';
import { AUDIT_PURPOSES, AUDIT_RESULTS, LEGAL_BASIS_CODES, type AuditResult } from '../../../../libs/domain/src';
import { isCursorInstant } from '../../../../libs/persistence/src';
import { PageQueryDto } from '../core/page-query.dto';
import { UUID_SHAPE } from '../core/validation';

const IsInstant = (): PropertyDecorator =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => isCursorInstant(value),
      defaultMessage: () => 'must be an ISO 8601 time with zone',
    },
  });

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Rows about this pathway (and its person)' })
  @IsOptional()
  @Matches(UUID_SHAPE, { message: 'must be a UUID' })
  pathwayId?: string;

  @ApiPropertyOptional({ description: "The acting person's user id at the identity provider" })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'must be 1-200 visible ASCII characters' })
  actorUserId?: string;

  @ApiPropertyOptional({ example: 'POLICE_EAS' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'must be an agency code' })
  actorAgency?: string;

  @ApiPropertyOptional({ example: 'READ_PATHWAY', description: 'READ_PATHWAY, OPEN_PATHWAY, or a refused action' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, { message: 'must be an action name' })
  action?: string;

  @ApiPropertyOptional({ enum: AUDIT_RESULTS })
  @IsOptional()
  @IsIn(AUDIT_RESULTS, { message: `must be one of ${AUDIT_RESULTS.join(', ')}` })
  result?: AuditResult;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Rows at or after this time' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-07T00:00:00Z', description: 'Rows before this time' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

export class AuditRowView {
  @ApiProperty({ description: 'Increasing; the chain runs in this order' }) id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'POLICE_EAS' }) actorAgency!: string;
  @ApiPropertyOptional({ description: 'The identity provider user id; absent on rows from before sign-in' })
  actorUserId?: string;
  @ApiPropertyOptional({ type: [String], example: ['COORDINATOR'] }) actorRoles?: string[];
  @ApiProperty({ example: 'READ_PATHWAY' }) action!: string;
  @ApiPropertyOptional({ format: 'uuid' }) pathwayId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) taskId?: string;
  @ApiPropertyOptional({ enum: AUDIT_PURPOSES, description: 'Absent on rows from before purposes were recorded' })
  purpose?: string;
  @ApiProperty({ example: 'Retsplejeloven § 115 (SSP-samarbejdet)' }) legalBasis!: string;
  @ApiPropertyOptional({ enum: LEGAL_BASIS_CODES }) legalBasisCode?: string;
  @ApiPropertyOptional({ description: 'The X-Request-Id of the request' }) requestId?: string;
  @ApiProperty({ enum: AUDIT_RESULTS }) result!: string;
  @ApiPropertyOptional({ description: 'Why a refused attempt was refused' }) reason?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    example: { agency: 'JOBCENTER', status: 'OPEN' },
    description: 'For a list read (a queue, the escalation board): what was listed, never a name',
  })
  detail?: Record<string, string | number | boolean>;
  @ApiPropertyOptional({ description: 'For a list read: how many rows the answer showed' }) itemCount?: number;
  @ApiProperty({ description: "sha256 over the row's fields and the previous row's hash" }) hash!: string;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditRowView], description: 'Newest first' }) items!: AuditRowView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor!: string | null;
}

export class AuditBrokenRowView {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({
    enum: ['HASH', 'LINK'],
    description: "HASH: the row's fields were changed; LINK: a row before it was removed, added or changed",
  })
  problem!: string;
}

export class AuditVerificationView {
  @ApiProperty({ description: 'True when every row is as it was written' }) intact!: boolean;
  @ApiProperty({ description: 'Rows checked before the first broken one (all rows when intact)' }) checked!: number;
  @ApiPropertyOptional({ type: AuditBrokenRowView }) firstBroken?: AuditBrokenRowView;
}

export class AccessReportEntryView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'OPERATIVE_GROUP' }) actorAgency!: string;
  @ApiPropertyOptional() actorUserId?: string;
  @ApiPropertyOptional({ type: [String] }) actorRoles?: string[];
  @ApiProperty({ example: 'READ_PATHWAY' }) action!: string;
  @ApiPropertyOptional({ enum: AUDIT_PURPOSES }) purpose?: string;
  @ApiProperty() legalBasis!: string;
}

export class AccessReportView {
  @ApiProperty({ format: 'uuid', description: "The person's id: their pathway's id" }) personId!: string;
  @ApiProperty({ type: [AccessReportEntryView], description: 'Every allowed look and change, oldest first' })
  items!: AccessReportEntryView[];
}
