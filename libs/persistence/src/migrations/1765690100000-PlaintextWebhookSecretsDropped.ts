import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationMasterKeys } from '../migration-context';
import { sealWebhookSecret } from '../webhook.repository';

/**
 * The plaintext webhook secret columns of before sealing at rest (`agencies.webhook_secret`,
 * `webhook_previous_secret`) are dropped. A secret still in one of them is sealed first, under the active master key
 * the migrating process holds (the API and the worker pass PAYLOAD_KEYS to openDatabase; the plaintext one wins over a
 * sealed one, as it did when read). A process without the keys (a script) finding one refuses, naming how many agencies
 * and never a secret, and changes nothing: start the API or the worker instead. Down brings the columns back empty.
 */
export class PlaintextWebhookSecretsDropped1765690100000 implements MigrationInterface {
  name = 'PlaintextWebhookSecretsDropped1765690100000';

  async up(q: QueryRunner): Promise<void> {
    const rows: { code: string; webhook_secret: string | null; webhook_previous_secret: string | null }[] =
      await q.query(
        `SELECT code, webhook_secret, webhook_previous_secret FROM agencies
          WHERE webhook_secret IS NOT NULL OR webhook_previous_secret IS NOT NULL
          ORDER BY code FOR UPDATE`,
      );
    if (rows.length > 0) {
      const master = migrationMasterKeys();
      if (!master) {
        throw new Error(
          `${rows.length} agencies still have a webhook secret in plaintext: this migration seals them and needs ` +
            'PAYLOAD_KEYS, so run it by starting the API or the worker',
        );
      }
      for (const row of rows) {
        const current =
          row.webhook_secret === null ? undefined : sealWebhookSecret(master, row.code, row.webhook_secret);
        const previous =
          row.webhook_previous_secret === null
            ? undefined
            : sealWebhookSecret(master, row.code, row.webhook_previous_secret);
        await q.query(
          `UPDATE agencies
              SET webhook_secret_sealed = COALESCE($2, webhook_secret_sealed),
                  webhook_secret_key_id = COALESCE($3, webhook_secret_key_id),
                  webhook_previous_sealed = COALESCE($4, webhook_previous_sealed),
                  webhook_previous_key_id = COALESCE($5, webhook_previous_key_id),
                  webhook_secret = NULL, webhook_previous_secret = NULL
            WHERE code = $1`,
          [
            row.code,
            current?.sealed ?? null,
            current?.keyId ?? null,
            previous?.sealed ?? null,
            previous?.keyId ?? null,
          ],
        );
      }
    }
    await q.query(`ALTER TABLE agencies DROP COLUMN webhook_secret, DROP COLUMN webhook_previous_secret`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agencies ADD COLUMN webhook_secret text, ADD COLUMN webhook_previous_secret text`);
  }
}
