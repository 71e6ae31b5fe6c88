import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Can } from '../core/actor';
import { DeadLetterPageView, DeadLetterQueryDto, DeadLetterView } from './notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('dead-letters')
  @Can('notification.dead-letters')
  @ApiOkResponse({ type: DeadLetterPageView, description: 'Notifications that ran out of attempts, newest first' })
  @ApiBadRequestResponse({ description: 'Bad cursor or limit' })
  deadLetters(@Query() query: DeadLetterQueryDto): Promise<DeadLetterPageView> {
    return this.notifications.deadLetters(query);
  }

  @Post(':id/requeue')
  @HttpCode(200)
  @Can('notification.requeue')
  @ApiOkResponse({ type: DeadLetterView, description: 'Queued again with a fresh set of attempts, due now' })
  @ApiNotFoundResponse({ description: 'No notification with that id' })
  @ApiConflictResponse({ description: 'The notification is not a dead letter' })
  requeue(@Param('id') id: string): Promise<DeadLetterView> {
    return this.notifications.requeue(id);
  }
}
