import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, Can } from '../core/actor';
import { ApiCommandKey } from '../core/command-key';
import {
  EscalationPageView,
  EscalationQueryDto,
  EscalationView,
  ResolveEscalationDto,
  ResolvedEscalationQueryDto,
} from './escalation.dto';
import { EscalationsService } from './escalations.service';

@ApiTags('escalations')
@Controller('escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Get()
  @Can('escalation.board')
  @ApiOkResponse({
    type: EscalationPageView,
    description: 'Open escalations: level 2 first, then the oldest (audited)',
  })
  @ApiBadRequestResponse({ description: 'Bad level, agency, cursor or limit' })
  board(@Query() query: EscalationQueryDto, @Actor() actor: Actor): Promise<EscalationPageView> {
    return this.escalations.board(query, actor);
  }

  @Get('resolved')
  @Can('escalation.board')
  @ApiOkResponse({
    type: EscalationPageView,
    description: 'Resolved escalations with their decision and note, the latest resolved first (audited)',
  })
  @ApiBadRequestResponse({ description: 'Bad level, agency, decision, cursor or limit' })
  history(@Query() query: ResolvedEscalationQueryDto, @Actor() actor: Actor): Promise<EscalationPageView> {
    return this.escalations.history(query, actor);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Can('escalation.resolve')
  @ApiOkResponse({ type: EscalationView })
  @ApiBadRequestResponse({ description: 'Missing note, dueAt with EXTEND, toAgency with REASSIGN, …' })
  @ApiNotFoundResponse({ description: 'No escalation with that id' })
  @ApiConflictResponse({
    description: 'Already resolved, the task is no longer open, or the Idempotency-Key was used for another request',
  })
  @ApiCommandKey()
  resolve(
    @Param('id') id: string,
    @Body() dto: ResolveEscalationDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: Actor,
  ): Promise<EscalationView> {
    return this.escalations.resolve(id, dto, key, actor);
  }
}
