import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray } from 'class-validator';

/** One payload as Temporal's remote codec protocol spells it: metadata values and data in base64. */
export class CodecPayloadDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', format: 'byte' },
    example: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==', 'encryption-key-id': 'azE=' },
  })
  metadata!: Record<string, string>;

  @ApiPropertyOptional({ format: 'byte' }) data?: string;
}

/** The body of POST /codec/decode (Temporal's remote codec protocol). */
export class CodecRequestDto {
  // Each payload is checked by the service (apps/api/src/codec/codec.service.ts), which names the field it refuses.
  @ApiProperty({ type: [CodecPayloadDto], maxItems: 1000 })
  @IsArray()
  @ArrayMaxSize(1000)
  payloads!: CodecPayloadDto[];
}

export class CodecResponseView {
  @ApiProperty({
    type: [CodecPayloadDto],
    description:
      'The payloads in clear, in order; one the codec will not read (not encrypted, unknown key, tampered) comes ' +
      'back with encoding binary/refused and the reason in its `refusal` metadata',
  })
  payloads!: CodecPayloadDto[];
}
