import { Body, Controller, Get, Param, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Can } from '../core/actor';
import {
  ActivityGoalsDto,
  ActivityGoalsView,
  ExternalFiguresDto,
  ExternalFiguresView,
  ReportQueryDto,
} from './reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('goals/:year')
  @Can('report.read')
  @ApiOkResponse({ type: ActivityGoalsView, description: 'The activity goals the steering group set for the year' })
  @ApiBadRequestResponse({ description: 'Not a year from 2000 to 2100' })
  goals(@Param('year') year: string): Promise<ActivityGoalsView> {
    return this.reports.goals(year);
  }

  @Put('goals/:year')
  @Can('report.set-goals')
  @ApiOkResponse({
    type: ActivityGoalsView,
    description: 'The year’s goals replaced by these; a repeat changes nothing',
  })
  @ApiBadRequestResponse({ description: 'A bad year, task type, label or target, or a task type twice' })
  setGoals(
    @Param('year') year: string,
    @Body() dto: ActivityGoalsDto,
    @Actor() actor: Actor,
  ): Promise<ActivityGoalsView> {
    return this.reports.setGoals(year, dto, actor);
  }

  @Get('figures/:year')
  @Can('report.read')
  @ApiOkResponse({ type: ExternalFiguresView, description: 'Figures from other sources entered for the year' })
  @ApiBadRequestResponse({ description: 'Not a year from 2000 to 2100' })
  externalFigures(@Param('year') year: string): Promise<ExternalFiguresView> {
    return this.reports.externalFigures(year);
  }

  @Put('figures/:year')
  @Can('report.set-goals')
  @ApiOkResponse({
    type: ExternalFiguresView,
    description: 'The year’s figures replaced by these, each with its source',
  })
  @ApiBadRequestResponse({ description: 'A bad year, code, label, value or source, or a code twice' })
  setExternalFigures(
    @Param('year') year: string,
    @Body() dto: ExternalFiguresDto,
    @Actor() actor: Actor,
  ): Promise<ExternalFiguresView> {
    return this.reports.setExternalFigures(year, dto, actor);
  }

  @Get('yearly/:year')
  @Can('report.read')
  @ApiProduces('application/pdf', 'text/csv')
  @ApiOkResponse({
    description:
      'The joint yearly status report (Danish) as PDF or CSV: activity goals vs actual, stage and outcome figures, ' +
      'SLA compliance, figures from other sources, a method note. No figure from fewer than REPORT_MIN_CELL people.',
  })
  @ApiBadRequestResponse({ description: 'Not a year from 2000 to 2100, or a format other than pdf or csv' })
  async yearly(
    @Param('year') year: string,
    @Query() query: ReportQueryDto,
    @Actor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.reports.yearly(year, query, actor);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    return new StreamableFile(file.body, { type: file.contentType, length: file.body.length });
  }
}
