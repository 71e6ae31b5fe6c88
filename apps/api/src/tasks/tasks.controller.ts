import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, Can } from '../core/actor';
import { ApiCommandKey } from '../core/command-key';
import {
  AddTaskNoteDto,
  AssignTaskDto,
  ClaimTaskDto,
  CompleteTaskDto,
  ExtendTaskDto,
  HoldTaskDto,
  ReasonDto,
  ReassignTaskDto,
  TaskCommandView,
  TaskDetailView,
  TaskHistoryView,
  TaskNoteView,
  TaskNotesView,
} from './task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@Controller('tasks')
@ApiNotFoundResponse({ description: 'No task with that id' })
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get(':id')
  @Can('task.read')
  @ApiOkResponse({
    type: TaskDetailView,
    description: 'The task and who it is about, as the asking agency may see it (audited)',
  })
  detail(@Param('id') id: string, @Actor() actor: Actor | undefined): Promise<TaskDetailView> {
    return this.tasks.detail(id, actor);
  }

  @Post(':id/complete')
  @Can('task.complete')
  @HttpCode(200)
  @ApiOkResponse({
    type: TaskCommandView,
    description:
      'Ended with its outcome; a handover task waits for the receiver to acknowledge; NOT_REACHED with attempts ' +
      'left: the task stays open with a new deadline (attempt counts up)',
  })
  @ApiBadRequestResponse({
    description:
      'The outcome is not one of DONE, DECLINED, NOT_REACHED, NOT_RELEVANT or not one the task allows, the note is ' +
      'blank or too long, or an unknown field was sent',
  })
  @ApiConflictResponse({
    description: 'The task is already done or cancelled, or waits for a handover acknowledgement',
  })
  @ApiCommandKey()
  complete(
    @Param('id') id: string,
    @Body() dto: CompleteTaskDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor | undefined,
  ): Promise<TaskCommandView> {
    return this.tasks.complete(id, dto, key, actor);
  }

  @Post(':id/claim')
  @Can('task.claim')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiConflictResponse({ description: 'Already claimed, done or cancelled' })
  @ApiBadRequestResponse({ description: 'The assignee is missing, blank or too long' })
  @ApiCommandKey()
  claim(
    @Param('id') id: string,
    @Body() dto: ClaimTaskDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor | undefined,
  ): Promise<TaskCommandView> {
    return this.tasks.claim(id, dto, key, actor);
  }

  @Post(':id/assign')
  @Can('task.assign')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView, description: 'Claimed in that person’s name (also from a colleague)' })
  @ApiBadRequestResponse({ description: 'userId missing, or not a person of the task’s agency who has signed in' })
  @ApiConflictResponse({ description: 'Done or cancelled, waiting for a handover, or already that person’s' })
  @ApiCommandKey()
  assign(
    @Param('id') id: string,
    @Body() dto: AssignTaskDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor | undefined,
  ): Promise<TaskCommandView> {
    return this.tasks.assign(id, dto, key, actor);
  }

  @Post(':id/unclaim')
  @Can('task.unclaim')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiConflictResponse({ description: 'Not claimed' })
  @ApiCommandKey()
  unclaim(
    @Param('id') id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor | undefined,
  ): Promise<TaskCommandView> {
    return this.tasks.unclaim(id, key, actor);
  }

  @Post(':id/reassign')
  @Can('task.reassign')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiBadRequestResponse({ description: 'toAgency unknown, or the reason missing or blank' })
  @ApiConflictResponse({ description: 'Done or cancelled already, or already that agency’s' })
  @ApiCommandKey()
  reassign(
    @Param('id') id: string,
    @Body() dto: ReassignTaskDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<TaskCommandView> {
    return this.tasks.reassign(id, dto, key, actor);
  }

  @Post(':id/extend')
  @Can('task.extend')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiBadRequestResponse({ description: 'dueAt not a future ISO 8601 time with a zone, or the reason missing' })
  @ApiConflictResponse({ description: 'Done or cancelled already' })
  @ApiCommandKey()
  extend(
    @Param('id') id: string,
    @Body() dto: ExtendTaskDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<TaskCommandView> {
    return this.tasks.extend(id, dto, key, actor);
  }

  @Post(':id/cancel')
  @Can('task.cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView })
  @ApiBadRequestResponse({ description: 'The reason is missing or blank' })
  @ApiConflictResponse({ description: 'Done or cancelled already' })
  @ApiCommandKey()
  cancel(
    @Param('id') id: string,
    @Body() dto: ReasonDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<TaskCommandView> {
    return this.tasks.cancel(id, dto, key, actor);
  }

  @Post(':id/hold')
  @Can('task.hold')
  @HttpCode(200)
  @ApiOkResponse({
    type: TaskCommandView,
    description:
      'On hold until the start of that day (Copenhagen): out of the active queue, no reminder, overdue or escalation; ' +
      'it returns by itself with its deadline moved by the time held. Holding a held task again moves its date.',
  })
  @ApiBadRequestResponse({
    description: 'until not a date after today or more than 90 days ahead, an unknown reason, OTHER without a note',
  })
  @ApiConflictResponse({ description: 'Done or cancelled already, or a handover waiting for its acknowledgement' })
  @ApiCommandKey()
  hold(
    @Param('id') id: string,
    @Body() dto: HoldTaskDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor | undefined,
  ): Promise<TaskCommandView> {
    return this.tasks.hold(id, dto, key, actor);
  }

  @Post(':id/resume')
  @Can('task.resume')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskCommandView, description: 'Back in the queue now, its deadline moved by the time held' })
  @ApiConflictResponse({ description: 'Not on hold, or done or cancelled already' })
  @ApiCommandKey()
  resume(
    @Param('id') id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor | undefined,
  ): Promise<TaskCommandView> {
    return this.tasks.resume(id, key, actor);
  }

  @Get(':id/notes')
  @Can('task.notes')
  @ApiOkResponse({ type: TaskNotesView, description: 'The caller’s agency’s working notes on its task (audited)' })
  notes(@Param('id') id: string, @Actor() actor: Actor | undefined): Promise<TaskNotesView> {
    return this.tasks.listNotes(id, actor);
  }

  @Post(':id/notes')
  @Can('task.notes')
  @ApiCreatedResponse({ type: TaskNoteView, description: 'Written (audited); the same Idempotency-Key writes it once' })
  @ApiBadRequestResponse({ description: 'The body is missing, blank or too long' })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used for another note' })
  @ApiCommandKey()
  addNote(
    @Param('id') id: string,
    @Body() dto: AddTaskNoteDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor | undefined,
  ): Promise<TaskNoteView> {
    return this.tasks.addNote(id, dto, key, actor);
  }

  @Get(':id/history')
  @Can('task.history')
  @ApiOkResponse({
    type: TaskHistoryView,
    description: 'The task’s own history: created, claimed, held and resumed, handed over, acknowledged, completed',
  })
  history(@Param('id') id: string, @Actor() actor: Actor | undefined): Promise<TaskHistoryView> {
    return this.tasks.history(id, actor);
  }
}
