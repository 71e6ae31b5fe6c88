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

  /**
   * A signing secret still in plaintext from before sealing at rest; emptied when the API or worker starts. The
   * secrets are kept sealed (`webhook_secret_sealed` and the rest, read through WebhookRepository only).
   */
  @Column({ name: 'webhook_secret', type: 'text', nullable: true, select: false })
  webhookSecret!: string | null;
}
