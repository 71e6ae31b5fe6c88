import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Can } from '../core/actor';
import { PlaybookSummaryView, PlaybookView } from './playbook.dto';
import { PlaybooksService } from './playbooks.service';

@ApiTags('playbooks')
@Controller('playbooks')
export class PlaybooksController {
  constructor(private readonly playbooks: PlaybooksService) {}

  // The body is typed `unknown` on purpose: its metatype is Object, which the global ValidationPipe passes through
  // untouched. A DTO class would let `whitelist` strip what validatePlaybook must see and report.
  @Post()
  @Can('playbook.publish')
  @ApiBody({
    schema: { type: 'object', additionalProperties: true },
    description: 'A whole playbook document (the shape of libs/domain/playbooks/v1.json) with a new version',
  })
  @ApiCreatedResponse({
    type: PlaybookSummaryView,
    description: 'Published; new pathways start on it (at once through this API process, within 5 s through any other)',
  })
  @ApiBadRequestResponse({ description: 'The document is invalid or names an unknown agency; `errors` locates each' })
  @ApiConflictResponse({ description: 'The version is not newer than the newest published one' })
  publish(@Body() document: unknown): Promise<PlaybookSummaryView> {
    return this.playbooks.publish(document);
  }

  @Get()
  @Can('playbook.list')
  @ApiOkResponse({ type: [PlaybookSummaryView], description: 'Every published version, newest first' })
  list(): Promise<PlaybookSummaryView[]> {
    return this.playbooks.list();
  }

  @Get(':version')
  @Can('playbook.read')
  @ApiOkResponse({ type: PlaybookView })
  @ApiNotFoundResponse({ description: 'No playbook with that version' })
  get(@Param('version') version: string): Promise<PlaybookView> {
    return this.playbooks.get(version);
  }
}
