import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/** A task type of the playbooks, or a code for an external figure: capitals, digits and underscores. */
export const CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,63}$/;
export const REPORT_FORMATS = ['pdf', 'csv'] as const;

export class ActivityGoalDto {
  @ApiProperty({ example: 'PREVENTIVE_HOME_VISIT', description: 'The task type whose done tasks count towards it' })
  @Matches(CODE_PATTERN, { message: 'must be a task type such as PREVENTIVE_HOME_VISIT' })
  taskType!: string;

  @ApiProperty({ example: 'Forebyggende hjemmebesøg', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  label!: string;

  @ApiProperty({ example: 120, minimum: 0, maximum: 1000000, description: 'People to reach in the year' })
  @IsInt({ message: 'must be a whole number from 0 to 1000000' })
  @Min(0, { message: 'must be a whole number from 0 to 1000000' })
  @Max(1_000_000, { message: 'must be a whole number from 0 to 1000000' })
  target!: number;
}

export class ActivityGoalsDto {
  @ApiProperty({ type: [ActivityGoalDto], maxItems: 50, description: 'The year’s goals; replaces those set before' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ActivityGoalDto)
  goals!: ActivityGoalDto[];
}

export class ExternalFigureDto {
  @ApiProperty({ example: 'TRYGHED_UTRYGHED', description: 'A code for the figure, unique within the year' })
  @Matches(CODE_PATTERN, { message: 'must be a code of capitals, digits and _' })
  code!: string;

  @ApiProperty({ example: 'Andel der føler sig utrygge i området', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(/\S/, { message: 'must not be blank' })
  label!: string;

  @ApiProperty({ example: 18.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' })
  @Min(-1e12, { message: 'must be a number from -1e12 to 1e12' })
  @Max(1e12, { message: 'must be a number from -1e12 to 1e12' })
  value!: number;

  @ApiPropertyOptional({ example: '%', maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  unit?: string;

  @ApiProperty({ example: 'Tryghedsundersøgelsen 2026, Københavns Kommune', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(/\S/, { message: 'must not be blank' })
  source!: string;
}

export class ExternalFiguresDto {
  @ApiProperty({ type: [ExternalFigureDto], maxItems: 50, description: 'The year’s figures; replaces those before' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ExternalFigureDto)
  figures!: ExternalFigureDto[];
}

export class ReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'pdf' })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: 'must be pdf or csv' })
  format?: (typeof REPORT_FORMATS)[number];
}

export class ActivityGoalView {
  @ApiProperty() taskType!: string;
  @ApiProperty() label!: string;
  @ApiProperty() target!: number;
  @ApiProperty({ description: 'The agency that set it' }) setBy!: string;
  @ApiProperty({ format: 'date-time' }) setAt!: string;
}

export class ActivityGoalsView {
  @ApiProperty() year!: number;
  @ApiProperty({ type: [ActivityGoalView] }) goals!: ActivityGoalView[];
}

export class ExternalFigureView {
  @ApiProperty() code!: string;
  @ApiProperty() label!: string;
  @ApiProperty() value!: number;
  @ApiPropertyOptional() unit?: string;
  @ApiProperty() source!: string;
  @ApiProperty({ description: 'The agency that entered it' }) enteredBy!: string;
  @ApiProperty({ format: 'date-time' }) enteredAt!: string;
}

export class ExternalFiguresView {
  @ApiProperty() year!: number;
  @ApiProperty({ type: [ExternalFigureView] }) figures!: ExternalFigureView[];
}
