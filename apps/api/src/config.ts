// The API's configuration: one validated read of the environment at boot.
import { temporalConfigFromEnv, type TemporalConfig } from '../../../libs/temporal/src';
import { authConfigFromEnv, type AuthConfig } from './auth/auth-config';

export interface ApiConfig {
  /** 127.0.0.1 on a developer's machine; 0.0.0.0 inside a container. */
  host: string;
  port: number;
  databaseUrl: string;
  temporal: TemporalConfig;
  /** How long POST /pathways waits for the worker to write the new pathway's tasks before answering 202. */
  openTimeoutMs: number;
  /**
   * The sign-in token issuer (apps/api/src/auth/auth-config.ts), checked here whenever OIDC_ISSUER or OIDC_AUDIENCE is set. Requests
   * do not need a token yet: nothing reads this until the API's guard verifies tokens.
   */
  auth?: AuthConfig;
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv): ApiConfig {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('PORT must be a port number');
  const openTimeoutMs = Number(env.PATHWAY_OPEN_TIMEOUT_MS ?? 10000);
  if (!Number.isInteger(openTimeoutMs) || openTimeoutMs < 100)
    throw new Error('PATHWAY_OPEN_TIMEOUT_MS must be >= 100');
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    databaseUrl: env.DATABASE_URL,
    temporal: temporalConfigFromEnv(env),
    openTimeoutMs,
    auth: env.OIDC_ISSUER || env.OIDC_AUDIENCE ? authConfigFromEnv(env) : undefined,
  };
}
