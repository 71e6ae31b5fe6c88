// Erasure of a person: the request (a reason code, never words about the person) and its state.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';

/** Why a person is erased; a code, so that the request itself holds nothing about them. */
export const ERASURE_REASONS = ['NO_LONGER_NEEDED', 'WRONGLY_REGISTERED', 'DATA_SUBJECT_REQUEST', 'RETENTION'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

export class ErasureRequestDto {
  @ApiProperty({
    enum: ERASURE_REASONS,
    description:
      'NO_LONGER_NEEDED: the prevention purpose is over; WRONGLY_REGISTERED: should never have been registered; ' +
      'DATA_SUBJECT_REQUEST: the person asked and the partnership agreed; RETENTION: the retention review decided',
  })
  @IsIn(ERASURE_REASONS, { message: `must be one of ${ERASURE_REASONS.join(', ')}` })
  reason!: ErasureReason;
}

export class ErasureView {
  @ApiProperty({ format: 'uuid', description: "The person's id: their pathway's id" }) personId!: string;
  @ApiProperty({
    enum: ['REQUESTED', 'ERASED'],
    description: 'REQUESTED: waits for a second coordinator to confirm; ERASED: done (for good)',
  })
  status!: 'REQUESTED' | 'ERASED';
  @ApiProperty({ enum: ERASURE_REASONS }) reason!: string;
  @ApiProperty({ description: 'The user id of the coordinator who asked' }) requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiPropertyOptional({ description: 'The user id of the coordinator who confirmed (or `retention`)' })
  erasedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) erasedAt?: string;
}

export class KeepPersonDto {
  @ApiProperty({
    example: 'Ny bekymringshenvendelse under behandling i SSP',
    maxLength: 500,
    description: 'Why the person is kept past the retention period; words about the case, never the name',
  })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'must not be blank' })
  reason!: string;

  @ApiProperty({ example: '2027-06-30', description: 'YYYY-MM-DD, after today and at most two years ahead' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' })
  keepUntil!: string;
}

export class KeptView {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ enum: ['KEPT'] }) status!: 'KEPT';
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time', description: 'Reviewed again after this' }) keepUntil!: string;
  @ApiProperty({ description: 'The user id of the coordinator who decided' }) keptBy!: string;
}

export class RetentionReviewView {
  @ApiProperty({ format: 'uuid', description: "The person's id: their pathway's id" }) personId!: string;
  @ApiProperty({ format: 'date-time' }) closedAt!: string;
  @ApiPropertyOptional() closingOutcome?: string;
  @ApiProperty({ format: 'date-time', description: 'Erased after this unless a coordinator keeps the person' })
  reviewUntil!: string;
}

export class RetentionReviewsView {
  @ApiProperty({ type: [RetentionReviewView] }) items!: RetentionReviewView[];
}
