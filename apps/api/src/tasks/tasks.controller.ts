import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  ClaimTaskDto,
  CompleteTaskDto,
  ExtendTaskDto,
  ReasonDto,
  ReassignTaskDto,
  TaskCommandView,
  TaskDetailView,
} from './task.dto';
import { TasksService } from './tasks.service';

const AGENCY_HEADER = {
  name: 'X-Agency',
  required: false,
  description:
    'The acting agency (no authentication yet). Defaults to the task’s agency, or OPERATIVE_GROUP for its decisions.',
};

@ApiTags('tasks')
@Controller('tasks')
@ApiHeader(AGENCY_HEADER)
@ApiNotFoundResponse({ description: 'No task with that id' })
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get(':id')
  @ApiOkResponse({
    type: TaskDetailView,
    description: 'The task and who it is about, as the asking agency may see it (audited)',
  })
  @ApiBadRequestResponse({ description: 'X-Agency is missing or unknown' })
  @ApiForbiddenResponse({ description: 'The task belongs to another agency' })
  detail(@Param('id') id: string, @Headers('x-agency') agency?: string): Promise<TaskDetailView> {
    return this.tasks.detail(id, agency);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView, description: 'Done; a handover task waits for the receiver to acknowledge' })
  @ApiBadRequestResponse({ description: 'The outcome is missing, blank or too long, or an unknown field was sent' })
  @ApiForbiddenResponse({ description: 'The task belongs to another agency' })
  @ApiConflictResponse({
    description: 'The task is already done or cancelled, or waits for a handover acknowledgement',
  })
  complete(
    @Param('id') id: string,
    @Body() dto: CompleteTaskDto,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView> {
    return this.tasks.complete(id, dto, agency);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiForbiddenResponse({ description: 'The task belongs to another agency' })
  @ApiConflictResponse({ description: 'Already claimed, done or cancelled' })
  claim(
    @Param('id') id: string,
    @Body() dto: ClaimTaskDto,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView> {
    return this.tasks.claim(id, dto, agency);
  }

  @Post(':id/unclaim')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiConflictResponse({ description: 'Not claimed' })
  unclaim(@Param('id') id: string, @Headers('x-agency') agency?: string): Promise<TaskCommandView> {
    return this.tasks.unclaim(id, agency);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiForbiddenResponse({ description: 'Only the operative group reassigns' })
  reassign(
    @Param('id') id: string,
    @Body() dto: ReassignTaskDto,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView> {
    return this.tasks.reassign(id, dto, agency);
  }

  @Post(':id/extend')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiForbiddenResponse({ description: 'Only the operative group extends deadlines' })
  extend(
    @Param('id') id: string,
    @Body() dto: ExtendTaskDto,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView> {
    return this.tasks.extend(id, dto, agency);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiForbiddenResponse({ description: 'Only the operative group cancels tasks' })
  cancel(
    @Param('id') id: string,
    @Body() dto: ReasonDto,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView> {
    return this.tasks.cancel(id, dto, agency);
  }
}
