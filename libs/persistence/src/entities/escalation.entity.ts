import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'escalations' })
export class EscalationEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'pathway_id', type: 'uuid' })
  pathwayId!: string;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId!: string | null;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'integer' })
  level!: number;

  @Column({ name: 'agency_code', type: 'text' })
  agency!: string;

  @Column({ name: 'escalated_to', type: 'text' })
  escalatedTo!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'raised_at', type: 'timestamptz' })
  raisedAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  decision!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'bigint' })
  version!: string;
}
