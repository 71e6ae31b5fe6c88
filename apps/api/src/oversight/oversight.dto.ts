import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches, ValidateBy } from 'class-validator';
import { CLOSING_OUTCOMES, STAGES } from '../../../../libs/domain/src';

/**
 * A figure of the dashboard: the number, or for the steering group and managers, when it is hidden by small-number
 * suppression, the mark the yearly report prints ("<3" from 1 to N-1 people, "x" hidden so another hidden figure
 * cannot be worked out).
 */
export type Figure = number | string;
const FIGURE_SCHEMA = { oneOf: [{ type: 'number' }, { type: 'string', example: '<3' }] };
const FigureProperty = (description?: string) => ApiProperty({ ...FIGURE_SCHEMA, description });
const MeasureProperty = (description: string) =>
  ApiProperty({ ...FIGURE_SCHEMA, nullable: true, description: `${description}; or "<3"/"x" when hidden` });
const MinCellProperty = () =>
  ApiProperty({
    nullable: true,
    type: Number,
    description:
      'The smallest group a figure shows (REPORT_MIN_CELL) for the steering group and managers, whose figures are ' +
      'suppressed as in the yearly report; null for the operative group, who sees the pathways themselves',
  });

export const MONTH_PATTERN = /^(20\d\d|2100)-(0[1-9]|1[0-2])$/;
export const YEAR_PATTERN = /^(20\d\d|2100)$/;
/** The SLA table covers at most a year of months per request. */
export const MAX_SLA_MONTHS = 12;
/** Started and closed pathways: at most five years of quarters per request. */
export const MAX_QUARTER_YEARS = 5;

export class SlaQueryDto {
  @ApiPropertyOptional({ example: '2026-01', description: 'First month (YYYY-MM); two months before `to` by default' })
  @IsOptional()
  @Matches(MONTH_PATTERN, { message: 'must be a month as YYYY-MM' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11', description: 'Last month (YYYY-MM), inclusive; this month by default' })
  @IsOptional()
  @Matches(MONTH_PATTERN, { message: 'must be a month as YYYY-MM' })
  to?: string;
}

export class DeadlineQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 7, description: 'What counts as due soon, in days' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^[0-9]{1,3}$/.test(value) ? Number(value) : value,
  )
  @ValidateBy({
    name: 'isSoonDays',
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 90,
      defaultMessage: () => 'must be a whole number from 1 to 90',
    },
  })
  soonDays?: number;
}

export class WorkloadQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 90,
    default: 7,
    description: 'An assignee without any action (a request to the API, a claim) for this many days counts as absent',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^[0-9]{1,3}$/.test(value) ? Number(value) : value,
  )
  @ValidateBy({
    name: 'isAbsentDays',
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 90,
      defaultMessage: () => 'must be a whole number from 1 to 90',
    },
  })
  absentDays?: number;
}

export class QuarterQueryDto {
  @ApiPropertyOptional({ example: '2025', description: 'First year; `to` by default' })
  @IsOptional()
  @Matches(YEAR_PATTERN, { message: 'must be a year as YYYY' })
  from?: string;

  @ApiPropertyOptional({ example: '2026', description: 'Last year, inclusive; this year by default' })
  @IsOptional()
  @Matches(YEAR_PATTERN, { message: 'must be a year as YYYY' })
  to?: string;
}

export class StageFigureView {
  @ApiProperty({ enum: STAGES.filter((s) => s !== 'CLOSED') }) stage!: string;
  @FigureProperty('Open pathways in the stage') open!: Figure;
  @FigureProperty('Median days in the stage so far (0 without pathways)') medianDaysInStage!: Figure;
  @FigureProperty('Longest time in the stage so far, in days') maxDaysInStage!: Figure;
}

export class StagesView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @MinCellProperty() minCell!: number | null;
  @FigureProperty('Open pathways in all') open!: Figure;
  @ApiProperty({ type: [StageFigureView], description: 'Every stage but CLOSED, in the order of the pathway' })
  stages!: StageFigureView[];
}

export class SlaFigureView {
  @ApiProperty({ example: '2026-10' }) month!: string;
  @ApiPropertyOptional({ description: 'Absent in a month’s total' }) agency?: string;
  @ApiPropertyOptional({ description: 'Absent in a month’s total' }) taskType?: string;
  @FigureProperty('Tasks done in the month') done!: Figure;
  @FigureProperty('Done at or before the deadline') onTime!: Figure;
  @MeasureProperty('onTime / done (0–1); null without done tasks') onTimeShare!: Figure | null;
  @MeasureProperty('Median hours past the deadline of the late ones') medianLateHours!: Figure | null;
  @FigureProperty('Done tasks that had been claimed (queue and work time are known for these)') claimed!: Figure;
  @MeasureProperty('Median hours from creation to the first claim') medianQueueHours!: Figure | null;
  @MeasureProperty('Median hours from the first claim to done') medianWorkHours!: Figure | null;
}

export class SlaView {
  @ApiProperty({ example: '2026-09' }) from!: string;
  @ApiProperty({ example: '2026-11' }) to!: string;
  @MinCellProperty() minCell!: number | null;
  @ApiProperty({ type: [SlaFigureView], description: 'Every month of the range, also those without done tasks' })
  months!: SlaFigureView[];
  @ApiProperty({ type: [SlaFigureView], description: 'Per month, agency and task type that had done tasks' })
  rows!: SlaFigureView[];
}

export class DeadlineFigureView {
  @ApiProperty() agency!: string;
  @ApiProperty({ description: 'Open or claimed tasks past their deadline' }) overdue!: number;
  @ApiProperty({ description: 'Open or claimed tasks due within soonDays' }) dueSoon!: number;
}

export class DeadlinesView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() soonDays!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty() dueSoon!: number;
  @ApiProperty({ type: [DeadlineFigureView], description: 'Every active agency, also those without open work' })
  agencies!: DeadlineFigureView[];
}

export class WorkloadFigureView {
  @ApiProperty() agency!: string;
  @ApiProperty({ description: 'Open tasks nobody has claimed' }) unassigned!: number;
  @ApiProperty({ description: 'Claimed tasks not yet done' }) claimed!: number;
  @ApiProperty({ description: 'Distinct caseworkers holding claimed tasks' }) assignees!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Age of the oldest open task in days' })
  oldestOpenDays!: number | null;
  @ApiProperty({ description: 'Claimed tasks whose assignee has taken no action for absentDays days' })
  absentClaimed!: number;
  @ApiProperty({ description: 'Distinct assignees without any action for absentDays days holding claimed tasks' })
  absentAssignees!: number;
}

export class WorkloadView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Open tasks nobody has claimed, all agencies' }) unassigned!: number;
  @ApiProperty() claimed!: number;
  @ApiProperty({ description: 'Days without action after which an assignee counts as absent' }) absentDays!: number;
  @ApiProperty({ description: 'Claimed tasks held by absent assignees, all agencies' }) absentClaimed!: number;
  @ApiProperty({ type: [WorkloadFigureView], description: 'Every active agency, also those without open work' })
  agencies!: WorkloadFigureView[];
}

export class StalledFigureView {
  @ApiProperty({ enum: STAGES.filter((s) => s !== 'CLOSED') }) stage!: string;
  @FigureProperty() stalled!: Figure;
  @FigureProperty('Median days since the last progress (0 without stalled pathways)') medianDays!: Figure;
  @FigureProperty() maxDays!: Figure;
  @ApiProperty({ description: 'Stalled pathways by days since the last progress (each a number, or "<3"/"x")' })
  byDays!: { under30: Figure; from30to59: Figure; from60to89: Figure; over90: Figure };
}

export class StalledView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @MinCellProperty() minCell!: number | null;
  @FigureProperty() stalled!: Figure;
  @ApiProperty({ type: [StalledFigureView] }) stages!: StalledFigureView[];
}

export class QuarterFigureView {
  @ApiProperty({ example: '2026-Q3' }) quarter!: string;
  @FigureProperty('Pathways opened in the quarter') started!: Figure;
  @FigureProperty('Pathways closed in the quarter') closed!: Figure;
  @ApiProperty({
    description: 'Closed by outcome; every outcome present',
    example: Object.fromEntries(CLOSING_OUTCOMES.map((o) => [o, 0])),
  })
  closedByOutcome!: Record<string, Figure>;
}

export class QuartersView {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @MinCellProperty() minCell!: number | null;
  @ApiProperty({ type: [QuarterFigureView], description: 'Every quarter of the years, also those without pathways' })
  quarters!: QuarterFigureView[];
}
