// Administering an agency's webhook (issue 14, item 4): its URL, its signing secret with rotation (the previous
// secret signs too for a day), a signed test ping, and what became of the deliveries. Deliveries themselves are the
// worker's (apps/worker/src/notification-dispatcher.service.ts), signed the same way (webhookSignature).
import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AGENCY_CODE_PATTERN } from '../../../../libs/domain/src';
import { WebhookRepository, webhookSignature } from '../../../../libs/persistence/src';
import type { ApiConfig } from '../config';
import { API_CONFIG } from '../core/tokens';
import { badRequest, notFound } from '../core/validation';
import type { ConfigureWebhookDto, WebhookPingView, WebhookView } from './webhook.dto';

/** How long the secret before a rotation keeps signing. */
export const SECRET_OVERLAP_HOURS = 24;
const PING_TIMEOUT_MS = 5000;

/** Why a webhook URL is refused, or undefined. Plain http only where the configuration allows it (development). */
export function webhookUrlProblem(text: string, httpAllowed: boolean): string | undefined {
  if (!URL.canParse(text)) return 'must be an absolute URL';
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.protocol === 'http:' && !httpAllowed) return 'must be https (plain http only in development)';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a fragment';
  return undefined;
}

@Injectable()
export class WebhooksService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly webhooks: WebhookRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Reseals secrets sealed by an older master key (the worker does too when it starts; either may win). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const count = await this.webhooks.sealStored();
      if (count > 0) this.logger.log(`resealed the webhook secrets of ${count} agencies`);
    } catch (err) {
      // The error's name only; the worker reseals them when it starts.
      this.logger.error(`resealing stored webhook secrets failed: ${(err as Error).name}`);
    }
  }

  async get(code: string): Promise<WebhookView> {
    return this.view(code);
  }

  async configure(code: string, dto: ConfigureWebhookDto): Promise<WebhookView> {
    const settings = await this.settings(code);
    const problem = webhookUrlProblem(dto.url, this.config.webhookHttpAllowed ?? false);
    if (problem) throw badRequest([{ field: 'url', reason: problem }]);
    const secret = dto.rotateSecret || !settings.hasSecret ? randomBytes(32).toString('base64url') : undefined;
    await this.webhooks.configure(code, new URL(dto.url).toString(), secret, SECRET_OVERLAP_HOURS);
    return { ...(await this.view(code)), ...(secret ? { secret } : {}) };
  }

  /** A signed PING to the receiver, now, outside the outbox: whether it answers 2xx and how fast. */
  async ping(code: string): Promise<WebhookPingView> {
    await this.settings(code);
    const target = await this.webhooks.secrets(code);
    if (!target?.url || !target.secret) throw new ConflictException('the agency has no webhook; PUT one first');
    const body = JSON.stringify({ id: `ping:${randomUUID()}`, kind: 'PING', agency: code, sentAt: new Date() });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const secrets = [target.secret, ...(target.previousSecret ? [target.previousSecret] : [])];
    const began = Date.now();
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'X-Exit-Signature': webhookSignature(secrets, timestamp, body),
          'X-Exit-Timestamp': timestamp,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(PING_TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => undefined);
      return {
        delivered: res.ok,
        status: res.status,
        ...(res.ok ? {} : { reason: `HTTP ${res.status}` }),
        durationMs: Date.now() - began,
      };
    } catch (err) {
      // The name and socket code only: a message could quote the URL or the receiver's answer.
      const name = (err as { name?: string }).name;
      const socket = (err as { cause?: { code?: unknown } }).cause?.code;
      const reason =
        name === 'TimeoutError'
          ? `timeout after ${PING_TIMEOUT_MS} ms`
          : typeof socket === 'string' && /^[A-Z0-9_]{1,40}$/.test(socket)
            ? `connection failed (${socket})`
            : 'request failed';
      return { delivered: false, reason, durationMs: Date.now() - began };
    }
  }

  private async settings(code: string) {
    const settings = AGENCY_CODE_PATTERN.test(code) ? await this.webhooks.settings(code) : undefined;
    if (!settings) throw notFound('agency', code, AGENCY_CODE_PATTERN);
    return settings;
  }

  private async view(code: string): Promise<WebhookView> {
    const settings = await this.settings(code);
    const stats = await this.webhooks.statistics(code);
    return {
      agency: code,
      ...(settings.url ? { url: settings.url } : {}),
      hasSecret: settings.hasSecret,
      ...(settings.previousSecretValidUntil
        ? { previousSecretValidUntil: settings.previousSecretValidUntil.toISOString() }
        : {}),
      deliveries: {
        pending: stats.pending,
        delivered: stats.delivered,
        dead: stats.dead,
        skipped: stats.skipped,
        failedAttempts: stats.failedAttempts,
        ...(stats.lastDeliveredAt ? { lastDeliveredAt: stats.lastDeliveredAt.toISOString() } : {}),
        ...(stats.lastError ? { lastError: stats.lastError } : {}),
      },
    };
  }
}
