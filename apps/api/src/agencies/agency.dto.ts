import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { AssignTaskDto, TaskView } from '../tasks/task.dto';
import { PageQueryDto } from '../core/page-query.dto';

import { WorkloadQueryDto } from '../oversight/oversight.dto';

export class AgencyView {
  @ApiProperty({ example: 'EKI' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
}

export const QUEUE_VIEWS = ['ACTIVE', 'HELD', 'ENDED'] as const;

export class QueueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: QUEUE_VIEWS,
    default: 'ACTIVE',
    description:
      'ACTIVE: open work not on hold, most urgent first; HELD: work on hold (same order); ENDED: done or cancelled ' +
      'within the days the person stays visible after a task (30 by default), newest first',
  })
  @IsOptional()
  @IsIn(QUEUE_VIEWS, { message: `must be one of ${QUEUE_VIEWS.join(', ')}` })
  view?: (typeof QUEUE_VIEWS)[number];

  @ApiPropertyOptional({ enum: ['OPEN', 'CLAIMED'], description: 'Only unclaimed or only claimed work' })
  @IsOptional()
  @IsIn(['OPEN', 'CLAIMED'], { message: 'must be OPEN or CLAIMED' })
  status?: 'OPEN' | 'CLAIMED';

  @ApiPropertyOptional({ description: 'true: only overdue tasks; false: only tasks still within their deadline' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'Only tasks claimed by this user id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  assignee?: string;
}

export class NextTaskDto {
  @ApiPropertyOptional({
    example: 'jobcenter-sagsbehandler',
    description:
      'Optional: the task is always taken in the caller’s own name (the user id of the token). If sent, it must be that id (403 otherwise).',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, { message: 'must not be blank' })
  assignee?: string;
}

/** A queue row: the task, and the person's name for a caller who may see it. */
export class QueueTaskView extends TaskView {
  @ApiPropertyOptional({
    description:
      'The person’s name, for the queue’s own agency and the coordinators (need to know: every queued task is open, ' +
      'or ended within the days the person stays visible after a task); ' +
      'never for an external partner. Each name shown is audited.',
    example: 'Ali Hansen',
  })
  personName?: string;
}

export class TaskPageView {
  @ApiProperty({ type: [QueueTaskView] }) items!: QueueTaskView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as ?cursor= for the next page; null on the last' })
  nextCursor!: string | null;
}

/** The most tasks one bulk assignment takes: a team lead sharing out a morning's queue. */
export const BULK_ASSIGN_MAX = 50;

export class BulkAssignDto extends AssignTaskDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: BULK_ASSIGN_MAX })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_ASSIGN_MAX)
  @ArrayUnique({ message: 'must not name a task twice' })
  @IsUUID('all', { each: true, message: 'must be task ids (UUIDs)' })
  taskIds!: string[];
}

export class BulkAssignResult {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({
    enum: [200, 400, 403, 404, 409, 503],
    description: 'What POST /tasks/{id}/assign would have answered',
  })
  status!: number;
  @ApiPropertyOptional({ type: TaskView, description: 'With 200: the task, now the person’s' })
  task?: TaskView;
  @ApiPropertyOptional({ description: 'Otherwise: why not' })
  message?: string;
}

export class BulkAssignView {
  @ApiProperty({ type: [BulkAssignResult], description: 'One result per task id, in the order sent' })
  results!: BulkAssignResult[];
}

export class AgencyUserView {
  @ApiProperty({ example: 'ssp-sagsbehandler', description: 'The user id (the token subject)' }) userId!: string;
  @ApiProperty({ example: 'Sagsbehandler, SSP København' }) displayName!: string;
  @ApiProperty({ example: ['CASEWORKER'] }) roles!: string[];
  @ApiProperty({ format: 'date-time', description: 'When the API last saw this person (to within 5 minutes)' })
  lastSeenAt!: string;
}

/** The same absence rule as the agencies' workload (`GET /oversight/workload`): one definition, one validation. */
export class CapacityQueryDto extends WorkloadQueryDto {}

export class PersonCapacityView {
  @ApiProperty({ example: 'ssp-sagsbehandler', description: 'The user id (the token subject)' }) userId!: string;
  @ApiProperty({ example: 'Sagsbehandler, SSP København', description: 'The name; the user id if never signed in' })
  displayName!: string;
  @ApiProperty({ description: 'Claimed tasks of the agency this person holds' }) claimed!: number;
  @ApiProperty({ description: 'Of those, past their deadline' }) overdue!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Last request to the API' })
  lastSeenAt!: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'The later of the last request and the latest claim (never either: the newest task’s creation)',
  })
  lastActionAt!: string | null;
  @ApiProperty({ description: 'No action for absentDays days: their claimed work may need another person' })
  absent!: boolean;
}

export class AgencyCapacityView {
  @ApiProperty({ example: 'SSP' }) agency!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Days without action after which a person counts as absent' }) absentDays!: number;
  @ApiProperty({ description: 'Open tasks of the agency nobody has claimed' }) unassigned!: number;
  @ApiProperty({
    type: [PersonCapacityView],
    description: 'Everyone holding claimed tasks of the agency, and its known people without any, by name',
  })
  people!: PersonCapacityView[];
}
