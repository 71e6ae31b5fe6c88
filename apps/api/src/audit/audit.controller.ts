import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Can } from '../core/actor';
import { AccessReportView, AuditPageView, AuditQueryDto, AuditVerificationView } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit')
  @Can('audit.read')
  @ApiOkResponse({ type: AuditPageView, description: 'Rows of the audit trail, newest first (this read is one too)' })
  @ApiBadRequestResponse({ description: 'A filter, the cursor or the limit is malformed' })
  list(@Query() query: AuditQueryDto, @Actor() actor: Actor): Promise<AuditPageView> {
    return this.audit.list(query, actor);
  }

  @Get('audit/verify')
  @Can('audit.verify')
  @ApiOkResponse({ type: AuditVerificationView, description: 'The hash chain walked from the first row' })
  verify(@Actor() actor: Actor): Promise<AuditVerificationView> {
    return this.audit.verify(actor);
  }

  @Get('persons/:id/access-report')
  @Can('person.access-report')
  @ApiOkResponse({ type: AccessReportView, description: 'Who looked at the person, when and why' })
  @ApiNotFoundResponse({ description: 'No person with that id has ever been known' })
  accessReport(@Param('id') id: string, @Actor() actor: Actor): Promise<AccessReportView> {
    return this.audit.accessReport(id, actor);
  }
}
