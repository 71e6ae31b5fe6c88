// The API as the benchmarks run it: served from PostgreSQL alone (the Temporal client connects lazily and never
// needs to), signing in at a development issuer, and with no rate limit — the load is what is being measured.
import { authConfigFromEnv } from '../../apps/api/src/auth/auth-config';
import type { ApiConfig } from '../../apps/api/src/config';
import { generatePayloadKey, parsePayloadKeys } from '../../libs/temporal/src';

export function benchApiConfig(databaseUrl: string, issuer: { issuer: string; audience: string }): ApiConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    databaseUrl,
    temporal: {
      address: '127.0.0.1:1',
      namespace: 'bench',
      taskQueue: 'bench',
      payloadKeys: parsePayloadKeys(generatePayloadKey('bench'), undefined),
    },
    openTimeoutMs: 1000,
    log: { level: 'error' },
    rateLimit: { limit: 1_000_000, windowMs: 60_000 },
    auth: authConfigFromEnv({ OIDC_ISSUER: issuer.issuer, OIDC_AUDIENCE: issuer.audience }),
    // No Temporal here: making the retention schedule would only retry until the benchmark closes the connection.
    retentionSchedule: false,
  };
}
