import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ErasureRepository, PersonKeys, ReadRepository, RetentionRepository } from '../../../../libs/persistence/src';
import { DATA_SOURCE } from '../core/tokens';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';
import { RetentionSchedule } from './retention-schedule';

@Module({
  controllers: [PersonsController],
  providers: [
    PersonsService,
    RetentionSchedule,
    {
      provide: RetentionRepository,
      useFactory: (ds: DataSource, read: ReadRepository) => new RetentionRepository(ds, read),
      inject: [DATA_SOURCE, ReadRepository],
    },
    {
      provide: ErasureRepository,
      useFactory: (ds: DataSource, keys: PersonKeys) => new ErasureRepository(ds, keys),
      inject: [DATA_SOURCE, PersonKeys],
    },
  ],
})
export class PersonsModule {}
