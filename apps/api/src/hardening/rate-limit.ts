// Rate limits per signed-in person (not per address: colleagues share an office's address), with @nestjs/throttler.
// Not wired yet: ThrottlerModule.forRoot(rateLimitOptions(config)) plus ThrottlerGuard as a global guard that runs
// after the sign-in guard, which must have put the Principal on the request as `principal` (see principalOnRequest).
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Principal } from '../../../../libs/domain/src';

export interface RateLimitConfig {
  /** Requests one person may make per window, across all routes. */
  limit: number;
  windowMs: number;
}

export function rateLimitConfigFromEnv(env: NodeJS.ProcessEnv): RateLimitConfig {
  const limit = Number(env.RATE_LIMIT_PER_MINUTE || 120);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) {
    throw new Error('RATE_LIMIT_PER_MINUTE must be a whole number from 1 to 100000');
  }
  return { limit, windowMs: 60_000 };
}

/** Where the sign-in guard leaves the person for everything after it. */
export function principalOnRequest(req: Record<string, unknown>): Principal | undefined {
  return req.principal as Principal | undefined;
}

export function rateLimitOptions(config: RateLimitConfig): ThrottlerModuleOptions {
  return {
    // Named 'default' so the answer carries a plain Retry-After header.
    throttlers: [{ name: 'default', limit: config.limit, ttl: config.windowMs }],
    // A person's budget follows them; a request without one (the health check, a refused sign-in) is counted by
    // address. The user id lives only in the in-memory counter's key; it never appears in an answer.
    getTracker: (req) => {
      const principal = principalOnRequest(req);
      return principal ? `user:${principal.userId}` : `ip:${String(req.ip)}`;
    },
    // One budget across all routes: 300 reads of one person's pages are 300 requests, whichever route serves them.
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    errorMessage: 'too many requests; slow down and retry after the time in Retry-After',
  };
}
