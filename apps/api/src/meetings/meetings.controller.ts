import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Can } from '../core/actor';
import {
  AddMeetingItemDto,
  ApproveMeetingDto,
  CreateMeetingDto,
  MeetingDecisionDto,
  MeetingListView,
  MeetingView,
  RecommendationListView,
  RecommendationQueryDto,
} from './meeting.dto';
import { MeetingsService } from './meetings.service';

/** The operative group's meeting: agenda, decisions, minutes. */
@ApiTags('meetings')
@Controller('meetings')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @Post()
  @Can('meeting.hold')
  @ApiCreatedResponse({ type: MeetingView, description: 'The meeting with its agenda, generated now' })
  @ApiOkResponse({ type: MeetingView, description: 'The meeting of that date already exists: it, unchanged' })
  @ApiBadRequestResponse({ description: 'date is not a real date written YYYY-MM-DD' })
  async create(
    @Body() dto: CreateMeetingDto,
    @Actor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeetingView> {
    const { created, meeting } = await this.meetings.create(dto, actor);
    res.status(created ? 201 : 200);
    return meeting;
  }

  @Get()
  @Can('meeting.read')
  @ApiOkResponse({ type: MeetingListView })
  list(): Promise<MeetingListView> {
    return this.meetings.list();
  }

  // Before ':id', which would take "recommendations" for an id.
  @Get('recommendations')
  @Can('meeting.read')
  @ApiOkResponse({
    type: RecommendationListView,
    description: 'The recommendations to Sikker By of the meetings since `from`, for its next meeting (audited)',
  })
  @ApiBadRequestResponse({ description: 'from is not a real date written YYYY-MM-DD' })
  recommendations(@Query() query: RecommendationQueryDto, @Actor() actor: Actor): Promise<RecommendationListView> {
    return this.meetings.recommendations(query, actor);
  }

  @Get(':id')
  @Can('meeting.read')
  @ApiOkResponse({ type: MeetingView })
  @ApiNotFoundResponse({ description: 'No meeting with that id' })
  get(@Param('id') id: string): Promise<MeetingView> {
    return this.meetings.get(id);
  }

  @Post(':id/items')
  @Can('meeting.hold')
  @ApiCreatedResponse({ type: MeetingView, description: 'The item added last on the agenda' })
  @ApiOkResponse({ type: MeetingView, description: 'The same item was added before: the meeting, unchanged' })
  @ApiBadRequestResponse({ description: 'Missing or blank title or why, or pathwayId not a UUID' })
  @ApiNotFoundResponse({ description: 'No meeting, or no pathway, with that id' })
  @ApiConflictResponse({ description: 'The minutes are approved' })
  async addItem(
    @Param('id') id: string,
    @Body() dto: AddMeetingItemDto,
    @Actor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeetingView> {
    const { created, meeting } = await this.meetings.addItem(id, dto, actor);
    res.status(created ? 201 : 200);
    return meeting;
  }

  @Post(':id/items/:itemId/decision')
  @HttpCode(200)
  @Can('meeting.decide')
  @ApiOkResponse({
    type: MeetingView,
    description:
      'Recorded; an open escalation’s decision (not RECOMMEND) went to the pathway. The same decision again changes nothing.',
  })
  @ApiBadRequestResponse({
    description:
      'Missing note, dueAt with EXTEND, toAgency with REASSIGN, or a task decision on an item without an escalation',
  })
  @ApiNotFoundResponse({ description: 'No meeting or agenda item with that id' })
  @ApiConflictResponse({ description: 'Another decision already, approved minutes, or the task is no longer open' })
  decide(
    @Param('id') id: string,
    @Param('itemId') itemId: string,
    @Body() dto: MeetingDecisionDto,
    @Actor() actor: Actor,
  ): Promise<MeetingView> {
    return this.meetings.decide(id, itemId, dto, actor);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Can('meeting.hold')
  @ApiOkResponse({ type: MeetingView, description: 'The minutes approved with who was present; then unchangeable' })
  @ApiBadRequestResponse({ description: 'Nobody named as present' })
  @ApiNotFoundResponse({ description: 'No meeting with that id' })
  @ApiConflictResponse({ description: 'Approved already with other people present' })
  approve(@Param('id') id: string, @Body() dto: ApproveMeetingDto, @Actor() actor: Actor): Promise<MeetingView> {
    return this.meetings.approve(id, dto, actor);
  }

  @Get(':id/minutes')
  @Can('meeting.read')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The minutes (Danish PDF): who was present, every agenda item and its decision' })
  @ApiNotFoundResponse({ description: 'No meeting with that id' })
  async minutes(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.meetings.minutes(id);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    return new StreamableFile(file.body, { type: 'application/pdf', length: file.body.length });
  }
}
