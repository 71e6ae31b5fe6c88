import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { MeetingRepository } from '../../../../libs/persistence/src';
import { DATA_SOURCE } from '../core/tokens';
import { EscalationsModule } from '../escalations/escalations.module';
import { MeetingsController } from './meetings.controller';
import { MeetingsService } from './meetings.service';

@Module({
  imports: [EscalationsModule],
  controllers: [MeetingsController],
  providers: [
    { provide: MeetingRepository, useFactory: (ds: DataSource) => new MeetingRepository(ds), inject: [DATA_SOURCE] },
    MeetingsService,
  ],
})
export class MeetingsModule {}
