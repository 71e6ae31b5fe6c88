import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_KINDS } from '../../../../libs/domain/src';
import { PageQueryDto } from '../core/page-query.dto';

export class DeadLetterQueryDto extends PageQueryDto {}

/** A notification that ran out of attempts: ids, links and the reason, never personal data. */
export class DeadLetterView {
  @ApiProperty({ description: 'Also the X-Exit-Delivery-Id the receiver saw' }) id!: string;
  @ApiProperty({ example: 'POLICE_EAS' }) agency!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind!: string;
  @ApiProperty({ format: 'uuid' }) pathwayId!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) taskId!: string | null;
  @ApiProperty({ nullable: true, type: String }) escalationId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Attempts made; 0 right after a requeue' }) attempts!: number;
  @ApiProperty({ nullable: true, type: String, example: 'HTTP 503', description: 'Why the last attempt failed' })
  lastError!: string | null;
}

export class DeadLetterPageView {
  @ApiProperty({ type: [DeadLetterView] }) items!: DeadLetterView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor!: string | null;
}
