import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { NotificationRepository } from '../../../../libs/persistence/src';
import { DATA_SOURCE } from '../core/tokens';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Module({
  controllers: [NotificationsController],
  providers: [
    {
      provide: NotificationRepository,
      useFactory: (ds: DataSource) => new NotificationRepository(ds),
      inject: [DATA_SOURCE],
    },
    NotificationsService,
  ],
})
export class NotificationsModule {}
