import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The read model of one pathway; the workflow is the source of truth. No personal data here. */
@Entity({ name: 'pathways' })
export class PathwayEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ type: 'text' })
  stage!: string;

  @Column({ type: 'text', nullable: true })
  track!: string | null;

  @Column({ type: 'text' })
  district!: string;

  @Column({ name: 'playbook_version', type: 'integer' })
  playbookVersion!: number;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'last_progress_at', type: 'timestamptz' })
  lastProgressAt!: Date;

  @Column({ type: 'bigint' })
  version!: string;

  @Column({ type: 'boolean' })
  consent!: boolean;

  @Column({ type: 'boolean', nullable: true })
  motivated!: boolean | null;

  @Column({ name: 'expected_release_at', type: 'timestamptz', nullable: true })
  expectedReleaseAt!: Date | null;

  @Column({ name: 'stage_entered_at', type: 'timestamptz' })
  stageEnteredAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'closing_outcome', type: 'text', nullable: true })
  closingOutcome!: string | null;

  @Column({ type: 'boolean' })
  stalled!: boolean;

  /** NORMAL or HIGH ("Prioriteret"): decided by the operative group's meeting (CHANGE_PRIORITY). */
  @Column({ type: 'text', default: 'NORMAL' })
  priority!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Set when the person was erased: the row stays as statistics (the yearly report), the API no longer shows it. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;
}
