// The rate limit for requests without a valid token, per client address. The ActorGuard (apps/api/src/core/actor.ts)
// counts the public routes and every token it refuses here; signed-in people count per person (CallerThrottlerGuard in
// apps/api/src/core/hardening.ts). Both use the throttler's storage.
import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerException, ThrottlerStorage, normalizeIp } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DEFAULT_ANONYMOUS_RATE_LIMIT, type ApiConfig } from '../config';
import { API_CONFIG } from './tokens';

/** The client address a per-address limit counts: IPv6 by its /64, as a household or office has one. */
export function clientAddress(request: Request): string {
  const ip = request.ip ?? request.socket.remoteAddress ?? '-';
  return normalizeIp(ip);
}

/**
 * The budget per client address for requests without a valid token: the public routes (but /health, which load
 * balancers poll) and every request whose token the guard refused. Someone trying tokens, or hammering the API
 * without one, gets 429 with Retry-After once past it. A signed-in person is never held back by it: colleagues behind
 * one office address with good tokens count on their own budgets (CallerThrottlerGuard).
 */
@Injectable()
export class AnonymousLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Counts the request; throws the 429 when the address is past its budget. */
  async count(request: Request, response: Response): Promise<void> {
    if (request.path === '/health') return;
    const { limit, windowMs } = this.config.anonymousRateLimit ?? DEFAULT_ANONYMOUS_RATE_LIMIT;
    const key = `anonymous|${clientAddress(request)}`;
    const hit = await this.storage.increment(key, windowMs, limit, windowMs, 'anonymous');
    if (hit.isBlocked) {
      response.setHeader('Retry-After', String(Math.max(1, hit.timeToBlockExpire)));
      throw new ThrottlerException('too many requests without a valid sign-in from this address; try again later');
    }
  }
}
