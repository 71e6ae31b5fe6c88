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
  name: 'x-agency',
  required: false,
  description:
    'The acting agency (no authentication yet). Defaults to the task’s agency, or OPERATIVE_GROUP for its decisions.',
};

@ApiTags('tasks')
@Controller('tasks')
@ApiNotFoundResponse({ description: 'No task with that id' })
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get(':id')
  @ApiHeader({ name: 'x-agency', required: true, description: 'The reading agency (no authentication yet)' })
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
  @ApiHeader(AGENCY_HEADER)
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
  @ApiHeader(AGENCY_HEADER)
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiForbiddenResponse({ description: 'The task belongs to another agency' })
  @ApiConflictResponse({ description: 'Already claimed, done or cancelled' })
  @ApiBadRequestResponse({ description: 'The assignee is missing, blank or too long; X-Agency is unknown' })
  claim(
    @Param('id') id: string,
    @Body() dto: ClaimTaskDto,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView> {
    return this.tasks.claim(id, dto, agency);
  }

  @Post(':id/unclaim')
  @ApiHeader(AGENCY_HEADER)
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiConflictResponse({ description: 'Not claimed' })
  @ApiForbiddenResponse({ description: 'Neither the task’s agency nor the operative group' })
  unclaim(@Param('id') id: string, @Headers('x-agency') agency?: string): Promise<TaskCommandView> {
    return this.tasks.unclaim(id, agency);
  }

  @Post(':id/reassign')
  @ApiHeader(AGENCY_HEADER)
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiForbiddenResponse({ description: 'Only the operative group reassigns' })
  @ApiBadRequestResponse({ description: 'toAgency unknown, or the reason missing or blank' })
  @ApiConflictResponse({ description: 'Done or cancelled already, or already that agency’s' })
  reassign(
    @Param('id') id: string,
    @Body() dto: ReassignTaskDto,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView> {
    return this.tasks.reassign(id, dto, agency);
  }

  @Post(':id/extend')
  @ApiHeader(AGENCY_HEADER)
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiForbiddenResponse({ description: 'Only the operative group extends deadlines' })
  @ApiBadRequestResponse({ description: 'dueAt not a future ISO 8601 time with a zone, or the reason missing' })
  @ApiConflictResponse({ description: 'Done or cancelled already' })
  extend(
    @Param('id') id: string,
    @Body() dto: ExtendTaskDto,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView> {
    return this.tasks.extend(id, dto, agency);
  }

  @Post(':id/cancel')
  @ApiHeader(AGENCY_HEADER)
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiForbiddenResponse({ description: 'Only the operative group cancels tasks' })
  @ApiBadRequestResponse({ description: 'The reason is missing or blank' })
  @ApiConflictResponse({ description: 'Done or cancelled already' })
  cancel(
    @Param('id') id: string,
    @Body() dto: ReasonDto,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView> {
    return this.tasks.cancel(id, dto, agency);
  }
}
