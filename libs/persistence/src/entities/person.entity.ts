import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Personal data, kept apart from the pathway so that queues and reports never join it by accident. Rows written
 * since migration 1765660000000-PersonKeys hold name, birth date, lives-with-parents, contact context and contact
 * target group only in `sealed`, encrypted with the person's key (libs/persistence/src/person-keys.ts);
 * ReadRepository fills the fields back in. Rows written before keep the plaintext columns until the person is erased.
 */
@Entity({ name: 'persons' })
export class PersonEntity {
  @PrimaryColumn({ name: 'pathway_id', type: 'uuid' })
  pathwayId!: string;

  @Column({ type: 'text', nullable: true })
  name!: string;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate!: string;

  @Column({ name: 'lives_with_parents', type: 'boolean', nullable: true })
  livesWithParents!: boolean | null;

  @Column({ name: 'contact_source_agency', type: 'text' })
  contactSourceAgency!: string;

  @Column({ name: 'contact_occurred_at', type: 'timestamptz' })
  contactOccurredAt!: Date;

  @Column({ name: 'contact_context', type: 'text', nullable: true })
  contactContext!: string;

  /** Set only in rows from before the person keys; newer rows hold it in `sealed` (ReadRepository opens it). */
  @Column({ name: 'contact_target_group', type: 'text', nullable: true })
  contactTargetGroup!: string | null;

  @Column({ type: 'bytea', nullable: true, select: true })
  sealed!: Buffer | null;

  @Column({ name: 'key_id', type: 'uuid', nullable: true })
  keyId!: string | null;
}
