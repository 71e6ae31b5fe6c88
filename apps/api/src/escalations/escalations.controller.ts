import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { EscalationPageView, EscalationQueryDto, EscalationView, ResolveEscalationDto } from './escalation.dto';
import { EscalationsService } from './escalations.service';

@ApiTags('escalations')
@Controller('escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Get()
  @ApiOkResponse({ type: EscalationPageView, description: 'Open escalations: level 2 first, then the oldest' })
  @ApiBadRequestResponse({ description: 'Bad level, agency, cursor or limit' })
  board(@Query() query: EscalationQueryDto): Promise<EscalationPageView> {
    return this.escalations.board(query);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiHeader({ name: 'x-agency', required: false, description: 'Defaults to OPERATIVE_GROUP; only it decides' })
  @ApiOkResponse({ type: EscalationView })
  @ApiBadRequestResponse({ description: 'Missing note, dueAt with EXTEND, toAgency with REASSIGN, …' })
  @ApiForbiddenResponse({ description: 'Only the operative group resolves escalations' })
  @ApiNotFoundResponse({ description: 'No escalation with that id' })
  @ApiConflictResponse({ description: 'Already resolved, or the task is no longer open' })
  resolve(
    @Param('id') id: string,
    @Body() dto: ResolveEscalationDto,
    @Headers('x-agency') agency?: string,
  ): Promise<EscalationView> {
    return this.escalations.resolve(id, dto, agency);
  }
}
