import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'tasks' })
export class TaskEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'pathway_id', type: 'uuid' })
  pathwayId!: string;

  @Column({ name: 'task_key', type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  stage!: string;

  @Column({ name: 'agency_code', type: 'text' })
  agency!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'completed_by', type: 'text', nullable: true })
  completedBy!: string | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason!: string | null;

  /** CANCEL_CODES (libs/domain/src/pathway/vocabulary.ts): what answers show instead of the reason's words. */
  @Column({ name: 'cancel_code', type: 'text', nullable: true })
  cancelCode!: string | null;

  @Column({ type: 'boolean' })
  overdue!: boolean;

  @Column({ name: 'escalation_level', type: 'integer' })
  escalationLevel!: number;

  @Column({ name: 'handover_to', type: 'text', nullable: true })
  handoverTo!: string | null;

  @Column({ name: 'handover_state', type: 'text', nullable: true })
  handoverState!: string | null;

  @Column({ type: 'uuid', nullable: true })
  acknowledges!: string | null;

  @Column({ type: 'bigint' })
  version!: string;
}
