import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The outbox: written by activities with the workflow's change, delivered to agency webhooks afterwards. */
@Entity({ name: 'notifications' })
export class NotificationEntity {
  /** Random since random-notification-ids (libs/domain/src/pathway/machine.ts); the id receivers see. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  /** `pathway:sequence:agency`: what the outbox is unique on, so a batch written twice delivers once. */
  @Column({ name: 'dedup_key', type: 'text' })
  dedupKey!: string;

  @Column({ name: 'agency_code', type: 'text' })
  agency!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'pathway_id', type: 'uuid' })
  pathwayId!: string;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId!: string | null;

  @Column({ name: 'escalation_id', type: 'text', nullable: true })
  escalationId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
