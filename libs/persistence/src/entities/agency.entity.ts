import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'agencies' })
export class AgencyEntity {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'webhook_url', type: 'text', nullable: true })
  webhookUrl!: string | null;

  /** Signs deliveries (HMAC-SHA256); never returned by the API. */
  @Column({ name: 'webhook_secret', type: 'text', nullable: true, select: false })
  webhookSecret!: string | null;
}
