import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook secret rotation (PUT /agencies/:code/webhook): the secret before the last rotation stays valid for a while,
 * so a receiver can switch to the new one without losing deliveries; the dispatcher signs with both until then.
 */
export class WebhookRotation1765500000001 implements MigrationInterface {
  name = 'WebhookRotation1765500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE agencies ADD COLUMN webhook_previous_secret text, ADD COLUMN webhook_previous_until timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agencies DROP COLUMN webhook_previous_secret, DROP COLUMN webhook_previous_until`);
  }
}
