import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CompleteTaskDto, TaskCompletedView } from './task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCompletedView })
  @ApiBadRequestResponse({ description: 'The outcome is missing, blank, too long, or an unknown field was sent' })
  @ApiNotFoundResponse({ description: 'No task with that id' })
  @ApiConflictResponse({ description: 'The task is already done or cancelled' })
  complete(@Param('id') id: string, @Body() dto: CompleteTaskDto): Promise<TaskCompletedView> {
    return this.tasks.complete(id, dto);
  }
}
