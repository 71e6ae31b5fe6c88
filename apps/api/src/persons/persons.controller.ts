import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Can } from '../core/actor';
import { PersonSearchQueryDto, PersonSearchView } from './person.dto';
import { PersonsService } from './persons.service';

@ApiTags('persons')
@Controller('persons')
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @Get()
  @Can('person.search')
  @ApiOkResponse({
    type: PersonSearchView,
    description: 'The people whose name has every word given and/or who were born that day, with their pathways',
  })
  @ApiBadRequestResponse({ description: 'Neither a name word of two letters nor a birth date, or a bad date' })
  search(@Query() query: PersonSearchQueryDto, @Actor() actor: Actor): Promise<PersonSearchView> {
    return this.persons.find(query, actor);
  }
}
