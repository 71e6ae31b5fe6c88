import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Personal data, kept apart from the pathway so that queues and reports never join it by accident. */
@Entity({ name: 'persons' })
export class PersonEntity {
  @PrimaryColumn({ name: 'pathway_id', type: 'uuid' })
  pathwayId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'birth_date', type: 'date' })
  birthDate!: string;

  @Column({ name: 'lives_with_parents', type: 'boolean', nullable: true })
  livesWithParents!: boolean | null;

  @Column({ name: 'contact_source_agency', type: 'text' })
  contactSourceAgency!: string;

  @Column({ name: 'contact_occurred_at', type: 'timestamptz' })
  contactOccurredAt!: Date;

  @Column({ name: 'contact_context', type: 'text' })
  contactContext!: string;

  @Column({ name: 'contact_target_group', type: 'text', nullable: true })
  contactTargetGroup!: string | null;
}
