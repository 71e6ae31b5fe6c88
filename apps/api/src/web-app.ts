// Serves the web app's static build (dist/web, from `npm run build`) under /app/, with index.html for every other
// GET under /app/ (the app's own routes, e.g. /app/opgaver/<id>). The API keeps every other path, so no client
// route can shadow an API route; `/` redirects to /app/. Without a build (API-only tests, a bare container) nothing
// is served and the API is unchanged.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

export const WEB_APP_PREFIX = '/app';

/** WEB_DIST_DIR, else dist/web next to the compiled API (dist/apps/api/src) or the repository's dist/web. */
export function findWebAppDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.WEB_DIST_DIR
    ? [path.resolve(env.WEB_DIST_DIR)]
    : [path.resolve(__dirname, '../../../web'), path.resolve(__dirname, '../../../dist/web')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
}

/**
 * What the app needs to sign people in, at GET /app/config.json: the issuer (the app reads its discovery document),
 * the app's public client id there, and the API's identifier (the token's audience). Nothing secret: a public client
 * has no secret, and the issuer is also named in every token. Empty when the API has no issuer configured.
 */
export interface WebAppConfig {
  issuer?: string;
  clientId?: string;
  audience?: string;
}

/** The web app's client id at the issuer, unless OIDC_WEB_CLIENT_ID names another (scripts/dev-stack/dev-accounts.ts). */
export const DEFAULT_WEB_CLIENT_ID = 'exit-pathways-web';

export function serveWebApp(app: NestExpressApplication, dir = findWebAppDir(), config: WebAppConfig = {}): boolean {
  if (!dir) return false;
  const index = path.join(dir, 'index.html');
  // Served here rather than by a controller: it belongs to the static app (no OpenAPI entry, no acting party), and
  // is answered before the SPA fallback below would answer it with index.html.
  app.use(`${WEB_APP_PREFIX}/config.json`, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.json(config);
  });
  app.useStaticAssets(dir, {
    prefix: `${WEB_APP_PREFIX}/`,
    index: false,
    redirect: false,
    setHeaders(res, file) {
      // File names under assets/ carry a content hash; index.html must be asked for again after each deploy.
      res.setHeader(
        'Cache-Control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/') return res.redirect(302, `${WEB_APP_PREFIX}/`);
    const inApp = req.path === WEB_APP_PREFIX || req.path.startsWith(`${WEB_APP_PREFIX}/`);
    // A missing asset is a 404, not the page: a browser would otherwise try to run HTML as a script.
    if (!inApp || req.path.startsWith(`${WEB_APP_PREFIX}/assets/`)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
