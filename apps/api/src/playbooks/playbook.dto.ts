import { ApiProperty } from '@nestjs/swagger';

export class PlaybookSummaryView {
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty({ example: 'Partnerskabsaftalen For et trygt Nørrebro — anden playbook' }) name!: string;
  @ApiProperty({ format: 'date-time' }) publishedAt!: string;
}

export class PlaybookView extends PlaybookSummaryView {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The playbook document as published (the shape of libs/domain/playbooks/v1.json)',
  })
  definition!: Record<string, unknown>;
}
