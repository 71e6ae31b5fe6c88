import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { DEFAULT_ACTING_AGENCY, PathwayCommandsService } from './pathway-commands.service';
import {
  CreatePathwayDto,
  MigratePlaybookDto,
  PathwayAcceptedView,
  PathwayListQueryDto,
  PathwayPageView,
  PathwayView,
  RecordEventDto,
  TimelineView,
} from './pathway.dto';
import { PathwaysService } from './pathways.service';

const READER_HEADER = {
  name: 'x-agency',
  required: true,
  description: 'The reading agency (until there is authentication): OPERATIVE_GROUP, SIKKER_BY or POLICE_EAS',
};

const AGENCY_HEADER = {
  name: 'x-agency',
  required: false,
  description: `Code of the agency acting (until there is authentication); ${DEFAULT_ACTING_AGENCY} when absent`,
};

@ApiTags('pathways')
@Controller('pathways')
export class PathwaysController {
  constructor(
    private readonly pathways: PathwaysService,
    private readonly commands: PathwayCommandsService,
  ) {}

  @Post()
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
  @ApiAcceptedResponse({ type: PathwayAcceptedView, description: 'Started; the worker has not written its tasks yet' })
  @ApiBadRequestResponse({ description: 'A field is missing, unknown or invalid; `errors` names each one' })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used for a different request' })
  async open(
    @Body() dto: CreatePathwayDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @Headers('x-agency') agency?: string,
  ): Promise<PathwayView | PathwayAcceptedView> {
    const result = await this.pathways.open(dto, idempotencyKey, agency);
    res.status(result.status);
    return result.body;
  }

  @Get()
  @ApiHeader(READER_HEADER)
  @ApiOkResponse({ type: PathwayPageView, description: 'Pathways newest first, without personal data' })
  @ApiBadRequestResponse({ description: 'An unknown stage, track or district, a bad cursor or limit; no X-Agency' })
  @ApiForbiddenResponse({ description: 'Not a coordinator or steering group' })
  async list(@Query() query: PathwayListQueryDto, @Headers('x-agency') agency?: string): Promise<PathwayPageView> {
    await this.pathways.overseer(agency);
    return this.pathways.list(query);
  }

  @Get(':id')
  @ApiHeader(READER_HEADER)
  @ApiOkResponse({ type: PathwayView })
  @ApiBadRequestResponse({ description: 'X-Agency is missing or unknown' })
  @ApiForbiddenResponse({ description: 'Not a coordinator or steering group' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  async get(@Param('id') id: string, @Headers('x-agency') agency?: string): Promise<PathwayView> {
    await this.pathways.readAs(id, agency, 'READ_PATHWAY');
    return this.pathways.get(id);
  }

  @Get(':id/timeline')
  @ApiHeader(READER_HEADER)
  @ApiOkResponse({ type: TimelineView, description: 'Everything that happened on the pathway, in order' })
  @ApiBadRequestResponse({ description: 'X-Agency is missing or unknown' })
  @ApiForbiddenResponse({ description: 'Not a coordinator or steering group' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  async timeline(@Param('id') id: string, @Headers('x-agency') agency?: string): Promise<TimelineView> {
    await this.pathways.readAs(id, agency, 'READ_TIMELINE');
    return this.pathways.timeline(id);
  }

  @Post(':id/events')
  @HttpCode(200)
  @ApiHeader(AGENCY_HEADER)
  @ApiOkResponse({ type: PathwayView, description: 'Recorded; the pathway as it stands after the event' })
  @ApiBadRequestResponse({ description: 'A field of the event or its data is missing, unknown or invalid' })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  @ApiConflictResponse({ description: 'The event does not fit the pathway’s stage, or the pathway is closed' })
  recordEvent(
    @Param('id') id: string,
    @Body() dto: RecordEventDto,
    @Headers('x-agency') agency: string | undefined,
  ): Promise<PathwayView> {
    return this.commands.recordEvent(id, dto, agency);
  }

  @Post(':id/playbook-migration')
  @HttpCode(200)
  @ApiHeader(AGENCY_HEADER)
  @ApiOkResponse({ type: PathwayView, description: 'The pathway runs on the newer playbook from now on' })
  @ApiBadRequestResponse({ description: 'The version or reason is missing or invalid' })
  @ApiNotFoundResponse({ description: 'No pathway with that id, or no playbook with that version' })
  @ApiConflictResponse({ description: 'The version is not newer than the pathway’s, or the pathway is closed' })
  @ApiForbiddenResponse({ description: 'Not a coordinator or steering group' })
  migratePlaybook(
    @Param('id') id: string,
    @Body() dto: MigratePlaybookDto,
    @Headers('x-agency') agency: string | undefined,
  ): Promise<PathwayView> {
    return this.commands.migratePlaybook(id, dto, agency);
  }
}
