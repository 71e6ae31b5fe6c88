import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { OversightRepository } from '../../../../libs/persistence/src';
import { DATA_SOURCE } from '../core/tokens';
import { OversightController } from './oversight.controller';
import { OversightService } from './oversight.service';

@Module({
  controllers: [OversightController],
  providers: [
    {
      provide: OversightRepository,
      useFactory: (ds: DataSource) => new OversightRepository(ds),
      inject: [DATA_SOURCE],
    },
    OversightService,
  ],
  exports: [OversightRepository, OversightService],
})
export class OversightModule {}
