import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Can } from '../core/actor';
import { DistrictView, SetDistrictDto } from './district.dto';
import { DistrictsService } from './districts.service';

@ApiTags('districts')
@Controller('districts')
export class DistrictsController {
  constructor(private readonly districts: DistrictsService) {}

  @Get()
  @Can('district.list')
  @ApiOkResponse({ type: [DistrictView], description: 'Every district, in use or not, by code' })
  list(): Promise<DistrictView[]> {
    return this.districts.list();
  }

  @Put(':code')
  @Can('district.set')
  @ApiOkResponse({ type: DistrictView, description: 'Changed' })
  @ApiCreatedResponse({ type: DistrictView, description: 'Added' })
  @ApiBadRequestResponse({
    description: 'code not a district code; name blank or too long; focus or active not a boolean',
  })
  async set(
    @Param('code') code: string,
    @Body() dto: SetDistrictDto,
    @Actor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DistrictView> {
    const { created, district } = await this.districts.set(code, dto, actor);
    res.status(created ? 201 : 200);
    return district;
  }
}
