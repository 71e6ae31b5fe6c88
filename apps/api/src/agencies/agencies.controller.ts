import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Can } from '../core/actor';
import { ApiCommandKey } from '../core/command-key';
import { respond } from '../core/respond';
import { TaskCommandView } from '../tasks/task.dto';
import { AgenciesService } from './agencies.service';
import { ConfigureWebhookDto, WebhookPingView, WebhookView } from './webhook.dto';
import { WebhooksService } from './webhooks.service';
import {
  AgencyCapacityView,
  AgencyUserView,
  CapacityQueryDto,
  AgencyView,
  BulkAssignDto,
  BulkAssignView,
  NextTaskDto,
  QueueQueryDto,
  TaskPageView,
} from './agency.dto';

@ApiTags('agencies')
@Controller('agencies')
export class AgenciesController {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly webhooks: WebhooksService,
  ) {}

  @Get()
  @Can('agency.list')
  @ApiOkResponse({ type: [AgencyView] })
  list(): Promise<AgencyView[]> {
    return this.agencies.list();
  }

  @Get(':code/tasks')
  @Can('queue.read')
  @ApiOkResponse({
    type: TaskPageView,
    description: 'The agency’s open tasks, most urgent first: escalation level, overdue, deadline (audited)',
  })
  @ApiBadRequestResponse({ description: 'Bad status, overdue, cursor or limit' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  tasks(@Param('code') code: string, @Query() query: QueueQueryDto, @Actor() actor: Actor): Promise<TaskPageView> {
    return this.agencies.tasks(code, query, actor);
  }

  @Post(':code/tasks/next')
  @HttpCode(200)
  @Can('queue.take')
  @ApiOkResponse({ type: TaskCommandView, description: 'The most urgent unclaimed task, now claimed by the caller' })
  @ApiNoContentResponse({ description: 'Nothing unclaimed in the queue' })
  @ApiBadRequestResponse({ description: 'The assignee is missing or blank' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  next(
    @Param('code') code: string,
    @Body() dto: NextTaskDto,
    @Res({ passthrough: true }) res: Response,
    @Actor() actor: Actor | undefined,
  ): Promise<TaskCommandView | undefined> {
    return respond(res, this.agencies.next(code, dto, actor));
  }

  @Get(':code/webhook')
  @Can('agency.webhook')
  @ApiOkResponse({ type: WebhookView, description: 'The webhook’s URL, whether it signs, and its delivery statistics' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  webhook(@Param('code') code: string): Promise<WebhookView> {
    return this.webhooks.get(code);
  }

  @Put(':code/webhook')
  @Can('agency.webhook')
  @ApiOkResponse({ type: WebhookView, description: 'Configured; a new secret is in the answer, and only there' })
  @ApiBadRequestResponse({ description: 'The URL is not an https URL (http only in development), or has credentials' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  configureWebhook(@Param('code') code: string, @Body() dto: ConfigureWebhookDto): Promise<WebhookView> {
    return this.webhooks.configure(code, dto);
  }

  @Post(':code/webhook/ping')
  @HttpCode(200)
  @Can('agency.webhook')
  @ApiOkResponse({ type: WebhookPingView, description: 'A signed PING was sent now; whether the receiver took it' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  @ApiConflictResponse({ description: 'The agency has no webhook yet' })
  pingWebhook(@Param('code') code: string): Promise<WebhookPingView> {
    return this.webhooks.ping(code);
  }

  @Post(':code/tasks/assign')
  @HttpCode(200)
  @Can('queue.assign')
  @ApiOkResponse({
    type: BulkAssignView,
    description: 'Each task given to the person, or why not (as POST /tasks/{id}/assign would answer), in order',
  })
  @ApiBadRequestResponse({ description: 'userId not a person of the agency, or taskIds not 1-50 distinct task ids' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  @ApiCommandKey()
  assign(
    @Param('code') code: string,
    @Body() dto: BulkAssignDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<BulkAssignView> {
    return this.agencies.assign(code, dto, key, actor);
  }

  @Get(':code/users')
  @Can('agency.users')
  @ApiOkResponse({
    type: [AgencyUserView],
    description: 'The agency’s people who have signed in, by name: whom a team lead can assign',
  })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  users(@Param('code') code: string): Promise<AgencyUserView[]> {
    return this.agencies.users(code);
  }

  @Get(':code/capacity')
  @Can('agency.capacity')
  @ApiOkResponse({
    type: AgencyCapacityView,
    description: 'Per person of the agency: claimed and overdue tasks, last action, absent; and the unclaimed tasks',
  })
  @ApiBadRequestResponse({ description: 'absentDays not a whole number from 1 to 90' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  capacity(@Param('code') code: string, @Query() query: CapacityQueryDto): Promise<AgencyCapacityView> {
    return this.agencies.capacity(code, query.absentDays ?? 7);
  }
}
