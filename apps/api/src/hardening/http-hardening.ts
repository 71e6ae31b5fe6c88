// HTTP hardening for the API, in one call for apps/api/src/main.ts (not wired yet): security headers (helmet),
// answers never cached or fingerprinted (they carry personal data), and CORS for the web app's origin only.
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

export interface HttpHardeningOptions {
  /** The web app's origin (scheme://host[:port]); no other origin may call the API from a browser. */
  webOrigin?: string;
  /** Path prefix of the Swagger UI, which needs its own scripts and styles; JSON answers allow nothing. */
  docsPath?: string;
}

const strictHeaders = helmet({
  // The API answers JSON only: nothing in an answer may load, run or be framed.
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'no-referrer' },
});
// Helmet's defaults (script-src 'self', inline styles) are what the Swagger UI pages need.
const docsHeaders = helmet();

export function hardenHttp(app: NestExpressApplication, options: HttpHardeningOptions = {}): void {
  const docsPath = options.docsPath ?? '/api/docs';
  app.disable('x-powered-by');
  // An ETag would let a cache or a conditional request confirm what an earlier answer held.
  app.set('etag', false);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const docs = req.path === docsPath || req.path.startsWith(`${docsPath}/`) || req.path.startsWith(`${docsPath}-`);
    if (!docs) res.setHeader('Cache-Control', 'no-store');
    (docs ? docsHeaders : strictHeaders)(req, res, next);
  });
  if (options.webOrigin) {
    app.enableCors({
      origin: [options.webOrigin],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      // Tokens travel in the Authorization header, never in cookies.
      credentials: false,
      maxAge: 600,
    });
  }
}

/** WEB_ORIGIN: the web app's origin, exactly scheme://host[:port]. */
export function webOriginFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const text = env.WEB_ORIGIN?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('WEB_ORIGIN must be an origin such as https://exit.example.dk');
  }
  if (url.origin !== text || !['http:', 'https:'].includes(url.protocol)) {
    throw new Error('WEB_ORIGIN must be an origin such as https://exit.example.dk (no path, no trailing slash)');
  }
  return url.origin;
}
