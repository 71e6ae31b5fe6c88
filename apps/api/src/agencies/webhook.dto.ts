import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class ConfigureWebhookDto {
  @ApiProperty({
    example: 'https://ssp.kk.dk/exit-pathways/hook',
    description: 'Where deliveries go: https (http only in development), no user name, password or fragment',
  })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({
    description:
      'A new signing secret: the old one keeps signing (a second X-Exit-Signature) for 24 hours, so the receiver ' +
      'can switch without losing deliveries. The first configuration always makes a secret.',
  })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  rotateSecret?: boolean;
}

export class WebhookStatisticsView {
  @ApiProperty({ description: 'Waiting for their first or next attempt' }) pending!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty({ description: 'Dead letters: every attempt failed (GET /notifications/dead-letters)' }) dead!: number;
  @ApiProperty({ description: 'Not sent: the agency had no webhook when they arose' }) skipped!: number;
  @ApiProperty({ description: 'Attempts that failed (a delivery retried twice and delivered counts 2)' })
  failedAttempts!: number;
  @ApiPropertyOptional({ format: 'date-time' }) lastDeliveredAt?: string;
  @ApiPropertyOptional({ description: 'Why the latest failed attempt failed (HTTP status, timeout, connection)' })
  lastError?: string;
}

export class WebhookView {
  @ApiProperty({ example: 'SSP' }) agency!: string;
  @ApiPropertyOptional() url?: string;
  @ApiProperty({ description: 'Whether deliveries can be signed' }) hasSecret!: boolean;
  @ApiPropertyOptional({
    description: 'The new signing secret: shown once, in the answer that made it (first configuration or rotation)',
  })
  secret?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Until when the previous secret signs too' })
  previousSecretValidUntil?: string;
  @ApiProperty({ type: WebhookStatisticsView }) deliveries!: WebhookStatisticsView;
}

export class WebhookPingView {
  @ApiProperty({ description: 'The receiver answered 2xx' }) delivered!: boolean;
  @ApiPropertyOptional({ description: 'The receiver’s HTTP status' }) status?: number;
  @ApiPropertyOptional({ description: 'Why it was not delivered' }) reason?: string;
  @ApiProperty() durationMs!: number;
}
