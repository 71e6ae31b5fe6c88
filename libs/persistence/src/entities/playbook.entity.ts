import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Playbook } from '../../../domain/src';

@Entity({ name: 'playbooks' })
export class PlaybookEntity {
  @PrimaryColumn({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  definition!: Playbook;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;
}
