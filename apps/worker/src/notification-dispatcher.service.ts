// Delivers the notification outbox to agency webhooks. Polling is fine here: this is the delivery of rows already
// committed with the workflow's change, not a timer; deadlines and reminders live in the workflows.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  backoffDelayMs,
  NotificationRepository,
  WebhookRepository,
  webhookSignature,
  type ClaimedNotification,
} from '../../../libs/persistence/src';
import type { NotificationConfig, WorkerConfig } from './config';
import { DATA_SOURCE, WORKER_CONFIG } from './tokens';

/** Rows claimed per poll and delivered side by side. */
export const NOTIFY_BATCH_SIZE = 20;
/** However many attempts have failed, the next one is at most this far away. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** Beyond the POST's own timeout, how long a claim may take to record its result before others may take the row. */
const LEASE_MARGIN_MS = 30_000;

/** What an agency's webhook receives: ids and a link into the system, never personal data. */
export interface WebhookBody {
  id: string;
  kind: string;
  agency: string;
  pathwayId: string;
  taskId?: string;
  escalationId?: string;
  createdAt: string;
  link: string;
}

export function webhookBody(n: ClaimedNotification): WebhookBody {
  return {
    id: n.id,
    kind: n.kind,
    agency: n.agency,
    pathwayId: n.pathwayId,
    ...(n.taskId ? { taskId: n.taskId } : {}),
    ...(n.escalationId ? { escalationId: n.escalationId } : {}),
    createdAt: n.createdAt.toISOString(),
    link: n.taskId ? `/tasks/${n.taskId}` : `/pathways/${n.pathwayId}`,
  };
}

/**
 * The URL to POST to, or why there is none. Failing (rather than skipping) keeps the row retrying while someone
 * fixes the agency's settings, and makes it a visible dead letter if nobody does.
 */
export function webhookTarget(text: string | null): URL | string {
  if (text === null) return 'agency has no webhook url';
  if (!URL.canParse(text)) return 'webhook url is not a url';
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'webhook url is not http(s)';
  return url;
}

type Attempt = { ok: true } | { ok: false; reason: string };

/** An error's name only: messages can quote URLs, values or a server's answer. Not `instanceof`: fetch's errors
 * (a DOMException on timeout) may come from another realm. */
function errorName(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^[A-Za-z]{1,40}$/.test(name) ? name : typeof err;
}

/** Why a request failed, in words that cannot carry the URL, the payload or a server's message. */
function describeFailure(err: unknown, timeoutMs: number): string {
  const name = errorName(err);
  if (name === 'TimeoutError' || name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return `connection failed (${code})`;
  return `request failed (${name})`;
}

@Injectable()
export class NotificationDispatcherService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NotificationDispatcherService.name);
  private readonly repository: NotificationRepository;
  private readonly webhooks: WebhookRepository;
  /** Whether the plaintext secrets from before sealing were sealed since this process started. */
  private sealed = false;
  private readonly settings: NotificationConfig;
  private loop?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  private failing = false;

  constructor(@Inject(WORKER_CONFIG) config: WorkerConfig, @Inject(DATA_SOURCE) dataSource: DataSource) {
    this.settings = config.notifications;
    this.repository = new NotificationRepository(dataSource, config.temporal.payloadKeys);
    this.webhooks = new WebhookRepository(dataSource, config.temporal.payloadKeys);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  // Before the module's data source is closed (onApplicationShutdown), so in-flight deliveries record their result.
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Stops polling and waits for the deliveries under way, each bounded by the timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** One poll: claims what is due, delivers it, records the results. Returns how many rows it claimed. */
  async dispatchOnce(): Promise<number> {
    if (!this.sealed) await this.sealStoredSecrets();
    const claims = await this.repository.claimDue(NOTIFY_BATCH_SIZE, this.settings.timeoutMs + LEASE_MARGIN_MS);
    await Promise.all(claims.map((claim) => this.deliver(claim)));
    return claims.length;
  }

  /** Reseals the webhook secrets sealed by an older master key, once. Counts only, never secrets. */
  private async sealStoredSecrets(): Promise<void> {
    const count = await this.webhooks.sealStored();
    this.sealed = true;
    if (count > 0) this.logger.log(`resealed the webhook secrets of ${count} agencies`);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let claimed = 0;
      try {
        claimed = await this.dispatchOnce();
        if (this.failing) this.logger.log('outbox reachable again');
        this.failing = false;
      } catch (err) {
        // The name only: driver messages can quote values. Once per outage, not once per poll.
        if (!this.failing) this.logger.error(`outbox poll failed: ${errorName(err)}`);
        this.failing = true;
      }
      // A full batch means more may be due already.
      if (claimed < NOTIFY_BATCH_SIZE) await this.pause(this.settings.pollMs);
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async deliver(claim: ClaimedNotification): Promise<void> {
    const attempt = await this.post(claim);
    const number = claim.attempts + 1;
    const { maxAttempts, baseBackoffMs } = this.settings;
    try {
      let recorded: boolean;
      if (attempt.ok) {
        recorded = await this.repository.markDelivered(claim);
      } else if (number >= maxAttempts) {
        recorded = await this.repository.markDead(claim, attempt.reason);
        this.logger.warn(
          `${claim.kind} to ${claim.agency} is a dead letter after ${number} attempts: ${attempt.reason}`,
        );
      } else {
        const delay = backoffDelayMs(number, baseBackoffMs, MAX_BACKOFF_MS);
        recorded = await this.repository.markFailed(claim, attempt.reason, delay);
        this.logger.warn(
          `${claim.kind} to ${claim.agency} failed (attempt ${number} of ${maxAttempts}): ${attempt.reason}`,
        );
      }
      // The row was claimed again after our lease ran out; the other claim's result stands.
      if (!recorded) this.logger.warn(`${claim.kind} to ${claim.agency}: lease lapsed, result not recorded`);
    } catch (err) {
      // Left as it is, the row is claimed again when the lease runs out: delivered at least once.
      this.logger.error(`recording a delivery failed: ${errorName(err)}`);
    }
  }

  private async post(claim: ClaimedNotification): Promise<Attempt> {
    const url = webhookTarget(claim.webhookUrl);
    if (typeof url === 'string') return { ok: false, reason: url };
    if (claim.webhookSecretProblem) return { ok: false, reason: claim.webhookSecretProblem };
    if (!claim.webhookSecret) return { ok: false, reason: 'agency has no webhook secret' };
    const body = JSON.stringify(webhookBody(claim));
    // The time is signed with the body, so a receiver can refuse an old delivery replayed by someone else.
    const timestamp = String(Math.floor(Date.now() / 1000));
    // During a secret rotation the previous secret signs too, so the receiver may hold either.
    const secrets = [claim.webhookSecret, ...(claim.webhookPreviousSecret ? [claim.webhookPreviousSecret] : [])];
    const signature = webhookSignature(secrets, timestamp, body);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // The same on every attempt, so that a receiver can drop a delivery it has already processed.
          'X-Exit-Delivery-Id': claim.id,
          'X-Exit-Signature': signature,
          'X-Exit-Timestamp': timestamp,
        },
        body,
        // A redirect could carry the signed body to a host nobody configured; it counts as a failure instead.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      // Only the status matters; the body is discarded so the connection can be reused.
      await res.body?.cancel().catch(() => undefined);
      return res.ok ? { ok: true } : { ok: false, reason: `HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, reason: describeFailure(err, this.settings.timeoutMs) };
    }
  }
}
