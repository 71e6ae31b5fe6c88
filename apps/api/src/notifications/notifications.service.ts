// Dead letters of the notification outbox: what could not be delivered to an agency's webhook, and putting it back
// in the queue once the agency's receiver is fixed.
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { decodeDeadLetterCursor, NotificationRepository, type DeadLetter } from '../../../../libs/persistence/src';
import { badRequest } from '../core/validation';
import type { DeadLetterPageView, DeadLetterQueryDto, DeadLetterView } from './notification.dto';

function viewOf(row: DeadLetter): DeadLetterView {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationRepository) {}

  async deadLetters(query: DeadLetterQueryDto): Promise<DeadLetterPageView> {
    const after = query.cursor === undefined ? undefined : decodeDeadLetterCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API handed out' }]);
    }
    const page = await this.notifications.listDead(query.limit ?? 50, after);
    return { items: page.items.map(viewOf), nextCursor: page.nextCursor };
  }

  async requeue(id: string): Promise<DeadLetterView> {
    const result = await this.notifications.requeueDead(id);
    if ('notFound' in result) throw new NotFoundException('no notification with that id');
    if ('status' in result) {
      throw new ConflictException(`only a dead letter can be requeued; this notification is ${result.status}`);
    }
    return viewOf(result.requeued);
  }
}
