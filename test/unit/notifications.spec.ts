// The pure parts of outbox delivery: settings, backoff, the webhook body, URLs and dead-letter cursors.
import {
  DEFAULT_MAX_CACHED_WORKFLOWS,
  notificationConfigFromEnv,
  workerConfigFromEnv,
} from '../../apps/worker/src/config';
import { generatePayloadKey } from '../../libs/temporal/src/codec';
import { webhookBody, webhookTarget } from '../../apps/worker/src/notification-dispatcher.service';
import {
  backoffDelayMs,
  decodeDeadLetterCursor,
  encodeDeadLetterCursor,
  encodePathwayCursor,
  shortError,
  type ClaimedNotification,
} from '../../libs/persistence/src';

describe('notification delivery settings', () => {
  it('defaults to a one-second poll, eight attempts from two seconds apart, five-second timeouts', () => {
    expect(notificationConfigFromEnv({})).toEqual({
      pollMs: 1000,
      maxAttempts: 8,
      baseBackoffMs: 2000,
      timeoutMs: 5000,
    });
  });

  it('reads the environment and refuses what is not a sensible integer', () => {
    expect(notificationConfigFromEnv({ NOTIFY_POLL_MS: '250', NOTIFY_MAX_ATTEMPTS: '3' })).toMatchObject({
      pollMs: 250,
      maxAttempts: 3,
    });
    expect(() => notificationConfigFromEnv({ NOTIFY_MAX_ATTEMPTS: '0' })).toThrow('NOTIFY_MAX_ATTEMPTS');
    expect(() => notificationConfigFromEnv({ NOTIFY_TIMEOUT_MS: '5s' })).toThrow('NOTIFY_TIMEOUT_MS');
    expect(() => notificationConfigFromEnv({ NOTIFY_BASE_BACKOFF_MS: '1.5' })).toThrow('NOTIFY_BASE_BACKOFF_MS');
  });
});

describe('worker settings', () => {
  const base = { DATABASE_URL: 'postgres://localhost/exit', PAYLOAD_KEYS: generatePayloadKey('k1') };
  it('keeps at most 1,000 pathways cached unless told otherwise, and refuses a cache size that is no integer', () => {
    expect(workerConfigFromEnv(base).maxCachedWorkflows).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
    expect(DEFAULT_MAX_CACHED_WORKFLOWS).toBe(1000);
    expect(workerConfigFromEnv({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '250' }).maxCachedWorkflows).toBe(250);
    expect(() => workerConfigFromEnv({ ...base, WORKER_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(
      'WORKER_MAX_CACHED_WORKFLOWS',
    );
  });
});

describe('backoff', () => {
  it('doubles per failed attempt, between half and all of the exponential delay', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, 2000, 3_600_000, () => 0))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, 2000, 3_600_000, () => 1))).toEqual([2000, 4000, 8000, 16000]);
  });

  it('is capped however many attempts failed', () => {
    expect(backoffDelayMs(60, 2000, 3_600_000, () => 1)).toBe(3_600_000);
  });

  it('spreads retries of the same attempt', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(3, 2000, 3_600_000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d >= 4000 && d <= 8000).toBe(true);
  });
});

describe('webhook body and target', () => {
  const claim: ClaimedNotification = {
    id: 'p:3:SSP',
    agency: 'SSP',
    kind: 'ESCALATION_RAISED',
    pathwayId: '6f1c7c39-3a8e-4d4c-9a43-2b1f0c9e8d11',
    taskId: null,
    escalationId: 'e-1',
    createdAt: new Date('2026-03-01T10:00:00.000Z'),
    attempts: 0,
    leaseUntil: new Date(),
    webhookUrl: 'https://example.org/hook',
    webhookSecret: 'secret',
    webhookPreviousSecret: null,
  };

  it('links the pathway when there is no task, and carries no webhook settings', () => {
    expect(webhookBody(claim)).toEqual({
      id: 'p:3:SSP',
      kind: 'ESCALATION_RAISED',
      agency: 'SSP',
      pathwayId: claim.pathwayId,
      escalationId: 'e-1',
      createdAt: '2026-03-01T10:00:00.000Z',
      link: `/pathways/${claim.pathwayId}`,
    });
  });

  it('links the task when there is one', () => {
    const taskId = '0b8e2a64-7f0e-4f7a-8f7c-0d7a3f4e2c55';
    expect(webhookBody({ ...claim, taskId, escalationId: null })).toMatchObject({ taskId, link: `/tasks/${taskId}` });
  });

  it('posts only to http and https urls', () => {
    expect(webhookTarget('https://example.org/hook')).toBeInstanceOf(URL);
    expect(webhookTarget('http://127.0.0.1:8080/')).toBeInstanceOf(URL);
    expect(webhookTarget('file:///etc/passwd')).toBe('webhook url is not http(s)');
    expect(webhookTarget('javascript:alert(1)')).toBe('webhook url is not http(s)');
    expect(webhookTarget('not a url')).toBe('webhook url is not a url');
    expect(webhookTarget(null)).toBe('agency has no webhook url');
  });

  it('keeps last_error to one short line', () => {
    expect(shortError('HTTP\n 500')).toBe('HTTP 500');
    expect(shortError('x'.repeat(500))).toHaveLength(200);
  });
});

describe('dead-letter cursors', () => {
  it('round-trips microsecond precision', () => {
    const cursor = { createdAt: '2026-03-01T10:00:00.123456Z', id: 'p:3:SSP' };
    expect(decodeDeadLetterCursor(encodeDeadLetterCursor(cursor))).toEqual(cursor);
  });

  it('refuses other lists’ cursors, impossible dates and junk', () => {
    expect(
      decodeDeadLetterCursor(encodePathwayCursor({ openedAt: '2026-03-01T10:00:00.000Z', id: 'x' })),
    ).toBeUndefined();
    const feb30 = Buffer.from(JSON.stringify(['dead-letters', '2026-02-30T10:00:00.000000Z', 'x'])).toString(
      'base64url',
    );
    expect(decodeDeadLetterCursor(feb30)).toBeUndefined();
    const ms = Buffer.from(JSON.stringify(['dead-letters', '2026-03-01T10:00:00.000Z', 'x'])).toString('base64url');
    expect(decodeDeadLetterCursor(ms)).toBeUndefined();
    expect(decodeDeadLetterCursor('%%%')).toBeUndefined();
  });
});
