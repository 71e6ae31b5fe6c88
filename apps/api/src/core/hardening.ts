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
  /** The Temporal UI's origin: the only browser origin the codec endpoint answers (codecCors). */
  temporalUiOrigin?: string;
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
  // Before the web app's CORS, which would answer the UI's preflight itself.
  app.use(CODEC_PATH, codecCors(hardening.temporalUiOrigin));
  if (hardening.webOrigins.length > 0) {
    app.enableCors({
      origin: hardening.webOrigins,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      maxAge: 600,
    });
  }
}

export const CODEC_PATH = '/codec';

/**
 * Cross-origin rules of the codec endpoint: a browser request from the Temporal UI's origin gets the CORS headers the
 * UI needs (its bearer token and the namespace header), its preflight a 204; a browser request from any other origin
 * (the web app's included) is a 403 before anything is read. A request without Origin is no browser's (a CLI's
 * --codec-endpoint) and goes on to the token check like any other.
 */
export function codecCors(uiOrigin: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (origin === undefined) {
      next();
      return;
    }
    if (origin !== uiOrigin) {
      res.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'this origin may not call the codec' });
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'POST');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace, X-Request-Id');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
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
