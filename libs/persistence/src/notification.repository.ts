// The delivery side of the notification outbox: several worker processes claim due rows without blocking each
// other, and record each attempt's result. Rows carry links and ids only, never personal data.
import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, isCursorInstant } from './cursor';
import type { MasterKeys } from './person-keys';
import { openWebhookSecret } from './webhook.repository';

/** What every outbox row says: which message, for whom, about what — ids only. */
interface OutboxRow {
  id: string;
  agency: string;
  kind: string;
  pathwayId: string;
  taskId: string | null;
  escalationId: string | null;
  createdAt: Date;
}

/** A claimed row with what is needed to deliver it: the agency's webhook, which may have been removed since. */
export interface ClaimedNotification extends OutboxRow {
  /** Attempts made before this one. */
  attempts: number;
  /**
   * Until when this claim holds the row, and the fence for recording its result: a claimer whose lease ran out
   * (and whose row another process has claimed since) no longer matches it and records nothing.
   */
  leaseUntil: Date;
  webhookUrl: string | null;
  /** Opened from its sealed column. */
  webhookSecret: string | null;
  /** The secret before the last rotation, while it is still valid (it signs too). */
  webhookPreviousSecret: string | null;
  /** Why the secrets could not be opened (names a master key id, never a secret); the delivery fails with it. */
  webhookSecretProblem?: string;
}

export interface DeadLetter extends OutboxRow {
  attempts: number;
  lastError: string | null;
}

export interface DeadLetterPage {
  items: DeadLetter[];
  nextCursor: string | null;
}

export interface DeadLetterCursor {
  /** created_at at full (microsecond) precision, ISO 8601 in UTC: a JS Date would round it and skip or repeat rows. */
  createdAt: string;
  id: string;
}

export type RequeueResult = { requeued: DeadLetter } | { notFound: true } | { status: string };

/** The longest last_error kept; it is a reason ("HTTP 503", "timeout"), never a response body. */
export const LAST_ERROR_MAX_LENGTH = 200;

interface ClaimRow {
  id: string;
  agency_code: string;
  kind: string;
  pathway_id: string;
  task_id: string | null;
  escalation_id: string | null;
  created_at: Date;
  attempts: number;
  lease_until: Date;
  webhook_url: string | null;
  webhook_secret_sealed: Buffer | null;
  webhook_secret_key_id: string | null;
  webhook_previous_sealed: Buffer | null;
  webhook_previous_key_id: string | null;
  previous_valid: boolean;
}

interface DeadRow {
  id: string;
  agency_code: string;
  kind: string;
  pathway_id: string;
  task_id: string | null;
  escalation_id: string | null;
  created_at: Date;
  created_key: string;
  attempts: number;
  last_error: string | null;
}

const DEAD_COLUMNS = `id, agency_code, kind, pathway_id, task_id, escalation_id, created_at, attempts, last_error,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key`;

function toDeadLetter(row: DeadRow): DeadLetter {
  return {
    id: row.id,
    agency: row.agency_code,
    kind: row.kind,
    pathwayId: row.pathway_id,
    taskId: row.task_id,
    escalationId: row.escalation_id,
    createdAt: row.created_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

/**
 * The delay before the next attempt after `attempt` failed ones: base · 2^(attempt-1), capped, with "equal jitter"
 * (half fixed, half random) so that a receiver coming back up is not hit by every worker's retry at once.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random) {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Keeps last_error short and on one line. */
export function shortError(reason: string): string {
  const line = reason.replace(/\s+/g, ' ').trim();
  return line.length > LAST_ERROR_MAX_LENGTH ? `${line.slice(0, LAST_ERROR_MAX_LENGTH - 1)}…` : line;
}

/** The claim's webhook secrets, opened; a secret that cannot be opened leaves both null and says why. */
function openSecrets(
  master: MasterKeys | undefined,
  r: ClaimRow,
): Pick<ClaimedNotification, 'webhookSecret' | 'webhookPreviousSecret' | 'webhookSecretProblem'> {
  if (!master) throw new Error('claiming deliveries needs the master keys to open webhook secrets');
  try {
    return {
      webhookSecret: openWebhookSecret(master, r.agency_code, {
        sealed: r.webhook_secret_sealed,
        keyId: r.webhook_secret_key_id,
      }),
      webhookPreviousSecret: r.previous_valid
        ? openWebhookSecret(master, r.agency_code, {
            sealed: r.webhook_previous_sealed,
            keyId: r.webhook_previous_key_id,
          })
        : null,
    };
  } catch (err) {
    return { webhookSecret: null, webhookPreviousSecret: null, webhookSecretProblem: (err as Error).message };
  }
}

export class NotificationRepository {
  /** `master` opens the webhook secrets of claimed rows; only the delivering worker needs it. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly master?: MasterKeys,
  ) {}

  /**
   * Takes up to `limit` due rows and hides them from other claimers for `leaseMs` by moving next_attempt_at past
   * the lease. SKIP LOCKED lets concurrent claimers pass over each other's rows instead of waiting; one that read a
   * row before another's claim committed re-checks the updated row, finds it no longer due, and leaves it. The lease
   * is truncated to milliseconds so that it survives the round trip through a JS Date and can fence the result.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedNotification[]> {
    const { rows } = await this.update<ClaimRow>(
      `UPDATE notifications n
          SET next_attempt_at = date_trunc('milliseconds', now() + $2 * interval '1 millisecond')
         FROM agencies a
        WHERE a.code = n.agency_code
          AND n.id IN (SELECT id FROM notifications
                        WHERE status = 'PENDING' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at, id
                        LIMIT $1
                        FOR UPDATE SKIP LOCKED)
       RETURNING n.id, n.agency_code, n.kind, n.pathway_id, n.task_id, n.escalation_id, n.created_at, n.attempts,
                 n.next_attempt_at AS lease_until, a.webhook_url,
                 a.webhook_secret_sealed, a.webhook_secret_key_id,
                 a.webhook_previous_sealed, a.webhook_previous_key_id,
                 COALESCE(a.webhook_previous_until > now(), false) AS previous_valid`,
      [limit, leaseMs],
    );
    return rows
      .map((r) => ({
        id: r.id,
        agency: r.agency_code,
        kind: r.kind,
        pathwayId: r.pathway_id,
        taskId: r.task_id,
        escalationId: r.escalation_id,
        createdAt: r.created_at,
        attempts: r.attempts,
        leaseUntil: r.lease_until,
        webhookUrl: r.webhook_url,
        ...openSecrets(this.master, r),
      }))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  /** Records a successful attempt; false when the claim had lapsed and the row was no longer ours. */
  async markDelivered(claim: ClaimedNotification): Promise<boolean> {
    return this.updateClaimed(claim, `status = 'DELIVERED', attempts = attempts + 1, delivered_at = now()`, []);
  }

  /** Records a failed attempt and when to try again. */
  async markFailed(claim: ClaimedNotification, reason: string, retryInMs: number): Promise<boolean> {
    return this.updateClaimed(
      claim,
      `attempts = attempts + 1, last_error = $3,
       next_attempt_at = now() + $4 * interval '1 millisecond'`,
      [shortError(reason), Math.max(0, Math.round(retryInMs))],
    );
  }

  /** Records the last allowed attempt's failure: the row stops being retried until someone requeues it. */
  async markDead(claim: ClaimedNotification, reason: string): Promise<boolean> {
    return this.updateClaimed(claim, `status = 'DEAD', attempts = attempts + 1, last_error = $3`, [shortError(reason)]);
  }

  /** Dead letters newest first, keyset-paginated on (created_at DESC, id) to match notifications_dead_idx. */
  async listDead(limit: number, after?: DeadLetterCursor): Promise<DeadLetterPage> {
    const params: unknown[] = [limit + 1];
    let keyset = '';
    if (after) {
      params.push(after.createdAt, after.id);
      keyset = `AND (created_at < $2::timestamptz OR (created_at = $2::timestamptz AND id > $3))`;
    }
    const rows: DeadRow[] = await this.dataSource.query(
      `SELECT ${DEAD_COLUMNS} FROM notifications
        WHERE status = 'DEAD' ${keyset}
        ORDER BY created_at DESC, id
        LIMIT $1`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const more = rows.length > limit && last !== undefined;
    return {
      items: page.map(toDeadLetter),
      nextCursor: more ? encodeDeadLetterCursor({ createdAt: last.created_key, id: last.id }) : null,
    };
  }

  /**
   * Puts a dead letter back in the queue with a fresh set of attempts, due now. last_error is kept so the reason it
   * died stays visible until the next attempt overwrites it.
   */
  async requeueDead(id: string): Promise<RequeueResult> {
    const { rows } = await this.update<DeadRow>(
      `UPDATE notifications SET status = 'PENDING', attempts = 0, next_attempt_at = now()
        WHERE id = $1 AND status = 'DEAD'
       RETURNING ${DEAD_COLUMNS}`,
      [id],
    );
    if (rows[0]) return { requeued: toDeadLetter(rows[0]) };
    const found: { status: string }[] = await this.dataSource.query('SELECT status FROM notifications WHERE id = $1', [
      id,
    ]);
    return found[0] ? { status: found[0].status } : { notFound: true };
  }

  private async updateClaimed(claim: ClaimedNotification, set: string, params: unknown[]): Promise<boolean> {
    const { count } = await this.update(
      `UPDATE notifications SET ${set}
        WHERE id = $1 AND status = 'PENDING' AND next_attempt_at = $2`,
      [claim.id, claim.leaseUntil, ...params],
    );
    return count === 1;
  }

  // TypeORM answers every UPDATE, with or without RETURNING, as [rows, rowCount].
  private async update<T>(sql: string, params: unknown[]): Promise<{ rows: T[]; count: number }> {
    const [rows, count] = (await this.dataSource.query(sql, params)) as [T[], number];
    return { rows, count };
  }
}

// Tagged, so that a cursor from another list is refused rather than misread.
const DEAD_LETTER_CURSOR_TAG = 'dead-letters';
const MICROSECOND_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeDeadLetterCursor(cursor: DeadLetterCursor): string {
  return encodeCursor(DEAD_LETTER_CURSOR_TAG, [cursor.createdAt, cursor.id]);
}

export function decodeDeadLetterCursor(text: string): DeadLetterCursor | undefined {
  const key = decodeCursor(text, DEAD_LETTER_CURSOR_TAG, 2);
  if (!key) return undefined;
  const [createdAt, id] = key;
  if (typeof createdAt !== 'string' || !MICROSECOND_INSTANT.test(createdAt) || !isCursorInstant(createdAt))
    return undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > 300) return undefined;
  return { createdAt, id };
}
