import { Body, Controller, Get, Headers, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PlaybookSummaryView, PlaybookView } from './playbook.dto';
import { PlaybooksService } from './playbooks.service';

@ApiTags('playbooks')
@Controller('playbooks')
export class PlaybooksController {
  constructor(private readonly playbooks: PlaybooksService) {}

  // The body is typed `unknown` on purpose: its metatype is Object, which the global ValidationPipe passes through
  // untouched. A DTO class would let `whitelist` strip what validatePlaybook must see and report.
  @Post()
  @ApiBody({
    schema: { type: 'object', additionalProperties: true },
    description: 'A whole playbook document (the shape of libs/domain/playbooks/v1.json) with a new version',
  })
  @ApiCreatedResponse({ type: PlaybookSummaryView, description: 'Published; new pathways start on it' })
  @ApiBadRequestResponse({ description: 'The document is invalid or names an unknown agency; `errors` locates each' })
  @ApiConflictResponse({ description: 'The version is not newer than the newest published one' })
  @ApiForbiddenResponse({ description: 'X-Agency names an agency that is not a coordinator or steering group' })
  @ApiHeader({ name: 'x-agency', required: false, description: 'The publishing agency; OPERATIVE_GROUP when absent' })
  publish(@Body() document: unknown, @Headers('x-agency') agency?: string): Promise<PlaybookSummaryView> {
    return this.playbooks.publish(document, agency);
  }

  @Get()
  @ApiOkResponse({ type: [PlaybookSummaryView], description: 'Every published version, newest first' })
  list(): Promise<PlaybookSummaryView[]> {
    return this.playbooks.list();
  }

  @Get(':version')
  @ApiOkResponse({ type: PlaybookView })
  @ApiNotFoundResponse({ description: 'No playbook with that version' })
  get(@Param('version') version: string): Promise<PlaybookView> {
    return this.playbooks.get(version);
  }
}
