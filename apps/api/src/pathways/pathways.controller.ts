import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Can } from '../core/actor';
import { ApiCommandKey } from '../core/command-key';
import { respond } from '../core/respond';
import { AddSuggestedTaskDto, AddTaskDto, SuggestedTasksView, TaskCommandView } from '../tasks/task.dto';
import { PathwayCommandsService } from './pathway-commands.service';
import {
  CorrectPersonDto,
  CreatePathwayDto,
  DuplicateSuspectedView,
  EventPreviewView,
  MigratePlaybookDto,
  PathwayListQueryDto,
  PathwayPageView,
  PathwayStartPendingView,
  PathwayView,
  ReasonDto,
  RecordEventDto,
  TimelineView,
} from './pathway.dto';
import { PathwaysService } from './pathways.service';

@ApiTags('pathways')
@Controller('pathways')
export class PathwaysController {
  constructor(
    private readonly pathways: PathwaysService,
    private readonly commands: PathwayCommandsService,
  ) {}

  @Post()
  @Can('pathway.open')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Repeating a request with the same key returns the same pathway',
  })
  @ApiCreatedResponse({ type: PathwayView, description: 'Started; its first tasks are in the agencies’ queues' })
  @ApiOkResponse({
    type: PathwayView,
    description: 'Already started by an earlier request with the same Idempotency-Key',
  })
  @ApiServiceUnavailableResponse({
    type: PathwayStartPendingView,
    description:
      'START_PENDING with Retry-After: started, but its first tasks were not written within the deadline (repeat with ' +
      'the same Idempotency-Key); or Temporal or the database does not answer',
  })
  @ApiBadRequestResponse({ description: 'A field is missing, unknown or invalid; `errors` names each one' })
  @ApiConflictResponse({
    type: DuplicateSuspectedView,
    description:
      'code DUPLICATE_SUSPECTED (to a caller who may search people): someone alike is already known, the candidates ' +
      'are named; repeat with duplicateOverride.reason to start anyway. Without a code: the Idempotency-Key was used ' +
      'for a different request',
  })
  open(
    @Body() dto: CreatePathwayDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Actor() actor: Actor,
  ): Promise<PathwayView | undefined> {
    return respond(res, this.pathways.open(dto, idempotencyKey, actor));
  }

  @Get()
  @Can('pathway.list')
  @ApiOkResponse({ type: PathwayPageView, description: 'Pathways newest first, without personal data' })
  @ApiBadRequestResponse({ description: 'An unknown stage, track or district, a bad cursor or limit' })
  list(@Query() query: PathwayListQueryDto): Promise<PathwayPageView> {
    return this.pathways.list(query);
  }

  @Get(':id')
  @Can('pathway.read')
  @ApiOkResponse({ type: PathwayView })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  get(@Param('id') id: string, @Actor() actor: Actor): Promise<PathwayView> {
    return this.pathways.readAs(id, actor);
  }

  @Get(':id/timeline')
  @Can('pathway.timeline')
  @ApiOkResponse({ type: TimelineView, description: 'Everything that happened on the pathway, in order' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  timeline(@Param('id') id: string, @Actor() actor: Actor): Promise<TimelineView> {
    return this.pathways.timeline(id, actor);
  }

  @Post(':id/events')
  @HttpCode(200)
  @Can('pathway.record-event')
  @ApiOkResponse({ type: PathwayView, description: 'Recorded; the pathway as it stands after the event' })
  @ApiBadRequestResponse({ description: 'A field of the event or its data is missing, unknown or invalid' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  @ApiConflictResponse({
    description:
      'The event does not fit the pathway’s stage or repeats a fact already recorded, the pathway is closed, or the ' +
      'Idempotency-Key was used for another request',
  })
  @ApiCommandKey()
  recordEvent(
    @Param('id') id: string,
    @Body() dto: RecordEventDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<PathwayView> {
    return this.commands.recordEvent(id, dto, key, actor);
  }

  @Post(':id/events/preview')
  @HttpCode(200)
  @Can('pathway.record-event')
  @ApiOkResponse({
    type: EventPreviewView,
    description: 'What recording this event would create, end and lead to; nothing is recorded',
  })
  @ApiBadRequestResponse({ description: 'A field of the event or its data is missing, unknown or invalid' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  @ApiConflictResponse({
    description:
      'The event does not fit the pathway’s stage or repeats a fact already recorded, or the pathway is closed',
  })
  previewEvent(@Param('id') id: string, @Body() dto: RecordEventDto, @Actor() actor: Actor): Promise<EventPreviewView> {
    return this.commands.previewEvent(id, dto, actor);
  }

  @Post(':id/tasks')
  @HttpCode(201)
  @Can('pathway.add-task')
  @ApiCreatedResponse({ type: TaskCommandView, description: 'The ad-hoc task, open in the agency’s queue' })
  @ApiBadRequestResponse({
    description: 'agency unknown or an investigation unit, title blank or too long, dueAt not in the future',
  })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  @ApiConflictResponse({ description: 'The pathway is closed, or the Idempotency-Key was used for another request' })
  @ApiCommandKey()
  addTask(
    @Param('id') id: string,
    @Body() dto: AddTaskDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<TaskCommandView> {
    return this.commands.addTask(id, dto, key, actor);
  }

  @Get(':id/suggested-tasks')
  @Can('pathway.suggested-tasks')
  @ApiOkResponse({
    type: SuggestedTasksView,
    description: 'The playbook’s optional steps ("by need") a coordinator may add to the pathway now',
  })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  suggestedTasks(@Param('id') id: string, @Actor() actor: Actor): Promise<SuggestedTasksView> {
    return this.commands.suggestions(id, actor);
  }

  @Post(':id/suggested-tasks')
  @HttpCode(201)
  @Can('pathway.add-task')
  @ApiCreatedResponse({
    type: TaskCommandView,
    description: 'The suggested task, created and open in its agency’s queue',
  })
  @ApiBadRequestResponse({ description: 'key missing or not a task key' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  @ApiConflictResponse({
    description:
      'The key is not among the pathway’s suggestions now (the answer lists those that are; one already open is not), ' +
      'the pathway is closed, or the Idempotency-Key was used for another request',
  })
  @ApiCommandKey()
  addSuggestedTask(
    @Param('id') id: string,
    @Body() dto: AddSuggestedTaskDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<TaskCommandView> {
    return this.commands.addSuggestedTask(id, dto, key, actor);
  }

  @Post(':id/closure/confirm')
  @HttpCode(200)
  @Can('pathway.confirm-closure')
  @ApiOkResponse({ type: PathwayView, description: 'Confirmed by a second coordinator: the pathway is closed' })
  @ApiForbiddenResponse({ description: 'Not a coordinator, or the coordinator who asked for the closure (four eyes)' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  @ApiConflictResponse({
    description:
      'No closure waits for confirmation, the pathway is already closed, or the Idempotency-Key was used for another ' +
      'request',
  })
  @ApiCommandKey()
  confirmClosure(
    @Param('id') id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<PathwayView> {
    return this.commands.decideClosure(id, 'CONFIRM', key, actor);
  }

  @Post(':id/closure/reject')
  @HttpCode(200)
  @Can('pathway.reject-closure')
  @ApiOkResponse({ type: PathwayView, description: 'The closure is dropped; the pathway runs on' })
  @ApiBadRequestResponse({ description: 'The reason is missing or invalid' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  @ApiConflictResponse({
    description:
      'No closure waits for confirmation, the pathway is already closed, or the Idempotency-Key was used for another ' +
      'request',
  })
  @ApiCommandKey()
  rejectClosure(
    @Param('id') id: string,
    @Body() dto: ReasonDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<PathwayView> {
    return this.commands.decideClosure(id, 'REJECT', key, actor, dto);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Can('pathway.reopen')
  @ApiOkResponse({ type: PathwayView, description: 'Open again, in the stage it was closed from, its work planned' })
  @ApiBadRequestResponse({ description: 'The reason is missing or invalid' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  @ApiConflictResponse({
    description:
      'The pathway is not closed, was closed more than 30 days ago, or the Idempotency-Key was used for another request',
  })
  @ApiCommandKey()
  reopen(
    @Param('id') id: string,
    @Body() dto: ReasonDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<PathwayView> {
    return this.commands.reopen(id, dto, key, actor);
  }

  @Post(':id/person-correction')
  @HttpCode(200)
  @Can('person.correct')
  @ApiOkResponse({
    type: PathwayView,
    description: 'Corrected; a new birth date has re-planned the work that hangs on the age',
  })
  @ApiBadRequestResponse({ description: 'Neither name nor birthDate, a bad or future birth date, no reason' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  @ApiConflictResponse({
    description: 'The pathway is closed, the name and birth date are already as given, or the Idempotency-Key was used',
  })
  @ApiCommandKey()
  correctPerson(
    @Param('id') id: string,
    @Body() dto: CorrectPersonDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<PathwayView> {
    return this.commands.correctPerson(id, dto, key, actor);
  }

  @Post(':id/playbook-migration')
  @HttpCode(200)
  @Can('pathway.migrate-playbook')
  @ApiOkResponse({ type: PathwayView, description: 'The pathway runs on the newer playbook from now on' })
  @ApiBadRequestResponse({ description: 'The version or reason is missing or invalid' })
  @ApiNotFoundResponse({ description: 'No pathway with that id, or no playbook with that version' })
  @ApiConflictResponse({ description: 'The version is not newer than the pathway’s, or the pathway is closed' })
  @ApiCommandKey()
  migratePlaybook(
    @Param('id') id: string,
    @Body() dto: MigratePlaybookDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<PathwayView> {
    return this.commands.migratePlaybook(id, dto, key, actor);
  }
}
