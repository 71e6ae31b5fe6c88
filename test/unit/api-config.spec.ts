// The API's environment: docs off in production unless asked for, origins and rate limits checked at boot.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_RATE_LIMIT, apiConfigFromEnv } from '../../apps/api/src/config';
import { workerConfigFromEnv } from '../../apps/worker/src/config';
import { isCommandRoute } from '../../apps/api/src/core/back-pressure';
import { webhookUrlProblem } from '../../apps/api/src/agencies/webhooks.service';

const base = {
  DATABASE_URL: 'postgres://x:owner-password@127.0.0.1/x',
  // Production refuses one password for the owner and the application's role.
  DATABASE_APP_PASSWORD: 'app-password',
  PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  OIDC_ISSUER: 'http://127.0.0.1:4000',
  OIDC_AUDIENCE: 'urn:exit-pathways:api',
};
const SEARCH_KEY = Buffer.alloc(32, 7).toString('base64');
/** Production asks for the people's search key (PERSON_SEARCH_KEY). */
const production = { ...base, NODE_ENV: 'production', PERSON_SEARCH_KEY: SEARCH_KEY };

describe('apiConfigFromEnv', () => {
  it('serves the docs in development and not in production, unless API_DOCS says otherwise', () => {
    expect(apiConfigFromEnv({ ...base }).apiDocs).toBe(true);
    expect(apiConfigFromEnv(production).apiDocs).toBe(false);
    expect(apiConfigFromEnv({ ...production, API_DOCS: 'on' }).apiDocs).toBe(true);
    expect(apiConfigFromEnv({ ...base, API_DOCS: 'off' }).apiDocs).toBe(false);
    expect(() => apiConfigFromEnv({ ...base, API_DOCS: 'yes' })).toThrow('API_DOCS must be on or off');
  });

  it('takes web origins as scheme://host[:port] only', () => {
    expect(apiConfigFromEnv({ ...base }).webOrigins).toEqual([]);
    expect(apiConfigFromEnv({ ...base, WEB_ORIGIN: 'https://exit.kk.dk, http://127.0.0.1:5173' }).webOrigins).toEqual([
      'https://exit.kk.dk',
      'http://127.0.0.1:5173',
    ]);
    for (const bad of ['*', 'https://exit.kk.dk/', 'exit.kk.dk', 'https://exit.kk.dk/path'])
      expect(() => apiConfigFromEnv({ ...base, WEB_ORIGIN: bad })).toThrow('WEB_ORIGIN');
  });

  it('lets 64 starts and commands be in flight unless API_MAX_IN_FLIGHT_COMMANDS says otherwise', () => {
    expect(apiConfigFromEnv({ ...base }).maxInFlightCommands).toBe(64);
    expect(apiConfigFromEnv({ ...base, API_MAX_IN_FLIGHT_COMMANDS: '3' }).maxInFlightCommands).toBe(3);
    expect(apiConfigFromEnv({ ...base }).commandWaitMs).toBe(750);
    expect(apiConfigFromEnv({ ...base, API_COMMAND_WAIT_MS: '500' }).commandWaitMs).toBe(500);
    expect(apiConfigFromEnv({ ...base }).commandCalmWaitMs).toBe(1500);
    expect(apiConfigFromEnv({ ...base, API_COMMAND_CALM_WAIT_MS: '1000' }).commandCalmWaitMs).toBe(1000);
    expect(apiConfigFromEnv({ ...base }).minInFlightCommands).toBe(16);
    expect(apiConfigFromEnv({ ...base, API_MIN_IN_FLIGHT_COMMANDS: '40' }).minInFlightCommands).toBe(40);
    expect(() => apiConfigFromEnv({ ...base, API_MAX_IN_FLIGHT_COMMANDS: '0' })).toThrow(
      'API_MAX_IN_FLIGHT_COMMANDS must be a whole number >= 1',
    );
  });

  it('the in-flight limit covers the routes that start a workflow or send it an Update, and nothing else', () => {
    for (const path of [
      '/pathways',
      '/pathways/p1/events',
      '/pathways/p1/playbook-migration',
      '/pathways/p1/closure/confirm',
      '/pathways/p1/closure/reject',
      '/pathways/p1/reopen',
      '/tasks/t1/complete',
      '/tasks/t1/claim',
      '/tasks/t1/assign',
      '/escalations/e1/resolve',
    ])
      expect([path, isCommandRoute('POST', path)]).toEqual([path, true]);
    for (const [method, path] of [
      ['GET', '/pathways'],
      ['GET', '/pathways/p1'],
      ['POST', '/playbooks'],
      ['POST', '/agencies/SSP/tasks/next'],
      ['PUT', '/agencies/SSP/webhook'],
    ])
      expect([path, isCommandRoute(method, path)]).toEqual([path, false]);
  });

  it('needs PERSON_SEARCH_KEY (32 bytes or more) in production; elsewhere a development key stands in', () => {
    expect(() => apiConfigFromEnv({ ...base, NODE_ENV: 'production' })).toThrow(
      'PERSON_SEARCH_KEY is required in production',
    );
    expect(() => apiConfigFromEnv({ ...production, PERSON_SEARCH_KEY: 'c2hvcnQ=' })).toThrow(
      'PERSON_SEARCH_KEY must be base64 of at least 32 bytes',
    );
    expect(apiConfigFromEnv(production).personSearchKey).toEqual(Buffer.alloc(32, 7));
    expect(apiConfigFromEnv(base).personSearchKey?.length).toBeGreaterThanOrEqual(32);
  });

  it('reads PERSON_SEARCH_KEY from PERSON_SEARCH_KEY_FILE (a Docker secret), for the API and the worker', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'search-key-'));
    try {
      const file = path.join(dir, 'person_search_key');
      writeFileSync(file, `${SEARCH_KEY}\n`);
      const { PERSON_SEARCH_KEY: _inline, ...rest } = production;
      const fromFile = { ...rest, PERSON_SEARCH_KEY_FILE: file };
      expect(apiConfigFromEnv(fromFile).personSearchKey).toEqual(Buffer.alloc(32, 7));
      expect(workerConfigFromEnv(fromFile).personSearchKey).toEqual(Buffer.alloc(32, 7));
      expect(() => apiConfigFromEnv({ ...fromFile, PERSON_SEARCH_KEY: SEARCH_KEY })).toThrow(
        'set PERSON_SEARCH_KEY or PERSON_SEARCH_KEY_FILE, not both',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts plain http webhook URLs only outside production', () => {
    expect(apiConfigFromEnv({ ...base }).webhookHttpAllowed).toBe(true);
    expect(apiConfigFromEnv(production).webhookHttpAllowed).toBe(false);
    expect(webhookUrlProblem('http://127.0.0.1:9000/hook', true)).toBeUndefined();
    expect(webhookUrlProblem('http://ssp.kk.dk/hook', false)).toBe('must be https (plain http only in development)');
    expect(webhookUrlProblem('https://ssp.kk.dk/hook', false)).toBeUndefined();
  });

  it('limits each caller to 100 requests in 10 seconds unless configured', () => {
    expect(apiConfigFromEnv({ ...base }).rateLimit).toEqual(DEFAULT_RATE_LIMIT);
    expect(DEFAULT_RATE_LIMIT).toEqual({ limit: 100, windowMs: 10_000 });
    expect(apiConfigFromEnv({ ...base, RATE_LIMIT: '5', RATE_LIMIT_WINDOW_MS: '1000' }).rateLimit).toEqual({
      limit: 5,
      windowMs: 1000,
    });
    for (const bad of ['0', '-1', '1.5', 'ten'])
      expect(() => apiConfigFromEnv({ ...base, RATE_LIMIT: bad })).toThrow('RATE_LIMIT must be a whole number >= 1');
  });

  it('refuses to start without a sign-in issuer and audience: every request but /health and /metrics needs a token', () => {
    const { OIDC_ISSUER: _issuer, ...withoutIssuer } = base;
    expect(() => apiConfigFromEnv(withoutIssuer)).toThrow('OIDC_ISSUER is required');
    const { OIDC_AUDIENCE: _audience, ...withoutAudience } = base;
    expect(() => apiConfigFromEnv(withoutAudience)).toThrow('OIDC_AUDIENCE is required');
    expect(apiConfigFromEnv(base).auth).toMatchObject({ issuer: base.OIDC_ISSUER, audience: base.OIDC_AUDIENCE });
  });

  it('shows a person through an ended task for 30 days unless PERSON_VISIBLE_DAYS_AFTER_TASK says otherwise', () => {
    expect(apiConfigFromEnv(base).personVisibleDaysAfterTask).toBe(30);
    expect(apiConfigFromEnv({ ...base, PERSON_VISIBLE_DAYS_AFTER_TASK: '7' }).personVisibleDaysAfterTask).toBe(7);
    expect(() => apiConfigFromEnv({ ...base, PERSON_VISIBLE_DAYS_AFTER_TASK: '0' })).toThrow(
      'PERSON_VISIBLE_DAYS_AFTER_TASK must be a whole number >= 1',
    );
  });
});
