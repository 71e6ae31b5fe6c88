import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Can } from '../core/actor';
import {
  DeadlineQueryDto,
  DeadlinesView,
  QuarterQueryDto,
  QuartersView,
  SlaQueryDto,
  SlaView,
  StagesView,
  StalledView,
  WorkloadQueryDto,
  WorkloadView,
} from './oversight.dto';
import { OversightService } from './oversight.service';

/** Aggregates only: no answer here names a person or a pathway. Every answer is audited as STATISTICS. */
@ApiTags('oversight')
@Controller('oversight')
export class OversightController {
  constructor(private readonly oversight: OversightService) {}

  @Get('stages')
  @Can('oversight.read')
  @ApiOkResponse({ type: StagesView, description: 'Open pathways per stage and how long they have been there' })
  stages(@Actor() actor: Actor): Promise<StagesView> {
    return this.oversight.stages(actor);
  }

  @Get('sla')
  @Can('oversight.read')
  @ApiOkResponse({ type: SlaView, description: 'Tasks done on time per month, agency and task type' })
  @ApiBadRequestResponse({ description: 'A month that is not YYYY-MM, from after to, or more than 12 months' })
  sla(@Query() query: SlaQueryDto, @Actor() actor: Actor): Promise<SlaView> {
    return this.oversight.sla(query, actor);
  }

  @Post('sla/:month/recompute')
  @HttpCode(200)
  @Can('oversight.recompute')
  @ApiOkResponse({ type: SlaView, description: 'The month’s SLA figures, computed again now (audited)' })
  @ApiBadRequestResponse({ description: 'Not a month as YYYY-MM, or not a past month' })
  recomputeSla(@Param('month') month: string, @Actor() actor: Actor): Promise<SlaView> {
    return this.oversight.recomputeSla(month, actor);
  }

  @Get('deadlines')
  @Can('oversight.read')
  @ApiOkResponse({ type: DeadlinesView, description: 'Overdue and due-soon open tasks per agency' })
  @ApiBadRequestResponse({ description: 'soonDays not a whole number from 1 to 90' })
  deadlines(@Query() query: DeadlineQueryDto, @Actor() actor: Actor): Promise<DeadlinesView> {
    return this.oversight.deadlines(query, actor);
  }

  @Get('workload')
  @Can('oversight.read')
  @ApiOkResponse({
    type: WorkloadView,
    description: 'Open work per agency: unassigned, claimed, caseworkers, and work held by absent assignees',
  })
  @ApiBadRequestResponse({ description: 'absentDays not a whole number from 1 to 90' })
  workload(@Query() query: WorkloadQueryDto, @Actor() actor: Actor): Promise<WorkloadView> {
    return this.oversight.workload(query, actor);
  }

  @Get('stalled')
  @Can('oversight.read')
  @ApiOkResponse({ type: StalledView, description: 'Stalled pathways per stage and for how long' })
  stalled(@Actor() actor: Actor): Promise<StalledView> {
    return this.oversight.stalled(actor);
  }

  @Get('quarters')
  @Can('oversight.read')
  @ApiOkResponse({ type: QuartersView, description: 'Pathways started and closed (by outcome) per quarter' })
  @ApiBadRequestResponse({ description: 'A year that is not YYYY, from after to, or more than 5 years' })
  quarters(@Query() query: QuarterQueryDto, @Actor() actor: Actor): Promise<QuartersView> {
    return this.oversight.quarters(query, actor);
  }
}
