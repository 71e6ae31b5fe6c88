import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CreatePathwayDto, PathwayAcceptedView, PathwayView } from './pathway.dto';
import { PathwaysService } from './pathways.service';

@ApiTags('pathways')
@Controller('pathways')
export class PathwaysController {
  constructor(private readonly pathways: PathwaysService) {}

  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Repeating a request with the same key returns the same pathway',
  })
  @ApiCreatedResponse({ type: PathwayView, description: 'Started; its first tasks are in the agencies’ queues' })
  @ApiOkResponse({
    type: PathwayView,
    description: 'Already started by an earlier request with the same Idempotency-Key',
  })
  @ApiAcceptedResponse({ type: PathwayAcceptedView, description: 'Started; the worker has not written its tasks yet' })
  @ApiBadRequestResponse({ description: 'A field is missing, unknown or invalid; `errors` names each one' })
  async open(
    @Body() dto: CreatePathwayDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PathwayView | PathwayAcceptedView> {
    const result = await this.pathways.open(dto, idempotencyKey);
    res.status(result.status);
    return result.body;
  }

  @Get(':id')
  @ApiOkResponse({ type: PathwayView })
  @ApiNotFoundResponse({ description: 'No pathway with that id' })
  get(@Param('id') id: string): Promise<PathwayView> {
    return this.pathways.get(id);
  }
}
