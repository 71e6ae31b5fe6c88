import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { TaskCommandView } from '../tasks/task.dto';
import { AgenciesService } from './agencies.service';
import { AgencyView, NextTaskDto, QueueQueryDto, TaskPageView } from './agency.dto';

@ApiTags('agencies')
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Get()
  @ApiOkResponse({ type: [AgencyView] })
  list(): Promise<AgencyView[]> {
    return this.agencies.list();
  }

  @Get(':code/tasks')
  @ApiOkResponse({
    type: TaskPageView,
    description: 'The agency’s open tasks, most urgent first: escalation level, overdue, deadline',
  })
  @ApiBadRequestResponse({ description: 'Bad status, overdue, cursor or limit' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  tasks(@Param('code') code: string, @Query() query: QueueQueryDto): Promise<TaskPageView> {
    return this.agencies.tasks(code, query);
  }

  @Post(':code/tasks/next')
  @HttpCode(200)
  @ApiHeader({ name: 'x-agency', required: false, description: 'Must be the agency itself when given' })
  @ApiOkResponse({ type: TaskCommandView, description: 'The most urgent unclaimed task, now claimed by the caller' })
  @ApiNoContentResponse({ description: 'Nothing unclaimed in the queue' })
  @ApiForbiddenResponse({ description: 'X-Agency names another agency' })
  @ApiBadRequestResponse({ description: 'The assignee is missing or blank; X-Agency is unknown' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  async next(
    @Param('code') code: string,
    @Body() dto: NextTaskDto,
    @Res({ passthrough: true }) res: Response,
    @Headers('x-agency') agency?: string,
  ): Promise<TaskCommandView | undefined> {
    const claimed = await this.agencies.next(code, dto, agency);
    if (!claimed) res.status(204);
    return claimed ?? undefined;
  }
}
