import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Can } from '../core/actor';
import { respond } from '../core/respond';
import { ErasureRequestDto, ErasureView } from './person.dto';
import { PersonsService } from './persons.service';

@ApiTags('persons')
@Controller('persons')
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @Post(':id/erasure')
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
