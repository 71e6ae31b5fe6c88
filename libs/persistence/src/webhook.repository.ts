// An agency's webhook as administrators configure it (PUT /agencies/:code/webhook): the URL, the signing secret and
// the one before the last rotation while it is still valid, and what became of the deliveries. Also how a delivery
// is signed, shared by the worker's dispatcher and the API's test ping.
//
// The secrets are stored sealed (AES-256-GCM) by the active master key from PAYLOAD_KEYS, whose id is kept beside
// the ciphertext (migration 1765680000000-WebhookSecretsSealed), with the same sealing as the person keys
// (person-keys.ts). The ciphertext is bound to its agency: copied to another agency's row it does not open. There is
// no plaintext column any more (migration 1765690100000-PlaintextWebhookSecretsDropped sealed what was left and
// dropped them); `sealStored` reseals secrets under an older master key when the API and the worker start.
import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openWithMaster, sealWithMaster, type MasterKeys } from './person-keys';

export interface WebhookSettings {
  url: string | null;
  hasSecret: boolean;
  /** Until when the secret before the last rotation still signs deliveries. */
  previousSecretValidUntil: Date | null;
}

export interface WebhookSecrets {
  url: string | null;
  secret: string | null;
  previousSecret: string | null;
}

export interface WebhookStatistics {
  pending: number;
  delivered: number;
  dead: number;
  skipped: number;
  /** Attempts that failed before a delivery succeeded or ran out. */
  failedAttempts: number;
  lastDeliveredAt: Date | null;
  lastError: string | null;
}

/**
 * `X-Exit-Signature`: `sha256=<hex>` of `<timestamp>.<body>` under the current secret, and during a rotation a second
 * `sha256=<hex>` under the previous one, comma-separated, so a receiver holding either secret can verify.
 */
export function webhookSignature(secrets: readonly string[], timestamp: string, body: string): string {
  return secrets
    .map((secret) => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`)
    .join(', ');
}

/** The secret's binding: a ciphertext opens only as the secret of the agency it was sealed for. */
function secretAad(code: string): string {
  return `webhook-secret:${code}`;
}

/** A webhook secret sealed for an agency, ready to store (bytea and the master key id beside it). */
export function sealWebhookSecret(master: MasterKeys, code: string, secret: string): { sealed: Buffer; keyId: string } {
  const { sealed, masterKeyId } = sealWithMaster(master, Buffer.from(secret, 'utf8'), secretAad(code));
  return { sealed, keyId: masterKeyId };
}

/**
 * The agency's secret from its sealed column, opened (null when it has none). Throws an error naming the master key id
 * only when it cannot be opened.
 */
export function openWebhookSecret(
  master: MasterKeys,
  code: string,
  stored: { sealed: Buffer | null; keyId: string | null },
): string | null {
  if (stored.sealed === null || stored.keyId === null) return null;
  try {
    return openWithMaster(master, stored.keyId, stored.sealed, secretAad(code)).toString('utf8');
  } catch (err) {
    if (!master.keys.has(stored.keyId))
      throw new Error(`webhook secret sealed by master key '${stored.keyId}', which is not configured`);
    throw new Error(`webhook secret of ${code} failed authentication (${(err as Error).name})`);
  }
}

interface StoredSecretsRow {
  code: string;
  webhook_secret_sealed: Buffer | null;
  webhook_secret_key_id: string | null;
  webhook_previous_sealed: Buffer | null;
  webhook_previous_key_id: string | null;
}

export class WebhookRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly master: MasterKeys,
  ) {
    if (!master.keys.has(master.activeKeyId)) throw new Error('the active master key is not configured');
  }

  async settings(code: string): Promise<WebhookSettings | undefined> {
    const rows: { webhook_url: string | null; has_secret: boolean; previous_until: Date | null }[] =
      await this.dataSource.query(
        `SELECT webhook_url, (webhook_secret_sealed IS NOT NULL) AS has_secret,
                CASE WHEN webhook_previous_until > now() THEN webhook_previous_until END AS previous_until
           FROM agencies WHERE code = $1`,
        [code],
      );
    const row = rows[0];
    if (!row) return undefined;
    return { url: row.webhook_url, hasSecret: row.has_secret, previousSecretValidUntil: row.previous_until };
  }

  /** The URL and the secrets that sign now (the previous one only while it is valid), opened. */
  async secrets(code: string): Promise<WebhookSecrets | undefined> {
    const rows: (StoredSecretsRow & { webhook_url: string | null; previous_valid: boolean })[] =
      await this.dataSource.query(
        `SELECT code, webhook_url, webhook_secret_sealed, webhook_secret_key_id,
                webhook_previous_sealed, webhook_previous_key_id,
                COALESCE(webhook_previous_until > now(), false) AS previous_valid
           FROM agencies WHERE code = $1`,
        [code],
      );
    const row = rows[0];
    if (!row) return undefined;
    return {
      url: row.webhook_url,
      secret: openWebhookSecret(this.master, code, {
        sealed: row.webhook_secret_sealed,
        keyId: row.webhook_secret_key_id,
      }),
      previousSecret: row.previous_valid
        ? openWebhookSecret(this.master, code, {
            sealed: row.webhook_previous_sealed,
            keyId: row.webhook_previous_key_id,
          })
        : null,
    };
  }

  /**
   * Sets the URL; with `newSecret`, the secret too, sealed. A secret it replaces stays valid for `overlapHours`, so
   * a receiver can switch without losing deliveries.
   */
  async configure(code: string, url: string, newSecret: string | undefined, overlapHours: number): Promise<void> {
    const sealed = newSecret === undefined ? undefined : sealWebhookSecret(this.master, code, newSecret);
    await this.dataSource.query(
      `UPDATE agencies
          SET webhook_url = $2,
              webhook_previous_sealed = CASE WHEN NOT $3 THEN webhook_previous_sealed ELSE webhook_secret_sealed END,
              webhook_previous_key_id = CASE WHEN NOT $3 THEN webhook_previous_key_id ELSE webhook_secret_key_id END,
              webhook_previous_until = CASE WHEN NOT $3 THEN webhook_previous_until
                                            WHEN webhook_secret_sealed IS NULL THEN NULL
                                            ELSE now() + make_interval(hours => $4) END,
              webhook_secret_sealed = CASE WHEN NOT $3 THEN webhook_secret_sealed ELSE $5::bytea END,
              webhook_secret_key_id = CASE WHEN NOT $3 THEN webhook_secret_key_id ELSE $6::text END
        WHERE code = $1`,
      [code, url, sealed !== undefined, overlapHours, sealed?.sealed ?? null, sealed?.keyId ?? null],
    );
  }

  /**
   * Reseals the secrets sealed by another master key than the active one (so that key can leave PAYLOAD_KEYS). Idempotent; a row changed in between (a rotation) is left to the
   * change. Returns how many agencies it changed. Never says anything about a secret.
   */
  async sealStored(): Promise<number> {
    const rows: StoredSecretsRow[] = await this.dataSource.query(
      `SELECT code, webhook_secret_sealed, webhook_secret_key_id, webhook_previous_sealed, webhook_previous_key_id
         FROM agencies
        WHERE webhook_secret_key_id <> $1 OR webhook_previous_key_id <> $1
        ORDER BY code`,
      [this.master.activeKeyId],
    );
    let done = 0;
    for (const row of rows) {
      const reseal = (sealed: Buffer | null, keyId: string | null) => {
        const secret = openWebhookSecret(this.master, row.code, { sealed, keyId });
        return secret === null ? undefined : sealWebhookSecret(this.master, row.code, secret);
      };
      let current: ReturnType<typeof reseal>;
      let previous: ReturnType<typeof reseal>;
      try {
        current = reseal(row.webhook_secret_sealed, row.webhook_secret_key_id);
        previous = reseal(row.webhook_previous_sealed, row.webhook_previous_key_id);
      } catch {
        // Sealed by a master key no longer configured: left as it is; its deliveries fail saying which key is missing.
        continue;
      }
      // Only if the row still holds what was read: a rotation in between wins.
      const changed: unknown[] = await this.dataSource.query(
        `UPDATE agencies
            SET webhook_secret_sealed = $2, webhook_secret_key_id = $3,
                webhook_previous_sealed = $4, webhook_previous_key_id = $5
          WHERE code = $1
            AND webhook_secret_sealed IS NOT DISTINCT FROM $6 AND webhook_previous_sealed IS NOT DISTINCT FROM $7
          RETURNING code`,
        [
          row.code,
          current?.sealed ?? null,
          current?.keyId ?? null,
          previous?.sealed ?? null,
          previous?.keyId ?? null,
          row.webhook_secret_sealed,
          row.webhook_previous_sealed,
        ],
      );
      if ((Array.isArray(changed[0]) ? (changed[0] as unknown[]) : changed).length > 0) done++;
    }
    return done;
  }

  async statistics(code: string): Promise<WebhookStatistics> {
    const rows: {
      pending: string;
      delivered: string;
      dead: string;
      skipped: string;
      failed: string;
      last_delivered_at: Date | null;
      last_error: string | null;
    }[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending,
              count(*) FILTER (WHERE status = 'DELIVERED') AS delivered,
              count(*) FILTER (WHERE status = 'DEAD') AS dead,
              count(*) FILTER (WHERE status = 'SKIPPED') AS skipped,
              COALESCE(sum(CASE WHEN status = 'DELIVERED' THEN attempts - 1 ELSE attempts END), 0) AS failed,
              max(delivered_at) AS last_delivered_at,
              (SELECT last_error FROM notifications
                WHERE agency_code = $1 AND last_error IS NOT NULL ORDER BY next_attempt_at DESC LIMIT 1) AS last_error
         FROM notifications WHERE agency_code = $1`,
      [code],
    );
    const r = rows[0];
    return {
      pending: Number(r.pending),
      delivered: Number(r.delivered),
      dead: Number(r.dead),
      skipped: Number(r.skipped),
      failedAttempts: Number(r.failed),
      lastDeliveredAt: r.last_delivered_at,
      lastError: r.last_error,
    };
  }
}
