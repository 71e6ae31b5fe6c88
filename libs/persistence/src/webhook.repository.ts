// An agency's webhook as administrators configure it (PUT /agencies/:code/webhook): the URL, the signing secret and
// the one before the last rotation while it is still valid, and what became of the deliveries. Also how a delivery
// is signed, shared by the worker's dispatcher and the API's test ping.
import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';

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

export class WebhookRepository {
  constructor(private readonly dataSource: DataSource) {}

  async settings(code: string): Promise<WebhookSettings | undefined> {
    const rows: { webhook_url: string | null; has_secret: boolean; previous_until: Date | null }[] =
      await this.dataSource.query(
        `SELECT webhook_url, webhook_secret IS NOT NULL AS has_secret,
                CASE WHEN webhook_previous_until > now() THEN webhook_previous_until END AS previous_until
           FROM agencies WHERE code = $1`,
        [code],
      );
    const row = rows[0];
    if (!row) return undefined;
    return { url: row.webhook_url, hasSecret: row.has_secret, previousSecretValidUntil: row.previous_until };
  }

  /** The URL and the secrets that sign now (the previous one only while it is valid). */
  async secrets(code: string): Promise<WebhookSecrets | undefined> {
    const rows: { webhook_url: string | null; webhook_secret: string | null; previous: string | null }[] =
      await this.dataSource.query(
        `SELECT webhook_url, webhook_secret,
                CASE WHEN webhook_previous_until > now() THEN webhook_previous_secret END AS previous
           FROM agencies WHERE code = $1`,
        [code],
      );
    const row = rows[0];
    return row && { url: row.webhook_url, secret: row.webhook_secret, previousSecret: row.previous };
  }

  /**
   * Sets the URL; with `newSecret`, the secret too. A secret it replaces stays valid for `overlapHours`, so a
   * receiver can switch without losing deliveries.
   */
  async configure(code: string, url: string, newSecret: string | undefined, overlapHours: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE agencies
          SET webhook_url = $2,
              webhook_previous_secret = CASE WHEN $3::text IS NULL THEN webhook_previous_secret ELSE webhook_secret END,
              webhook_previous_until = CASE WHEN $3::text IS NULL THEN webhook_previous_until
                                            WHEN webhook_secret IS NULL THEN NULL
                                            ELSE now() + make_interval(hours => $4) END,
              webhook_secret = COALESCE($3::text, webhook_secret)
        WHERE code = $1`,
      [code, url, newSecret ?? null, overlapHours],
    );
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
