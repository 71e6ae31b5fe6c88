import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Can } from '../core/actor';
import { respond } from '../core/respond';
import { ErasureRequestDto, ErasureView, KeepPersonDto, KeptView, RetentionReviewsView } from './person.dto';
import { PersonsService } from './persons.service';

@ApiTags('persons')
@Controller()
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @Get('retention/reviews')
  @Can('retention.read')
  @ApiOkResponse({
    type: RetentionReviewsView,
    description: 'Persons past their retention period: erased after `reviewUntil` unless kept (ids and dates only)',
  })
  reviews(@Actor() actor: Actor): Promise<RetentionReviewsView> {
    return this.persons.reviews(actor);
  }

  @Post('persons/:id/retention')
  @HttpCode(200)
  @Can('person.keep')
  @ApiOkResponse({ type: KeptView, description: 'Kept until the date; reviewed again after it' })
  @ApiBadRequestResponse({ description: '`reason` or `keepUntil` is missing or invalid; `errors` names each one' })
  @ApiConflictResponse({ description: 'The person was erased already' })
  @ApiNotFoundResponse({ description: 'No person with that id' })
  keep(@Param('id') id: string, @Body() dto: KeepPersonDto, @Actor() actor: Actor): Promise<KeptView> {
    return this.persons.keep(id, dto, actor);
  }

  @Post('persons/:id/erasure')
  @Can('person.erase')
  @ApiAcceptedResponse({ type: ErasureView, description: 'Asked; a second coordinator must confirm (the same call)' })
  @ApiOkResponse({
    type: ErasureView,
    description: 'Confirmed by a second coordinator and done, or done already: the key is destroyed, the rows gone',
  })
  @ApiBadRequestResponse({ description: '`reason` is missing or not one of the codes' })
  @ApiForbiddenResponse({ description: 'Not a coordinator, or the coordinator who asked tries to confirm (four eyes)' })
  @ApiNotFoundResponse({ description: 'No person with that id' })
  erase(
    @Param('id') id: string,
    @Body() dto: ErasureRequestDto,
    @Res({ passthrough: true }) res: Response,
    @Actor() actor: Actor,
  ): Promise<ErasureView | undefined> {
    return respond(res, this.persons.erase(id, dto, actor));
  }
}
