import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ErasureRepository, PersonKeys } from '../../../../libs/persistence/src';
import { DATA_SOURCE } from '../core/tokens';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';

@Module({
  controllers: [PersonsController],
  providers: [
    PersonsService,
    {
      provide: ErasureRepository,
      useFactory: (ds: DataSource, keys: PersonKeys) => new ErasureRepository(ds, keys),
      inject: [DATA_SOURCE, PersonKeys],
    },
  ],
})
export class PersonsModule {}
