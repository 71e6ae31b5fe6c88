import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, Matches, ValidateBy } from 'class-validator';
import { CLOSING_OUTCOMES, STAGES } from '../../../../libs/domain/src';

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
  @ApiProperty({ description: 'Open pathways in the stage' }) open!: number;
  @ApiProperty({ description: 'Median days in the stage so far (0 without pathways)' }) medianDaysInStage!: number;
  @ApiProperty({ description: 'Longest time in the stage so far, in days' }) maxDaysInStage!: number;
}

export class StagesView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Open pathways in all' }) open!: number;
  @ApiProperty({ type: [StageFigureView], description: 'Every stage but CLOSED, in the order of the pathway' })
  stages!: StageFigureView[];
}

export class SlaFigureView {
  @ApiProperty({ example: '2026-10' }) month!: string;
  @ApiPropertyOptional({ description: 'Absent in a month’s total' }) agency?: string;
  @ApiPropertyOptional({ description: 'Absent in a month’s total' }) taskType?: string;
  @ApiProperty({ description: 'Tasks done in the month' }) done!: number;
  @ApiProperty({ description: 'Done at or before the deadline' }) onTime!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'onTime / done (0–1); null without done tasks' })
  onTimeShare!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Median hours past the deadline of the late ones' })
  medianLateHours!: number | null;
  @ApiProperty({ description: 'Done tasks that had been claimed (queue and work time are known for these)' })
  claimed!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Median hours from creation to the first claim' })
  medianQueueHours!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Median hours from the first claim to done' })
  medianWorkHours!: number | null;
}

export class SlaView {
  @ApiProperty({ example: '2026-09' }) from!: string;
  @ApiProperty({ example: '2026-11' }) to!: string;
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
}

export class WorkloadView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Open tasks nobody has claimed, all agencies' }) unassigned!: number;
  @ApiProperty() claimed!: number;
  @ApiProperty({ type: [WorkloadFigureView], description: 'Every active agency, also those without open work' })
  agencies!: WorkloadFigureView[];
}

export class StalledFigureView {
  @ApiProperty({ enum: STAGES.filter((s) => s !== 'CLOSED') }) stage!: string;
  @ApiProperty() stalled!: number;
  @ApiProperty({ description: 'Median days since the last progress (0 without stalled pathways)' })
  medianDays!: number;
  @ApiProperty() maxDays!: number;
  @ApiProperty({ description: 'Stalled pathways by days since the last progress' })
  byDays!: { under30: number; from30to59: number; from60to89: number; over90: number };
}

export class StalledView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() stalled!: number;
  @ApiProperty({ type: [StalledFigureView] }) stages!: StalledFigureView[];
}

export class QuarterFigureView {
  @ApiProperty({ example: '2026-Q3' }) quarter!: string;
  @ApiProperty({ description: 'Pathways opened in the quarter' }) started!: number;
  @ApiProperty({ description: 'Pathways closed in the quarter' }) closed!: number;
  @ApiProperty({
    description: 'Closed by outcome; every outcome present',
    example: Object.fromEntries(CLOSING_OUTCOMES.map((o) => [o, 0])),
  })
  closedByOutcome!: Record<string, number>;
}

export class QuartersView {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty({ type: [QuarterFigureView], description: 'Every quarter of the years, also those without pathways' })
  quarters!: QuarterFigureView[];
}
