import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { TaskView } from '../tasks/task.dto';
import { PageQueryDto } from '../core/page-query.dto';

export class AgencyView {
  @ApiProperty({ example: 'EKI' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
}

export class QueueQueryDto extends PageQueryDto {
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
  @ApiProperty({ example: 'jobcenter-sagsbehandler-4', description: 'Who takes the task (a user id, not a name)' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, { message: 'must not be blank' })
  assignee!: string;
}

/** A queue row: the task, and the person's name for a caller who may see it. */
export class QueueTaskView extends TaskView {
  @ApiPropertyOptional({
    description:
      'The person’s name, for the queue’s own agency and the coordinators (need to know: every queued task is open); ' +
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
