// HTTP hardening for an API whose answers carry personal data: security headers, nothing cached, no ETags,
// cross-origin calls only from the web app, a rate limit per signed-in person, and a stricter one per client address
// for requests without a valid token (see ApiConfig in apps/api/src/config.ts).
import type { ExecutionContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { actorOf } from './actor';

export interface Hardening {
  /** Origins allowed to call the API from a browser (the web app); none means no CORS headers at all. */
  webOrigins: string[];
  /**
   * The sign-in issuer (ApiConfig.auth.issuer). The web app, a public client, reads its discovery document and trades
   * the authorization code at its token endpoint from the browser, so its origin, and only it, joins connect-src.
   */
  issuer?: string;
  /** Express's `trust proxy` (TRUST_PROXY): which proxy's X-Forwarded-For names the client address. */
  trustProxy?: boolean | number | string;
}

export function applyHardening(app: NestExpressApplication, hardening: Hardening): void {
  app.disable('x-powered-by');
  // Behind the TLS-terminating proxy every request comes from the proxy: the per-address limit needs the client's.
  if (hardening.trustProxy !== undefined) app.set('trust proxy', hardening.trustProxy);
  // An ETag lets a shared cache or a later user of the same browser confirm what was seen: none are made.
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", ...(hardening.issuer ? [new URL(hardening.issuer).origin] : [])],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          // TLS is the proxy's (README, "Deployment"); on a developer's plain-http loopback this would break the app.
          upgradeInsecureRequests: null,
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      // Sent by the TLS-terminating proxy, which knows whether the answer went out over https.
      strictTransportSecurity: false,
    }),
  );
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    next();
  });
  if (hardening.webOrigins.length > 0) {
    app.enableCors({
      origin: hardening.webOrigins,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      maxAge: 600,
    });
  }
}

/**
 * Counts requests per signed-in person (the user id the ActorGuard of apps/api/src/core/actor.ts verified, which runs
 * before this guard: both are registered in that order in apps/api/src/app.module.ts), so one person's budget is the
 * same from every address. Requests without a person (public routes, refused tokens) are the AnonymousLimiter's
 * (apps/api/src/core/anonymous-limiter.ts).
 * A refusal is a 429 with Retry-After.
 */
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(`user|${actorOf(req)?.userId ?? '-'}`);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(actorOf(context.switchToHttp().getRequest<Request>()) === undefined);
  }
}
