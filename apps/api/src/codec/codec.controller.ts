import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor, Can } from '../core/actor';
import { CodecRequestDto, CodecResponseView } from './codec.dto';
import { CodecService } from './codec.service';

@ApiTags('codec')
@Controller('codec')
export class CodecController {
  constructor(private readonly codec: CodecService) {}

  @Post('decode')
  @HttpCode(200)
  @Can('temporal.decode')
  @ApiHeader({ name: 'X-Namespace', required: false, description: 'The Temporal namespace (the UI sends it)' })
  @ApiOkResponse({ type: CodecResponseView, description: 'The payloads in clear; this request is one audit row' })
  @ApiBadRequestResponse({ description: 'A payload is not as the remote codec protocol says, or another namespace' })
  decode(
    @Body() body: CodecRequestDto,
    @Headers('x-namespace') namespace: string | undefined,
    @Actor() actor: Actor,
  ): Promise<CodecResponseView> {
    return this.codec.decode(body, namespace, actor);
  }
}
