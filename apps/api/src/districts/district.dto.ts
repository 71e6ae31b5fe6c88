import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class DistrictView {
  @ApiProperty({ example: 'YDRE_NORREBRO' }) code!: string;
  @ApiProperty({ example: 'Ydre Nørrebro' }) name!: string;
  @ApiProperty({ description: 'A geographic focus area of the partnership' }) focus!: boolean;
  @ApiProperty({ description: 'False: no new pathway or MOVED may name it; pathways filed under it keep it' })
  active!: boolean;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ description: 'The agency that last changed it; absent for the seeded districts' })
  updatedBy?: string;
}

export class SetDistrictDto {
  @ApiProperty({ example: 'Mjølnerparken', maxLength: 120 })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(/\S/, { message: 'must not be blank' })
  name!: string;

  @ApiProperty({ description: 'A geographic focus area of the partnership' })
  @IsBoolean({ message: 'must be true or false' })
  focus!: boolean;

  @ApiPropertyOptional({ description: 'Default true; false takes it out of use for new pathways and MOVED' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  active?: boolean;
}
