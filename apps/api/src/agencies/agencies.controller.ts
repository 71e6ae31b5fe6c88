import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AgenciesService } from './agencies.service';
import { AgencyView, QueueQueryDto, TaskPageView } from './agency.dto';

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
  @ApiOkResponse({ type: TaskPageView, description: 'The agency’s open tasks, earliest due first' })
  @ApiBadRequestResponse({ description: 'Bad cursor or limit' })
  @ApiNotFoundResponse({ description: 'No agency with that code' })
  queue(@Param('code') code: string, @Query() query: QueueQueryDto): Promise<TaskPageView> {
    return this.agencies.queue(code, query);
  }
}
