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

  /** The completing agency's own note: shown to that agency only. */
  @Column({ name: 'outcome_note', type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'smallint', nullable: true })
  attempt!: number | null;

  @Column({ type: 'text', array: true, nullable: true })
  outcomes!: string[] | null;

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

  /** The release date left less time than the playbook's lead time: the deadline is the earliest feasible one. */
  @Column({ type: 'boolean' })
  compressed!: boolean;

  @Column({ name: 'escalation_level', type: 'integer' })
  escalationLevel!: number;

  @Column({ name: 'handover_to', type: 'text', nullable: true })
  handoverTo!: string | null;

  @Column({ name: 'handover_state', type: 'text', nullable: true })
  handoverState!: string | null;

  @Column({ type: 'uuid', nullable: true })
  acknowledges!: string | null;

  /** On hold by its agency until this instant (null: not held). */
  @Column({ name: 'held_until', type: 'timestamptz', nullable: true })
  heldUntil!: Date | null;

  /** HOLD_REASONS (libs/domain/src/pathway/vocabulary.ts). */
  @Column({ name: 'hold_reason', type: 'text', nullable: true })
  holdReason!: string | null;

  /** The agency's own note on the hold: shown to that agency only. */
  @Column({ name: 'hold_note', type: 'text', nullable: true })
  holdNote!: string | null;

  @Column({ name: 'held_since', type: 'timestamptz', nullable: true })
  heldSince!: Date | null;

  @Column({ type: 'bigint' })
  version!: string;
}
