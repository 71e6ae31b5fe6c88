// The steering group's activity goals and external figures, and the joint yearly status report built from the
// aggregates with small-number suppression. Reading the report is audited as STATISTICS, like the dashboard.
import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_SUPPRESSION_THRESHOLD, type Actor } from '../../../../libs/domain/src';
import { OversightRepository } from '../../../../libs/persistence/src';
import type { ApiConfig } from '../config';
import { AuditTrail } from '../core/audit-trail';
import { API_CONFIG } from '../core/tokens';
import { badRequest } from '../core/validation';
import { OPEN_STAGES } from '../oversight/oversight.service';
import { YEAR_PATTERN } from '../oversight/oversight.dto';
import { reportCsv } from './report-csv';
import { reportPdf } from './report-pdf';
import { buildYearlyReport, type YearlyReport } from './yearly-report';
import type {
  ActivityGoalsDto,
  ActivityGoalsView,
  ExternalFiguresDto,
  ExternalFiguresView,
  ReportQueryDto,
} from './reports.dto';

export interface ReportFile {
  contentType: string;
  fileName: string;
  body: Buffer;
}

function parseYear(text: string): number {
  if (!YEAR_PATTERN.test(text)) throw badRequest([{ field: 'year', reason: 'must be a year from 2000 to 2100' }]);
  return Number(text);
}

function unique(values: string[], field: string): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) throw badRequest([{ field: `${field}.${i}`, reason: `appears more than once (${v})` }]);
    seen.add(v);
  });
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly figures: OversightRepository,
    private readonly trail: AuditTrail,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async goals(yearText: string): Promise<ActivityGoalsView> {
    const year = parseYear(yearText);
    const goals = await this.figures.goals(year);
    return {
      year,
      goals: goals.map(({ taskType, label, target, setBy, setAt }) => ({ taskType, label, target, setBy, setAt })),
    };
  }

  async setGoals(yearText: string, dto: ActivityGoalsDto, actor: Actor): Promise<ActivityGoalsView> {
    const year = parseYear(yearText);
    unique(
      dto.goals.map((g) => g.taskType),
      'goals',
    );
    await this.figures.setGoals(
      year,
      dto.goals.map((g) => ({ taskType: g.taskType, label: g.label.trim(), target: g.target })),
      actor.agency,
    );
    return this.goals(yearText);
  }

  async externalFigures(yearText: string): Promise<ExternalFiguresView> {
    const year = parseYear(yearText);
    const rows = await this.figures.figures(year);
    return {
      year,
      figures: rows.map((f) => ({
        code: f.code,
        label: f.label,
        value: f.value,
        ...(f.unit ? { unit: f.unit } : {}),
        source: f.source,
        enteredBy: f.enteredBy,
        enteredAt: f.enteredAt,
      })),
    };
  }

  async setExternalFigures(yearText: string, dto: ExternalFiguresDto, actor: Actor): Promise<ExternalFiguresView> {
    const year = parseYear(yearText);
    unique(
      dto.figures.map((f) => f.code),
      'figures',
    );
    await this.figures.setFigures(
      year,
      dto.figures.map((f) => ({
        code: f.code,
        label: f.label.trim(),
        value: f.value,
        ...(f.unit?.trim() ? { unit: f.unit.trim() } : {}),
        source: f.source.trim(),
      })),
      actor.agency,
    );
    return this.externalFigures(yearText);
  }

  async yearly(yearText: string, query: ReportQueryDto, actor: Actor): Promise<ReportFile> {
    const year = parseYear(yearText);
    const report = await this.build(year);
    await this.trail.statistics(actor, 'yearly report');
    const name = `statusrapport-${year}`;
    if (query.format === 'csv') {
      return {
        contentType: 'text/csv; charset=utf-8',
        fileName: `${name}.csv`,
        body: Buffer.from(reportCsv(report), 'utf8'),
      };
    }
    return { contentType: 'application/pdf', fileName: `${name}.pdf`, body: await reportPdf(report) };
  }

  async build(year: number): Promise<YearlyReport> {
    const generatedAt = new Date();
    const goals = await this.figures.goals(year);
    const [actuals, stages, quarters, sla, figures] = await Promise.all([
      this.figures.doneInYear(
        year,
        goals.map((g) => g.taskType),
      ),
      this.figures.stages(generatedAt),
      this.figures.quarters(year, year),
      this.figures.slaYear(year),
      this.figures.figures(year),
    ]);
    return buildYearlyReport({
      year,
      generatedAt,
      threshold: this.config.reportMinCell ?? DEFAULT_SUPPRESSION_THRESHOLD,
      goals,
      actuals,
      stages,
      openStages: OPEN_STAGES,
      started: quarters.started,
      closed: quarters.closed,
      slaByAgency: sla.filter((r) => r.by === 'agency'),
      slaByMonth: sla.filter((r) => r.by === 'month'),
      slaTotal: sla.find((r) => r.by === 'total'),
      figures,
    });
  }
}
