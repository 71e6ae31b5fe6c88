import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'timeline_entries' })
export class TimelineEntryEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'pathway_id', type: 'uuid' })
  pathwayId!: string;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'agency_code', type: 'text', nullable: true })
  agency!: string | null;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId!: string | null;

  @Column({ type: 'jsonb' })
  detail!: Record<string, string>;
}
