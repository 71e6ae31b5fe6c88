import { ApiProperty } from '@nestjs/swagger';

export class ReconciliationDriftView {
  @ApiProperty({ format: 'uuid' }) pathwayId!: string;
  @ApiProperty({
    type: [String],
    example: ['stage', 'task 2d0c…: status'],
    description: 'What differed between the read model and the workflow (field names, task ids), before the repair',
  })
  fields!: string[];
}

export class ReconciliationView {
  @ApiProperty({ description: 'Open pathways compared with their workflows' }) checked!: number;
  @ApiProperty({ description: 'Pathways whose read model differed from the workflow' }) drifted!: number;
  @ApiProperty({ description: 'Drifted pathways rewritten from the workflow’s state' }) repaired!: number;
  @ApiProperty({ description: 'Running pathway workflows without a read-model row (counted, not repaired)' })
  missing!: number;
  @ApiProperty({ description: 'Open pathways whose workflow did not answer its status query' }) unreachable!: number;
  @ApiProperty({ type: [ReconciliationDriftView] }) drift!: ReconciliationDriftView[];
}
