import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { STAGES } from '../../../../libs/domain/src';
import { IsPastCalendarDate, NfcText } from '../core/validation';

export class PersonSearchQueryDto {
  @ApiPropertyOptional({
    example: 'ali hassan',
    maxLength: 200,
    description: 'Every word (two letters or more) must be one of the name’s words; case, æ/ø/å and accents folded',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @NfcText()
  name?: string;

  @ApiPropertyOptional({ example: '2010-05-17', description: 'YYYY-MM-DD: exactly this birth date' })
  @IsOptional()
  @IsPastCalendarDate()
  birthDate?: string;
}

export class PersonPathwayView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: STAGES }) stage!: string;
  @ApiProperty({ enum: ['OPEN', 'CLOSED'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
}

export class PersonResultView {
  @ApiProperty({
    format: 'uuid',
    description:
      'The person as the read model keeps them: one record per pathway. Records with the same name (as the index ' +
      'folds it) and birth date are one result, named by the id of its oldest pathway.',
  })
  personId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty({ type: [PersonPathwayView] }) pathways!: PersonPathwayView[];
}

export class PersonSearchView {
  @ApiProperty({ type: [PersonResultView] }) items!: PersonResultView[];
  @ApiProperty({ description: 'More pathways matched than the answer holds: narrow the search' }) truncated!: boolean;
}
