import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { OUTCOME_MAX_LENGTH, STAGES } from '../../../../libs/domain/src';
import { TaskView } from '../pathways/pathway.dto';

export class CompleteTaskDto {
  @ApiProperty({
    example: 'Registreret og analyseret; ingen kendt tilknytning til grupperinger',
    maxLength: OUTCOME_MAX_LENGTH,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(OUTCOME_MAX_LENGTH)
  @Matches(/\S/, { message: 'must not be blank' })
  outcome!: string;
}

export class TaskCompletedView {
  @ApiProperty({ type: TaskView }) task!: TaskView;
  @ApiProperty({ enum: STAGES, description: 'The pathway’s stage after the completion' }) pathwayStage!: string;
}
