import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook secrets sealed at rest: the current and the previous secret as AES-256-GCM ciphertexts under a master key
 * from PAYLOAD_KEYS, with that key's id beside each (libs/persistence/src/webhook.repository.ts). A migration has no
 * key, so the plaintext columns stay for rows from before: the API and the worker seal them when they start
 * (WebhookRepository.sealStored) and empty them. Down drops the sealed secrets: agencies then need a new secret
 * (PUT /agencies/:code/webhook with rotateSecret).
 */
export class WebhookSecretsSealed1765680000000 implements MigrationInterface {
  name = 'WebhookSecretsSealed1765680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE agencies
         ADD COLUMN webhook_secret_sealed bytea,
         ADD COLUMN webhook_secret_key_id text,
         ADD COLUMN webhook_previous_sealed bytea,
         ADD COLUMN webhook_previous_key_id text,
         ADD CONSTRAINT agencies_webhook_secret_key_id CHECK ((webhook_secret_sealed IS NULL) = (webhook_secret_key_id IS NULL)),
         ADD CONSTRAINT agencies_webhook_previous_key_id CHECK ((webhook_previous_sealed IS NULL) = (webhook_previous_key_id IS NULL))`,
    );
    await q.query(
      `COMMENT ON COLUMN agencies.webhook_secret IS 'plaintext secret from before sealing; emptied when an app starts'`,
    );
    await q.query(
      `COMMENT ON COLUMN agencies.webhook_previous_secret IS 'plaintext secret from before sealing; emptied when an app starts'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE agencies DROP COLUMN webhook_secret_sealed, DROP COLUMN webhook_secret_key_id,
         DROP COLUMN webhook_previous_sealed, DROP COLUMN webhook_previous_key_id`,
    );
  }
}
