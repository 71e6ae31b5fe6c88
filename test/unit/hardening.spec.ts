// The API's HTTP hardening and per-person rate limit as a client sees them, on a tiny Nest app with the same pieces
// the API will use: hardenHttp, the throttler options, real tokens from the development issuer.
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { NextFunction, Request, Response } from 'express';
import { SEEDED_AGENCIES, TokenVerifier } from '../../apps/api/src/auth/token-verifier';
import { hardenHttp, webOriginFromEnv } from '../../apps/api/src/hardening/http-hardening';
import { rateLimitConfigFromEnv, rateLimitOptions } from '../../apps/api/src/hardening/rate-limit';
import { startTestIssuer, type TestIssuer } from '../support/dev-issuer';

const WEB = 'http://127.0.0.1:5173';
const LIMIT = 3;

@Controller('things')
class ThingsController {
  @Get()
  list() {
    return { things: [] };
  }
}

@Controller('api/docs')
class DocsController {
  @Get()
  page() {
    return 'docs';
  }
}

describe('HTTP hardening and rate limits', () => {
  let issuer: TestIssuer;
  let app: INestApplication;
  let base: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    issuer = await startTestIssuer();
    const verifier = new TokenVerifier(issuer.authConfig(), SEEDED_AGENCIES);
    for (const user of ['eki-sagsbehandler', 'ssp-sagsbehandler']) tokens[user] = await issuer.token(user);
    const module = await Test.createTestingModule({
      imports: [ThrottlerModule.forRoot(rateLimitOptions({ limit: LIMIT, windowMs: 60_000 }))],
      controllers: [ThingsController, DocsController],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    }).compile();
    app = module.createNestApplication<NestExpressApplication>({ logger: false });
    hardenHttp(app as NestExpressApplication, { webOrigin: WEB });
    // Stands in for the sign-in guard: the person on the request as `principal`.
    app.use((req: Request & { principal?: unknown }, _res: Response, next: NextFunction) => {
      if (!req.headers.authorization) return next();
      verifier.authenticate(req.headers.authorization).then(
        (principal) => {
          req.principal = principal;
          next();
        },
        () => next(),
      );
    });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
  const as = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });

  it('answers JSON that nothing may cache, fingerprint, sniff, frame or run', async () => {
    const response = await get('/things');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('etag')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('lets the Swagger UI load its own scripts and styles', async () => {
    const response = await get('/api/docs');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).not.toBe('no-store');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('allows browser calls from the web app’s origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/things`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight(WEB);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WEB);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('gives each person a budget of their own: 429 with Retry-After for one, the next person still served', async () => {
    for (let i = 0; i < LIMIT; i++) expect((await get('/things', as('eki-sagsbehandler'))).status).toBe(200);
    const refused = await get('/things', as('eki-sagsbehandler'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await refused.text();
    expect(body).toContain('too many requests');
    expect(body).not.toContain('eki-sagsbehandler');
    // Same address, another person; and no person at all.
    expect((await get('/things', as('ssp-sagsbehandler'))).status).toBe(200);
    expect((await get('/things')).status).toBe(200);
  });

  it('reads its settings from the environment and refuses nonsense', () => {
    expect(rateLimitConfigFromEnv({})).toEqual({ limit: 120, windowMs: 60_000 });
    expect(rateLimitConfigFromEnv({ RATE_LIMIT_PER_MINUTE: '30' }).limit).toBe(30);
    expect(() => rateLimitConfigFromEnv({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow('RATE_LIMIT_PER_MINUTE');
    expect(webOriginFromEnv({})).toBeUndefined();
    expect(webOriginFromEnv({ WEB_ORIGIN: 'https://exit.example.dk' })).toBe('https://exit.example.dk');
    expect(() => webOriginFromEnv({ WEB_ORIGIN: 'https://exit.example.dk/' })).toThrow('WEB_ORIGIN');
    expect(() => webOriginFromEnv({ WEB_ORIGIN: '*' })).toThrow('WEB_ORIGIN');
  });
});
